import { expect } from 'chai';
import fc from 'fast-check';
import { OpenOrderTable } from '../../src/risk/exposure/open-order-table.js';
import { OpenOrder } from '../../src/risk/exposure/open-orders.js';

describe('risk: open-order table', () => {
  it('agrees with a Map under random adds and deletes, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3000 })), { maxLength: 4000 }), (ops) => {
        const table = new OpenOrderTable(4);
        const map = new Map<number, OpenOrder>();
        for (const [add, id] of ops) {
          if (add && !map.has(id)) {
            const rec = new OpenOrder();
            rec.orderId = id;
            table.add(rec);
            map.set(id, rec);
          } else if (!add) {
            table.delete(id);
            map.delete(id);
          }
          expect(table.size).to.equal(map.size);
        }
        for (let id = 1; id <= 3000; id++) expect(table.get(id)).to.equal(map.get(id));
        expect(table.values().map((r) => r.orderId).sort((a, b) => a - b)).to.deep.equal([...map.keys()].sort((a, b) => a - b));
      }),
      { numRuns: 60 },
    );
  });
});
