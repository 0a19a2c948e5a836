import { expect } from 'chai';
import { FixEncoder } from '../../../src/fix/codec/encoder.js';
import { FixParser, ParseStatus } from '../../../src/fix/codec/parser.js';
import { formatUtcTimestamp } from '../../../src/fix/codec/timestamp-writer.js';
import { loadDictionaryShared } from '../../../src/fix/dictionary/loader.js';
import { fix, pipes } from './fix-text.js';

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 67);

describe('FixEncoder', () => {
  it('writes 8, 9, 35, header ascending, body ascending, 10, whatever the add order', () => {
    const enc = new FixEncoder();
    enc
      .begin('FIX.4.4', 'D')
      .str(55, 'INTC')
      .char(54, '1')
      .str(11, 'ID')
      .timestamp(52, T)
      .str(56, 'ISLD')
      .int(34, 7)
      .str(49, 'TW44');
    const out = pipes(enc.finish());
    expect(out).to.equal(pipes(fix('8=FIX.4.4|35=D|34=7|49=TW44|52=20240102-03:04:05.067|56=ISLD|11=ID|54=1|55=INTC|')));
  });

  it('computes BodyLength and CheckSum that the parser accepts (round trip)', () => {
    const enc = new FixEncoder();
    enc.begin('FIX.4.4', '8').str(37, 'O1').decimal(44, 12345, 2).decimal(38, 100, 0).bool(43, true).int(34, 1);
    const bytes = Buffer.from(enc.finish());
    const parser = new FixParser();
    expect(parser.parse(bytes)).to.equal(ParseStatus.Ok);
    expect(parser.view.getString(44)).to.equal('123.45');
    expect(parser.view.getScaled(44, 2)).to.equal(12345);
    expect(parser.view.getString(43)).to.equal('Y');
  });

  it('prints scaled decimals exactly', () => {
    const enc = new FixEncoder();
    const cases: [number, number, string][] = [
      [12345, 2, '123.45'],
      [5, 2, '0.05'],
      [-5, 3, '-0.005'],
      [0, 2, '0.00'],
      [100, 0, '100'],
      [Number.MAX_SAFE_INTEGER, 4, '900719925474.0991'],
      [123456789, 8, '1.23456789'],
    ];
    for (const [value, decimals, text] of cases) {
      enc.begin('FIX.4.4', '0').decimal(44, value, decimals);
      expect(pipes(enc.finish())).to.contain(`|44=${text}|`);
    }
  });

  it('formats SendingTime as YYYYMMDD-HH:MM:SS.sss, across second, day and leap-year boundaries', () => {
    expect(formatUtcTimestamp(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).to.equal('20240229-23:59:59.999');
    expect(formatUtcTimestamp(Date.UTC(2024, 2, 1, 0, 0, 0, 0))).to.equal('20240301-00:00:00.000');
    expect(formatUtcTimestamp(Date.UTC(1999, 11, 31, 12, 0, 1, 5), 0)).to.equal('19991231-12:00:01');
    const enc = new FixEncoder();
    for (const ms of [T, T + 1, T + 999, T + 1000, T + 86400000]) {
      enc.begin('FIX.4.4', '0').timestamp(52, ms);
      expect(pipes(enc.finish())).to.contain(`|52=${new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').replace('Z', '').replace(/^(\d{8}-\d{2})(\d{2})(\d{2})/, '$1:$2:$3')}|`);
    }
  });

  it('re-encodes a received body byte-for-byte (38=002000.00 stays)', () => {
    const parser = new FixParser();
    parser.parse(fix('8=FIX.4.4|35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|11=ID|21=1|40=1|54=1|38=002000.00|55=INTC|60=20240102-03:04:05|'));
    const enc = new FixEncoder();
    enc.begin('FIX.4.4', 'D').copyBody(parser.view).str(49, 'ISLD').str(56, 'TW44').int(34, 2).timestamp(52, T);
    expect(pipes(enc.finish())).to.equal(
      pipes(fix('8=FIX.4.4|35=D|34=2|49=ISLD|52=20240102-03:04:05.067|56=TW44|11=ID|21=1|38=002000.00|40=1|54=1|55=INTC|60=20240102-03:04:05|')),
    );
  });

  it('lets the session replace header fields the application already set', () => {
    const enc = new FixEncoder();
    enc.begin('FIX.4.4', '0').str(49, 'APP').setStr(49, 'ISLD').setInt(34, 9);
    expect(pipes(enc.finish())).to.equal(pipes(fix('8=FIX.4.4|35=0|34=9|49=ISLD|')));
  });

  it("writes fields in call order in 'as-added' mode, and copies already-encoded fields verbatim", () => {
    const enc = new FixEncoder({ fieldOrder: 'as-added' });
    const stored = Buffer.from('11=ID\x0121=3\x0155=INTC\x01', 'latin1');
    enc.begin('FIX.4.4', 'D').int(34, 3).str(49, 'ISLD').rawFields(stored, 0, stored.length).str(1, 'ACC');
    expect(pipes(enc.finish())).to.equal(pipes(fix('8=FIX.4.4|35=D|34=3|49=ISLD|11=ID|21=3|55=INTC|1=ACC|')));
  });

  it('keeps the output buffer until the next finish() and reuses it', () => {
    const enc = new FixEncoder();
    const first = enc.begin('FIX.4.4', '0').int(34, 1).finish();
    const copy = Buffer.from(first);
    const second = enc.begin('FIX.4.4', '0').int(34, 2).finish();
    expect(second.buffer).to.equal(first.buffer);
    expect(pipes(copy)).to.contain('|34=1|');
  });

  it('refuses values that would corrupt the frame', () => {
    const enc = new FixEncoder();
    expect(() => enc.begin('FIX.4.4', '0').str(58, 'a\x01b')).to.throw(RangeError);
    expect(() => enc.begin('FIX.4.4', '0').int(34, 1.5)).to.throw(RangeError);
  });

  it('says whether its dictionary allows a tag on the message being written (header tags everywhere)', () => {
    const standard = new FixEncoder({ dictionary: loadDictionaryShared('fix-dictionaries/FIX44.xml') });
    const extended = new FixEncoder({ dictionary: loadDictionaryShared('fix-dictionaries/FIX44-venue.xml') });
    expect([standard.begin('FIX.4.4', '8').allows(797), standard.allows(52), standard.allows(102)]).to.deep.equal([true, true, false]);
    expect([standard.begin('FIX.4.4', '9').allows(797), standard.allows(102), standard.allows(97)]).to.deep.equal([false, true, true]);
    expect(extended.begin('FIX.4.4', '9').allows(797)).to.equal(true);
    // Without a definition of the message there is nothing to check against.
    expect(new FixEncoder().begin('FIX.4.4', '9').allows(797)).to.equal(true);
  });
});
