// Price-level entries of one turn's incremental update (or a published top-N window): action, side, price,
// visible quantity and order count, in growable typed arrays reused from turn to turn.

import { grownArray } from '../shared/growth.js';

const INITIAL_CAPACITY = 16;

/** MDUpdateAction as stored here: the index into the FIX codes '0' new, '1' change, '2' delete. */
export const Action = { New: 0, Change: 1, Delete: 2 } as const;
export type Action = (typeof Action)[keyof typeof Action];

export class EntryList {
  private actions: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  private bidFlags: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  private prices: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private qtys: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private counts: Int32Array = new Int32Array(INITIAL_CAPACITY);
  length = 0;
  /** Entries per side, so a subscriber that wants one side can size its group without a scan. */
  bidCount = 0;
  offerCount = 0;

  push(action: Action, isBid: boolean, price: number, qty: number, count: number): void {
    if (this.length === this.prices.length) this.grow();
    const i = this.length++;
    this.actions[i] = action;
    this.bidFlags[i] = isBid ? 1 : 0;
    this.prices[i] = price;
    this.qtys[i] = qty;
    this.counts[i] = count;
    if (isBid) this.bidCount++;
    else this.offerCount++;
  }

  clear(): void {
    this.length = 0;
    this.bidCount = 0;
    this.offerCount = 0;
  }

  actionAt(i: number): Action {
    return this.actions[i]! as Action;
  }

  isBidAt(i: number): boolean {
    return this.bidFlags[i] === 1;
  }

  priceAt(i: number): number {
    return this.prices[i]!;
  }

  qtyAt(i: number): number {
    return this.qtys[i]!;
  }

  countAt(i: number): number {
    return this.counts[i]!;
  }

  private grow(): void {
    this.actions = grownArray(this.actions);
    this.bidFlags = grownArray(this.bidFlags);
    this.prices = grownArray(this.prices);
    this.qtys = grownArray(this.qtys);
    this.counts = grownArray(this.counts);
  }
}
