import { expect } from 'chai';
import { FixParser } from '../../../src/fix/codec/parser.js';
import { ReceivedRejectLog } from '../../../src/fix/session/received-reject-log.js';
import { FixTestClient, frame } from '../../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../../support/test-venue.js';
import { WaitingLogger } from '../../support/waiting-logger.js';

const body = FixTestClient.body;

describe('FIX session: a session Reject received from a member is logged at warn', function () {
  this.timeout(20000);
  let venue: TestVenue;
  const logger = new WaitingLogger();

  before(async () => {
    venue = await startTestVenue({ logger });
  });
  after(async () => {
    await venue.dispose();
  });

  it('with the reason text, the referenced seq, tag and msg type, and the reject reason', async () => {
    const b1 = await venue.logon('BROKER1');
    const logged = logger.next('FIX session Reject received');
    b1.send('3', body([[45, 2], [58, 'Tag not defined for this message type'], [371, 797], [372, '9'], [373, 2]]));
    const line = await logged;
    expect(line.level).to.equal('warn');
    expect(line.fields).to.deep.include({
      session: 'FIX.4.4:VENUE->BROKER1',
      text: 'Tag not defined for this message type',
      refSeqNum: 2,
      refTagId: 797,
      refMsgType: '9',
      rejectReason: 2,
    });
    expect(line.fields.rejectReasonText).to.be.a('string').and.not.empty;
    await b1.logout();
  });
});

describe('FIX session: received Rejects are logged at most 20 a minute per session', () => {
  const reject = (seq: number): Buffer =>
    Buffer.from(frame(`35=3${'\x01'}34=${seq}${'\x01'}49=M${'\x01'}56=V${'\x01'}${body([[45, seq], [58, 'no'], [373, 5]])}`), 'latin1');

  it('leaves out the rest of a burst, and says how many when the minute is over', () => {
    const logger = new WaitingLogger();
    const log = new ReceivedRejectLog(logger, 'S');
    const parser = new FixParser();
    const t0 = 1_000_000;
    for (let i = 1; i <= 25; i++) {
      parser.parse(reject(i));
      log.record(parser.view, t0 + i);
    }
    expect(logger.with('FIX session Reject received')).to.have.length(20);
    parser.parse(reject(26));
    log.record(parser.view, t0 + 60_001);
    expect(logger.with('not logged').map((l) => l.fields)).to.deep.equal([{ session: 'S', count: 5 }]);
    expect(logger.with('FIX session Reject received')).to.have.length(21);
    expect(logger.lines.at(-1)!.fields.refSeqNum).to.equal(26);
  });
});
