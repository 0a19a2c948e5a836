// An open-addressing hash table from a numeric key to orders, with linear probing and backward-shift
// deletion (no tombstones). It replaces Map on the hot path: a Map call is a builtin call plus a hashed
// bucket chain, while a probe here is a couple of typed-array reads, and the table allocates nothing
// until it grows. Keys need not be unique (the ClOrdID index stores hashes, which can collide): every
// entry is its own slot and callers walk the run of slots with their key.

import type { Order } from './order.js';

const EMPTY = undefined;

export class OrderTable {
  private keys: Float64Array;
  private values: Array<Order | undefined>;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.values = new Array<Order | undefined>(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Slot of the first entry with this key, or -1. */
  first(key: number): number {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = home(key) & mask;
    while (values[i] !== EMPTY) {
      if (keys[i] === key) return i;
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Slot of the next entry with this key after `slot`, or -1. */
  next(slot: number, key: number): number {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = (slot + 1) & mask;
    while (values[i] !== EMPTY) {
      if (keys[i] === key) return i;
      i = (i + 1) & mask;
    }
    return -1;
  }

  valueAt(slot: number): Order {
    return this.values[slot]!;
  }

  /** The entry with this key, for tables whose keys are unique (order ids). */
  get(key: number): Order | undefined {
    const slot = this.first(key);
    return slot < 0 ? undefined : this.values[slot];
  }

  insert(key: number, value: Order): void {
    if ((this.count + 1) * 2 > this.values.length) this.grow();
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = home(key) & mask;
    while (values[i] !== EMPTY) i = (i + 1) & mask;
    keys[i] = key;
    values[i] = value;
    this.count++;
  }

  /** Removes the entry holding exactly this order under this key. */
  remove(key: number, value: Order): boolean {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = home(key) & mask;
    for (;;) {
      const v = values[i];
      if (v === EMPTY) return false;
      if (v === value && keys[i] === key) break;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole when their home
    // position allows it, so lookups never need tombstones.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (values[j] === EMPTY) break;
      const h = home(keys[j]!) & mask;
      const stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (!stays) {
        keys[hole] = keys[j]!;
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = EMPTY;
    this.count--;
    return true;
  }

  forEach(fn: (value: Order) => void): void {
    const values = this.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== EMPTY) fn(v);
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = oldValues.length * 2;
    this.keys = new Float64Array(cap);
    this.values = new Array<Order | undefined>(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldValues.length; i++) {
      const v = oldValues[i];
      if (v !== EMPTY) this.insert(oldKeys[i]!, v);
    }
  }
}

/** Spreads integer keys over the table (order ids are sequential; hashes are already mixed). */
function home(key: number): number {
  const lo = key | 0;
  const hi = (key / 4294967296) | 0;
  return Math.imul(lo ^ hi, 0x9e3779b1) >>> 0;
}
