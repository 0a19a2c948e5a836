import { expect } from 'chai';
import { FixParser, ParseStatus } from '../../../src/fix/codec/parser.js';
import { lastReadError, ReadError } from '../../../src/fix/codec/read-values.js';
import { fix, soh } from './fix-text.js';

function parsed(text: string | Buffer, parser = new FixParser()) {
  const buf = typeof text === 'string' ? fix(text) : text;
  const status = parser.parse(buf);
  return { status, view: parser.view, parser };
}

describe('FixParser: framing checks QuickFIX makes before a message exists', () => {
  it('accepts a well-formed message and records every field in wire order', () => {
    const { status, view } = parsed('8=FIX.4.4|35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|11=ID|55=INTC|');
    expect(status).to.equal(ParseStatus.Ok);
    expect(view.fieldCount).to.equal(10);
    const tags = Array.from({ length: view.fieldCount }, (_, i) => view.tagAt(i));
    expect(tags).to.deep.equal([8, 9, 35, 34, 49, 52, 56, 11, 55, 10]);
    expect(view.msgType).to.equal('D');
    expect(view.stringAt(8)).to.equal('INTC');
  });

  it('refuses a wrong CheckSum, a wrong BodyLength either way, and a non-numeric CheckSum', () => {
    expect(parsed('8=FIX.4.4|35=0|34=2|49=A|52=20240102-03:04:05|56=B|10=256|').status).to.equal(
      ParseStatus.CheckSumMismatch,
    );
    expect(parsed('8=FIX.4.4|9=10|35=0|34=2|49=A|52=20240102-03:04:05|56=B|').status).to.equal(
      ParseStatus.BodyLengthMismatch,
    );
    expect(parsed('8=FIX.4.4|9=100|35=0|34=2|49=A|52=20240102-03:04:05|56=B|').status).to.equal(
      ParseStatus.BodyLengthMismatch,
    );
    const good = fix('8=FIX.4.4|35=0|34=2|49=A|52=20240102-03:04:05|56=B|').toString('latin1');
    const letters = Buffer.from(good.replace(/10=\d+\x01$/, '10=abc\x01'), 'latin1');
    expect(parsed(letters).status).to.equal(ParseStatus.BadCheckSum);
  });

  it('accepts a CheckSum written without leading zeros, as QuickFIX (IntConvertor) does', () => {
    const good = fix('8=FIX.4.4|35=0|34=2|49=A|52=20240102-03:04:05|56=B|');
    const text = good.toString('latin1');
    const value = Number(text.slice(text.lastIndexOf('10=') + 3, -1));
    const unpadded = Buffer.from(`${text.slice(0, text.lastIndexOf('10='))}10=${value}\x01`, 'latin1');
    expect(parsed(unpadded).status).to.equal(ParseStatus.Ok);
  });

  it('refuses a message whose first three fields are not 8, 9, 35 (2t)', () => {
    expect(parsed('8=FIX.4.4|9=5|34=3|35=0|10=000|').status).to.equal(ParseStatus.HeaderOutOfOrder);
    expect(parsed('8=FIX.4.4|34=3|35=0|49=A|').status).to.equal(ParseStatus.HeaderOutOfOrder);
  });

  it('refuses garbled fields: a tag that is not a number, or a field without "="', () => {
    expect(parsed('8=FIX.4.4|9=52|35=0|34=2|4garbled9=TW|52=20240102-03:04:05|56=ISLD|10=0|').status).to.equal(
      ParseStatus.GarbledField,
    );
    expect(parsed('8=FIX.4.4|35=0|34=2|49garbled=TW|').status).to.equal(ParseStatus.GarbledField);
    expect(parsed('8=FIX.4.4|35=0|34=2|novalue|').status).to.equal(ParseStatus.GarbledField);
    expect(parsed('8=FIX.4.4|35=0|=x|').status).to.equal(ParseStatus.GarbledField);
  });

  it('reads negative and zero tags (QuickFIX rejects them later as invalid tag numbers)', () => {
    const { status, view } = parsed('8=FIX.4.4|35=0|34=2|-1=HI|0=X|');
    expect(status).to.equal(ParseStatus.Ok);
    expect(view.getString(-1)).to.equal('HI');
    expect(view.getString(0)).to.equal('X');
  });

  it('skips the length and checksum checks when ValidateLengthAndChecksum is off', () => {
    const parser = new FixParser({ validateLengthAndChecksum: false });
    expect(parser.parse(soh('8=FIX.4.4|9=1|35=0|10=999|'))).to.equal(ParseStatus.Ok);
  });
});

describe('FixMessageView accessors', () => {
  const { view } = parsed(
    '8=FIX.4.4|35=D|34=0042|49=TW44|52=20240102-03:04:05.067|56=ISLD|11=ID|38=002000.00|44=-12.5|' +
      '54=1|59=x9|60=20240102-03:04:05|97=Y|43=N|58=|110=1e5|111=+5|126=20240229-23:59:60.123456789|' +
      '211=1.|212=.5|213=9007199254740993|214=12.3.4|',
  );

  it('reads strings, chars and booleans', () => {
    expect(view.getString(49)).to.equal('TW44');
    expect(view.getString(58)).to.equal('');
    expect(view.getString(999)).to.equal(undefined);
    expect(view.getChar(54)).to.equal('1');
    expect(view.getChar(59)).to.equal(null);
    expect(view.getChar(999)).to.equal(undefined);
    expect(view.getBoolean(97)).to.equal(true);
    expect(view.getBoolean(43)).to.equal(false);
    expect(view.getBoolean(54)).to.equal(null);
    expect(view.valueEquals(56, 'ISLD')).to.equal(true);
    expect(view.valueEquals(56, 'ISL')).to.equal(false);
  });

  it('reads integers with distinct absent and malformed results', () => {
    expect(view.getInt(34)).to.equal(42);
    expect(view.getInt(999)).to.equal(undefined);
    expect(view.getInt(49)).to.be.NaN;
    expect(lastReadError()).to.equal(ReadError.Malformed);
    expect(view.getInt(58)).to.be.NaN;
    expect(view.getInt(111)).to.be.NaN; // '+' is not FIX syntax
  });

  it('reads decimals exactly into scaled integers', () => {
    expect(view.getScaled(38, 2)).to.equal(200000);
    expect(view.getScaled(38, 0)).to.equal(2000);
    expect(view.getScaled(44, 2)).to.equal(-1250);
    expect(view.getScaled(44, 0)).to.be.NaN;
    expect(lastReadError()).to.equal(ReadError.Inexact);
    expect(view.getScaled(211, 2)).to.equal(100);
    expect(view.getScaled(212, 2)).to.equal(50);
    expect(view.getScaled(110, 2)).to.be.NaN;
    expect(lastReadError()).to.equal(ReadError.Malformed);
    expect(view.getScaled(111, 2)).to.be.NaN;
    expect(view.getScaled(214, 2)).to.be.NaN;
    expect(lastReadError()).to.equal(ReadError.Malformed);
    expect(view.getScaled(213, 0)).to.be.NaN;
    expect(lastReadError()).to.equal(ReadError.Overflow);
    expect(view.getScaled(58, 2)).to.be.NaN;
  });

  it('reads UTC timestamps as epoch milliseconds, with or without a fraction', () => {
    expect(view.getTimestamp(52)).to.equal(Date.UTC(2024, 0, 2, 3, 4, 5, 67));
    expect(view.getTimestamp(60)).to.equal(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(view.getTimestamp(126)).to.equal(Date.UTC(2024, 1, 29, 23, 59, 60, 123));
    expect(view.getTimestamp(49)).to.be.NaN;
  });

  it('exposes field positions and raw bytes for byte-exact re-encoding', () => {
    const i = view.indexOf(38);
    expect(view.buffer.toString('latin1', view.valueStartAt(i), view.valueEndAt(i))).to.equal('002000.00');
    expect(view.buffer.toString('latin1', view.fieldStartAt(i), view.fieldEndAt(i))).to.equal('38=002000.00\x01');
    expect(view.raw().length).to.equal(view.length);
    expect(view.raw().toString('latin1').startsWith('8=FIX.4.4\x019=')).to.equal(true);
  });
});

describe('FixMessageView duplicates, structure and detach', () => {
  it('flags repeated top-level tags', () => {
    const { view } = parsed('8=FIX.4.4|35=D|34=2|49=A|52=20240102-03:04:05|56=B|40=1|40=2|54=1|');
    expect(view.repeatCount).to.equal(1);
    const second = Array.from({ length: view.fieldCount }, (_, i) => i).filter((i) => view.tagAt(i) === 40)[1]!;
    expect(view.isRepeatAt(second)).to.equal(true);
    expect(view.getString(40)).to.equal('1');
  });

  it('notes the first header tag that follows a body tag (reason 14)', () => {
    const { view } = parsed('8=FIX.4.4|35=D|55=MSFT|34=3|49=TW44|52=20240102-03:04:05|56=ISLD|11=id|');
    expect(view.outOfOrder).to.equal(true);
    expect(view.outOfOrderTag).to.equal(34);
  });

  it('detach() keeps a message valid after the parser moves on', () => {
    const parser = new FixParser();
    parser.parse(fix('8=FIX.4.4|35=D|34=2|49=A|52=20240102-03:04:05|56=B|11=FIRST|'));
    const kept = parser.view.detach();
    parser.parse(fix('8=FIX.4.4|35=0|34=3|49=A|52=20240102-03:04:05|56=B|'));
    expect(kept.getString(11)).to.equal('FIRST');
    expect(kept.getInt(34)).to.equal(2);
    expect(kept.msgType).to.equal('D');
    expect(parser.view.getString(11)).to.equal(undefined);
  });

  it('finds tags above the direct lookup table by scanning', () => {
    const { view } = parsed('8=FIX.4.4|35=0|34=2|9001=A|9001=B|20000=C|');
    expect(view.getString(9001)).to.equal('A');
    expect(view.getString(20000)).to.equal('C');
    expect(view.repeatCount).to.equal(1);
  });
});

describe('FixParser: CheckSum over unusual layouts', () => {
  it('leaves every CheckSum field out of BodyLength and the sum, as QuickFIX does', () => {
    // an extra 10= inside the message: QuickFIX's bodyLength() and checkSum() skip every 10 field
    const before = '35=0\x0134=2\x0149=A\x0152=20240102-03:04:05\x0156=B\x01';
    const after = '112=X\x01';
    const head = `8=FIX.4.4\x019=${before.length + after.length}\x01`;
    let sum = 0;
    for (const b of Buffer.from(head + before + after, 'latin1')) sum += b;
    const ck = String(sum % 256).padStart(3, '0');
    const bytes = Buffer.from(`${head}${before}10=${ck}\x01${after}10=${ck}\x01`, 'latin1');
    const parser = new FixParser();
    expect(parser.parse(bytes)).to.equal(ParseStatus.Ok);
    expect(parser.view.actualBodyLength).to.equal(before.length + after.length);
  });
});
