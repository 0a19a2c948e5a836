import { expect } from 'chai';
import { identifyMsgType } from '../../../src/fix/codec/identify.js';
import { type DropReason, FixStreamReader } from '../../../src/fix/codec/stream-reader.js';
import { loadDictionary } from '../../../src/fix/dictionary/loader.js';
import { fix } from './fix-text.js';

const dictionary = loadDictionary('fix-dictionaries/FIX44.xml');
const T = '20240102-03:04:05';

function reader() {
  const messages: string[] = [];
  const drops: { reason: DropReason; detail: string; msgType: string | undefined }[] = [];
  const r = new FixStreamReader(
    {
      onMessage: (view) => messages.push(`${view.msgType}:${view.getInt(34)}`),
      onDrop: (reason, detail, frame) =>
        drops.push({ reason, detail, msgType: frame === undefined ? undefined : identifyMsgType(frame) }),
    },
    { dictionary },
  );
  return { r, messages, drops };
}

describe('FixStreamReader: what reaches the session and what is dropped (QuickFIX rules)', () => {
  it('delivers valid messages and drops a bad CheckSum with the expected/received values (3b)', () => {
    const { r, messages, drops } = reader();
    r.push(fix(`8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|56=ISLD|10=256|`));
    r.push(fix(`8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|56=ISLD|`));
    expect(messages).to.deep.equal(['0:2']);
    expect(drops).to.have.length(1);
    expect(drops[0]!.reason).to.equal('checksum-mismatch');
    expect(drops[0]!.detail).to.match(/^Expected CheckSum=\d+, Received CheckSum=256$/);
  });

  it('drops both messages when an over-long BodyLength swallows the next one, then reads on (2m)', () => {
    const { r, messages, drops } = reader();
    const body = `35=D|34=4|49=TW44|52=${T}|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|`;
    r.push(Buffer.concat([fix(`8=FIX.4.4|9=111|${body}`), fix(`8=FIX.4.4|${body.replace('34=4', '34=5')}`)]));
    r.push(fix(`8=FIX.4.4|${body.replace('34=4', '34=6')}`));
    expect(drops.map((d) => d.reason)).to.deep.equal(['body-length-mismatch']);
    expect(messages).to.deep.equal(['D:6']);
  });

  it('hands a dropped frame to the caller so it can tell an invalid Logon from other messages', () => {
    const { r, drops } = reader();
    r.push(fix(`8=FIX.4.4|9=40|35=A|34=1|49=TW44|52=${T}|56=ISLD|98=0|108=30|`));
    r.push(fix(`8=FIX.4.4|34=3|35=0|49=TW44|52=${T}|56=ISLD|`));
    expect(drops.map((d) => [d.reason, d.msgType])).to.deep.equal([
      ['body-length-mismatch', 'A'],
      ['header-out-of-order', '0'],
    ]);
  });

  it('passes any BeginString through so the session can answer it', () => {
    const { r, messages } = reader();
    r.push(fix(`8=FIX.4.1|35=1|34=2|49=TW44|52=${T}|56=ISLD|112=id|`));
    expect(messages).to.deep.equal(['1:2']);
  });

  it('counts messages and drops', () => {
    const { r } = reader();
    r.push(Buffer.from('junk'));
    r.push(fix(`8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|56=ISLD|`));
    expect(r.stats).to.deep.equal({ messages: 1, drops: 1, droppedBytes: 4 });
  });
});

describe('identifyMsgType', () => {
  it('finds 35= at a field start only', () => {
    expect(identifyMsgType(Buffer.from('8=FIX.4.4\x019=5\x0135=A\x01'))).to.equal('A');
    expect(identifyMsgType(Buffer.from('8=FIX.4.4\x01135=X\x0135=D\x01'))).to.equal('D');
    expect(identifyMsgType(Buffer.from('8=FIX.4.4\x019=5\x01'))).to.equal(undefined);
  });
});
