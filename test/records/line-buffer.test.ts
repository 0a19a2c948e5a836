import { expect } from 'chai';
import fc from 'fast-check';
import { LineBuffer } from '../../src/records/line-buffer.js';
import { escapeField, unescapeField } from '../../src/records/record-format.js';
import { formatDecimal } from '../../src/venue/model/decimal.js';

function written(fill: (b: LineBuffer) => void, initialBytes = 4): string {
  const b = new LineBuffer(initialBytes); // tiny, so every test also grows the buffer
  b.begin('2025-03-04');
  fill(b);
  b.end(1);
  return b.buf.toString('utf8', 0, b.len);
}

describe('record line buffer', () => {
  it('prints scaled integers exactly as formatDecimal does, for any safe value and scale', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 15 }), (v, d) => {
        expect(written((b) => b.dec(v, d))).to.equal(`${formatDecimal(v, d)}\n`);
      }),
      { numRuns: 2000 },
    );
    expect(written((b) => b.dec(-5, 3))).to.equal('-0.005\n');
    expect(written((b) => b.optDec(0, 2))).to.equal('\n');
    expect(written((b) => b.int(-1234567890123))).to.equal('-1234567890123\n');
  });

  it('escapes free text the way the parser undoes it, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const line = written((b) => b.text(s));
        expect(line).to.equal(`${escapeField(s)}\n`);
        expect(unescapeField(line.slice(0, -1))).to.equal(s);
      }),
      { numRuns: 300 },
    );
    expect(written((b) => b.text('a\tb\\c\nd\re €'))).to.equal('a\\tb\\\\c\\nd\\re €\n');
  });

  it('keeps room for the fields after long free text, and refuses a line that outgrew its reserve', () => {
    const b = new LineBuffer(4);
    const long = 'é\t'.repeat(3000);
    b.begin('2025-03-04');
    b.text(long);
    for (let i = 0; i < 20; i++) {
      b.tab();
      b.dec(Number.MAX_SAFE_INTEGER, 8);
    }
    b.end(1);
    const fields = b.buf.toString('utf8', 0, b.len - 1).split('\t');
    expect(unescapeField(fields[0]!)).to.equal(long);
    expect(fields.slice(1)).to.deep.equal(new Array(20).fill(formatDecimal(Number.MAX_SAFE_INTEGER, 8)));
    // Words are meant to be short codes; a line of them beyond the reserve fails loudly instead of losing bytes.
    b.begin('2025-03-04');
    for (let i = 0; i < 60; i++) b.word('a-word-of-twenty-chr');
    expect(() => b.end(2)).to.throw(/longer than its reserve/);
  });

  it('groups lines by trade date and can drop a line begun last', () => {
    const b = new LineBuffer(8);
    b.begin('2025-03-04');
    b.word('one');
    b.end(5);
    b.begin('2025-03-05');
    b.word('two');
    b.end(7);
    b.begin('2025-03-05');
    b.word('half a li');
    b.abandon();
    b.begin('2025-03-06');
    b.word('x');
    b.abandon();
    expect(b.segments).to.deep.equal([
      { date: '2025-03-04', start: 0, end: 4, lastSeq: 5 },
      { date: '2025-03-05', start: 4, end: 8, lastSeq: 7 },
    ]);
    expect(b.buf.toString('utf8', 0, b.len)).to.equal('one\ntwo\n');
    expect(b.lines).to.equal(2);
  });
});
