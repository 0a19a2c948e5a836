// Risk's open orders by order id: open addressing over a plain array of the records themselves (each carries its
// id), linear probing with backward-shift deletion. A Map with an insert and a delete per order (an order that
// fills at once) rehashes its table every few orders, an allocation on the order path; this table never allocates
// once grown. At most a third full, so probe runs stay short. Ids are unique.

import type { OpenOrder } from './open-orders.js';

export class OpenOrderTable {
  private slots: (OpenOrder | undefined)[];
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 3) cap *= 2;
    this.slots = new Array<OpenOrder | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get(orderId: number): OpenOrder | undefined {
    const slots = this.slots;
    for (let i = hash(orderId) & this.mask; ; i = (i + 1) & this.mask) {
      const rec = slots[i];
      if (rec === undefined || rec.orderId === orderId) return rec;
    }
  }

  /** Files a record whose id is not in the table yet. */
  add(rec: OpenOrder): void {
    if ((this.count + 1) * 3 > this.slots.length) this.grow();
    const slots = this.slots;
    let i = hash(rec.orderId) & this.mask;
    while (slots[i] !== undefined) i = (i + 1) & this.mask;
    slots[i] = rec;
    this.count++;
  }

  delete(orderId: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(orderId) & mask;
    for (;;) {
      const rec = slots[i];
      if (rec === undefined) return;
      if (rec.orderId === orderId) break;
      i = (i + 1) & mask;
    }
    // Backward shift: move later members of the run into the hole when their home is at or before it.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const rec = slots[j];
      if (rec === undefined) break;
      const home = hash(rec.orderId) & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots[hole] = rec;
        hole = j;
      }
    }
    slots[hole] = undefined;
    this.count--;
  }

  values(): OpenOrder[] {
    const out: OpenOrder[] = [];
    for (const rec of this.slots) if (rec !== undefined) out.push(rec);
    return out;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<OpenOrder | undefined>(old.length * 2).fill(undefined);
    this.mask = this.slots.length - 1;
    this.count = 0;
    for (const rec of old) if (rec !== undefined) this.add(rec);
  }
}

/** Order ids are sequential: spread them so neighbours do not share runs (Fibonacci multiply, high bits folded in). */
function hash(id: number): number {
  const h = Math.imul(id | 0, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}
