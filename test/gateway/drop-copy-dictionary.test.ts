import { expect } from 'chai';
import { resolve } from 'node:path';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const body = FixTestClient.body;

// FIX 4.4 allows CopyMsgIndicator(797) on an ExecutionReport but not on an OrderCancelReject: a drop-copy
// session gets only what its dictionary allows, and the venue's extension dictionary (chosen per session) adds it.
describe('gateway: drop copies carry only the fields of the session dictionary', function () {
  this.timeout(20000);
  let venue: TestVenue;
  let b1: FixTestClient;
  let standard: FixTestClient;
  let extended: FixTestClient;

  before(async () => {
    venue = await startTestVenue({
      adjust: (s) => {
        const compliance = s.sessions.find((x) => x.id === 'COMPLIANCE')!;
        s.sessions.push({ ...compliance, id: 'COMPLIANCE2', password: 'compliance2-secret', dictionary: resolve('fix-dictionaries/FIX44-venue.xml') });
      },
    });
    b1 = await venue.logon('BROKER1');
    standard = await venue.logon('COMPLIANCE');
    extended = await venue.logon('COMPLIANCE2');
  });
  after(async () => {
    await venue.dispose();
  });

  it('sends an OrderCancelReject copy without 797 under FIX44.xml, with 797=Y under the venue extension', async () => {
    b1.send('F', body([[11, 'DD-C1'], [41, 'NO-SUCH-ORDER'], [54, '1'], [55, 'BTCUSDT'], [60, stamp()]]));
    const own = await b1.next((m) => m.type === '9' && m.get(11) === 'DD-C1');
    const plain = await standard.next((m) => m.type === '9' && m.get(11) === 'DD-C1');
    const marked = await extended.next((m) => m.type === '9' && m.get(11) === 'DD-C1');
    expect(own.get(797)).to.equal(undefined);
    expect(plain.get(797)).to.equal(undefined);
    expect(plain.get(434)).to.equal('1');
    expect(marked.get(797)).to.equal('Y');
    expect(marked.get(434)).to.equal('1');
  });

  it('keeps 797=Y on ExecutionReport copies under either dictionary', async () => {
    b1.send('D', body([[11, 'DD-N1'], [38, '0.1'], [40, '2'], [44, '59000.00'], [54, '1'], [55, 'BTCUSDT'], [59, '1'], [60, stamp()]]));
    const own = await b1.er('DD-N1', '0');
    expect(own.get(797)).to.equal(undefined);
    expect((await standard.er('DD-N1', '0')).get(797)).to.equal('Y');
    expect((await extended.er('DD-N1', '0')).get(797)).to.equal('Y');
  });

  it('refuses a session dictionary that does not exist, naming the key', async () => {
    const { loadVenueConfig } = await import('../../src/config/load-config.js');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const raw = JSON.parse(readFileSync('config/venue.json', 'utf8')) as { fix: { dictionary: string }; sessions: Array<Record<string, unknown>> };
    raw.fix.dictionary = resolve('fix-dictionaries/FIX44.xml');
    raw.sessions[2]!.dictionary = 'missing.xml';
    const file = join(mkdtempSync(join(tmpdir(), 'venue-cfg-')), 'venue.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(() => loadVenueConfig(file, {})).to.throw(/sessions\[2\]\.dictionary: expected an existing file/);
  });
});
