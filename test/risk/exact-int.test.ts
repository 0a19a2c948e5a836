import { expect } from 'chai';
import fc from 'fast-check';
import { toBig, xadd, xdiv, xmul, xneg, xsub, type ExactInt } from '../../src/risk/exact/exact-int.js';
import { applyBaseFill, Position, type FillDelta } from '../../src/risk/positions/position.js';

const MAX = Number.MAX_SAFE_INTEGER;
/** Integers around zero, around 2^26 (products near 2^53) and around 2^53 itself, as doubles or BigInts. */
const near = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -(2 ** 27), max: 2 ** 27 }),
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
  fc.bigInt({ min: BigInt(MAX) - 1000n, max: BigInt(MAX) + 1000n }),
).map((v): ExactInt => (typeof v === 'bigint' && v >= -BigInt(MAX) && v <= BigInt(MAX) ? Number(v) : v));

/** The canonical form: a double when it fits, else BigInt. */
function canonical(v: ExactInt): boolean {
  return typeof v === 'number' ? Number.isSafeInteger(v) && !Object.is(v, -0) : v > BigInt(MAX) || v < -BigInt(MAX);
}

describe('risk: exact integers (double while they fit, BigInt beyond)', () => {
  it('agree with BigInt arithmetic and stay canonical', () => {
    fc.assert(fc.property(near, near, (a, b) => {
      const A = toBig(a);
      const B = toBig(b);
      for (const [r, want] of [[xadd(a, b), A + B], [xsub(a, b), A - B], [xmul(a, b), A * B], [xneg(a), -A]] as const) {
        expect(toBig(r)).to.equal(want);
        expect(canonical(r)).to.equal(true);
      }
      if (B !== 0n) {
        const q = xdiv(a, b);
        expect(toBig(q)).to.equal(A / B);
        expect(canonical(q)).to.equal(true);
      }
    }), { numRuns: 3000 });
  });

  it('apply fills to a position exactly like a plain BigInt model', () => {
    const fill = fc.record({ d: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((d) => d !== 0n), p: fc.integer({ min: 1, max: 10 ** 9 }) });
    fc.assert(fc.property(fc.array(fill, { minLength: 1, maxLength: 40 }), fc.constantFrom(1, 10, 1000), (fills, unit) => {
      const pos = new Position('F', 'A', 'BTC', 'base', 5, 7, 'USDT');
      const out: FillDelta = { cost: 0, realised: 0 };
      let net = 0n;
      let cost = 0n;
      let realised = 0n;
      let volume = 0n;
      for (const { d, p } of fills) {
        applyBaseFill(pos, d >= -BigInt(MAX) && d <= BigInt(MAX) ? Number(d) : d, p, unit, out);
        // The reference: the same rules, written plainly in BigInt.
        const P = BigInt(p) * BigInt(unit);
        if (net === 0n || (net > 0n) === (d > 0n)) {
          cost += d * P;
          net += d;
        } else {
          const absNet = net < 0n ? -net : net;
          const absD = d < 0n ? -d : d;
          const closed = absD < absNet ? absD : absNet;
          const released = (cost * closed) / absNet;
          realised += (net > 0n ? closed * P : -closed * P) - released;
          cost -= released;
          net += d > 0n ? closed : -closed;
          const left = absD - closed;
          if (left > 0n) {
            cost += (d > 0n ? left : -left) * P;
            net += d > 0n ? left : -left;
          }
        }
        volume += d < 0n ? -d : d;
        expect([toBig(pos.net), toBig(pos.cost), toBig(pos.realised), toBig(pos.volume)]).to.deep.equal([net, cost, realised, volume]);
      }
    }), { numRuns: 500 });
  });
});
