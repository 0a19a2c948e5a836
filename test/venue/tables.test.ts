import { expect } from 'chai';
import fc from 'fast-check';
import { ClOrdIdIndex, clOrdIdHash } from '../../src/venue/core/clordid-index.js';
import { Order } from '../../src/venue/core/order.js';
import { OrderIdTable } from '../../src/venue/core/order-slots.js';
import { BookSide } from '../../src/venue/core/book-side.js';
import { Side } from '../../src/venue/model/enums.js';

function order(id: number, session: string, clOrdId: string): Order {
  const o = new Order();
  o.orderId = id;
  o.session = session;
  o.clOrdId = clOrdId;
  return o;
}

describe('venue core: hash tables and the price ladder', () => {
  it('ClOrdID index agrees with a Map, even when every hash collides and runs wrap around the table', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 300 }), (ops) => {
        const index = new ClOrdIdIndex(4);
        const model = new Map<string, Order>();
        let id = 0;
        for (const [add, n] of ops) {
          const session = `S${n % 3}`;
          const clOrdId = `c${n}`;
          const key = `${session}|${clOrdId}`;
          // Only four distinct hashes, all mapping to the last slots: long collision runs that wrap around.
          const realHash = 0xfffffffc + (n % 4);
          if (add && !model.has(key)) {
            const o = order(++id, session, clOrdId);
            index.add(o, realHash);
            model.set(key, o);
          } else if (!add && model.has(key)) {
            index.remove(model.get(key)!);
            model.delete(key);
          }
          for (const [k, o] of model) expect(index.find(o.clHash, o.session, o.clOrdId), k).to.equal(o);
          expect(index.find(realHash, session, clOrdId)).to.equal(model.get(key));
          expect(index.size).to.equal(model.size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('hashes session and ClOrdID together', () => {
    expect(clOrdIdHash('S1', 'ab')).to.not.equal(clOrdIdHash('S1a', 'b'));
    expect(new ClOrdIdIndex().get('S1', undefined as unknown as string)).to.equal(undefined);
  });

  it('order-id table agrees with a Map under random inserts and removes, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 500 })), { maxLength: 600 }), (ops) => {
        const table = new OrderIdTable(2);
        const model = new Map<number, Order>();
        for (const [add, id] of ops) {
          if (add && !model.has(id)) {
            const o = order(id, 'S', `c${id}`);
            table.add(o);
            model.set(id, o);
          } else if (!add && model.has(id)) {
            table.remove(model.get(id)!);
            model.delete(id);
          }
        }
        expect(table.size).to.equal(model.size);
        for (const [id, o] of model) expect(table.get(id)).to.equal(o);
        const seen: number[] = [];
        table.forEach((o) => seen.push(o.orderId));
        expect(seen.sort((a, b) => a - b)).to.deep.equal([...model.keys()].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });

  it('order-id table: a block of sequential ids does not become one long run of slots', () => {
    // Resting orders hold consecutive ids; filed under their raw value they filled one run, and every later id
    // landing in it walked the whole run (the cost grew with history: ~25 µs a command after 1 M commands).
    const table = new OrderIdTable(4096);
    for (let id = 1; id <= 100_000; id++) table.add(order(id, 'S', `c${id}`));
    for (let id = 1_048_577; id <= 1_058_576; id++) table.add(order(id, 'S', `c${id}`));
    expect(table.size).to.equal(110_000);
    expect(table.longestRun()).to.be.below(200);
    expect(table.get(50_000)!.orderId).to.equal(50_000);
    expect(table.get(1_050_000)!.orderId).to.equal(1_050_000);
  });

  it('the price ladder keeps levels sorted best-last through inserts and removals anywhere', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 60 })), { maxLength: 300 }), fc.constantFrom(Side.Buy, Side.Sell), (ops, side) => {
        const ladder = new BookSide(side);
        const model = new Set<number>();
        let id = 0;
        for (const [add, price] of ops) {
          if (add) {
            const o = order(++id, 'S', `c${id}`);
            o.price = price;
            o.leavesQty = 1;
            o.visibleQty = 1;
            ladder.add(o);
            model.add(price);
          } else {
            const level = ladder.find(price);
            expect(level !== null).to.equal(model.has(price));
            if (level) {
              while (level.head) level.remove(level.head);
              ladder.removeLevel(level);
              model.delete(price);
            }
          }
          const prices = ladder.levels.map((l) => l.price);
          const expected = [...model].sort((a, b) => (side === Side.Buy ? a - b : b - a));
          expect(prices).to.deep.equal(expected);
          expect(ladder.best()?.price ?? null).to.equal(expected.length ? expected[expected.length - 1] : null);
        }
      }),
      { numRuns: 200 },
    );
  });
});
