// Encoding straight into a caller's buffer (the message store's staging), so a message is written once where it is
// stored and sent from: the bytes must be exactly what the encoder's own buffers give, placed at the offset asked
// for, with nothing before it touched; a message that outgrows the target or needs reordering is built elsewhere.

import { expect } from 'chai';
import fc from 'fast-check';
import { FixEncoder } from '../../../src/fix/codec/encoder.js';
import { loadDictionaryShared } from '../../../src/fix/dictionary/loader.js';

const dictionary = loadDictionaryShared(new URL('../../../fix-dictionaries/FIX44.xml', import.meta.url).pathname);
const T = Date.UTC(2025, 10, 24, 16, 0, 0, 7);

type Step = (e: FixEncoder) => FixEncoder;
const header: Step = (e) => e.int(34, 12).str(49, 'VENUE').timestamp(52, T).str(56, 'BENCH1');

function own(...steps: Step[]): Buffer {
  const enc = new FixEncoder({ dictionary });
  enc.begin('FIX.4.4', '8');
  for (const step of steps) step(enc);
  return Buffer.from(enc.finish());
}

describe('FixEncoder: encoding into a target buffer', () => {
  it('places an in-order message at the offset, byte for byte what its own buffers give, nothing before it touched', () => {
    const text = fc.stringMatching(/^[A-Za-z0-9.-]{1,40}$/);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), text, text, fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 999999 }), (at, account, clOrdId, qty, seq) => {
        const body: Step = (e) => e.str(1, account).str(11, clOrdId).decimal(14, qty, 5).str(17, `${seq}B`).char(39, '2').str(55, 'BTCUSDT');
        const head: Step = (e) => e.int(34, seq).str(49, 'VENUE').timestamp(52, T).str(56, 'BENCH1');
        const target = Buffer.alloc(8192, 0x55);
        const enc = new FixEncoder({ dictionary });
        enc.beginInto(target, at, 'FIX.4.4', '8');
        head(enc).markHeaderEnd();
        body(enc);
        expect(enc.headerChanged).to.equal(false);
        const length = enc.finishInto();
        const expected = own(head, body);
        expect(length).to.equal(expected.length);
        expect(target.subarray(at, at + length).equals(expected)).to.equal(true);
        expect(target.subarray(0, at).every((b) => b === 0x55)).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });

  it('continues in its own buffers when the message outgrows the target, and says so', () => {
    const target = Buffer.alloc(200, 0x55);
    const enc = new FixEncoder({ dictionary });
    const long: Step = (e) => e.str(58, 'x'.repeat(500));
    enc.beginInto(target, 50, 'FIX.4.4', '8');
    header(enc).markHeaderEnd();
    long(enc);
    expect(enc.finishInto()).to.equal(-1);
    expect(enc.finishedElsewhere.equals(own(header, long))).to.equal(true);
    expect(target.subarray(0, 50).every((b) => b === 0x55)).to.equal(true);
  });

  it('marks the header changed when the body adds a field the session owns, and then builds the sorted message elsewhere', () => {
    const target = Buffer.alloc(4096);
    const enc = new FixEncoder({ dictionary });
    enc.beginInto(target, 0, 'FIX.4.4', '8');
    header(enc).markHeaderEnd();
    enc.str(1, 'ACC').bool(43, true);
    expect(enc.headerChanged).to.equal(true);
    enc.remove(43).remove(122).setInt(34, 12).setStr(49, 'VENUE').setTimestamp(52, T).setStr(56, 'BENCH1');
    expect(enc.finishInto()).to.equal(-1);
    expect(enc.finishedElsewhere.equals(own(header, (e) => e.str(1, 'ACC')))).to.equal(true);
  });

  it('leaves a header field the session does not own (PossResend) in place, in order', () => {
    const target = Buffer.alloc(4096);
    const enc = new FixEncoder({ dictionary });
    enc.beginInto(target, 10, 'FIX.4.4', '8');
    header(enc).markHeaderEnd();
    enc.bool(97, true).str(1, 'ACC');
    expect(enc.headerChanged).to.equal(false);
    const length = enc.finishInto();
    expect(length).to.be.greaterThan(0);
    expect(target.subarray(10, 10 + length).equals(own(header, (e) => e.bool(97, true).str(1, 'ACC')))).to.equal(true);
  });
});
