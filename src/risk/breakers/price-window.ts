// Lowest and highest trade price over a sliding time window, in amortised O(1) per trade: two monotonic
// queues (the classic sliding-window minimum), each holding only prices that can still become the
// window's minimum (or maximum).

class MonotonicQueue {
  private times: number[] = [];
  private prices: number[] = [];
  private head = 0;

  constructor(private readonly keepsMinimum: boolean) {}

  get empty(): boolean {
    return this.head >= this.prices.length;
  }

  /** The extreme price of the window (call only when not empty). */
  get extreme(): number {
    return this.prices[this.head]!;
  }

  push(time: number, price: number): void {
    const prices = this.prices;
    while (prices.length > this.head) {
      const last = prices[prices.length - 1]!;
      if (this.keepsMinimum ? last < price : last > price) break;
      prices.pop();
      this.times.pop();
    }
    prices.push(price);
    this.times.push(time);
  }

  /** Drops entries at or before `cutoff`. */
  evict(cutoff: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.prices = this.prices.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.times = [];
    this.prices = [];
    this.head = 0;
  }
}

export class PriceWindow {
  private readonly lows = new MonotonicQueue(true);
  private readonly highs = new MonotonicQueue(false);

  constructor(readonly spanMs: number) {}

  /** Forgets trades older than the window ending at `time`. */
  advance(time: number): void {
    const cutoff = time - this.spanMs;
    this.lows.evict(cutoff);
    this.highs.evict(cutoff);
  }

  get empty(): boolean {
    return this.lows.empty;
  }

  get low(): number {
    return this.lows.extreme;
  }

  get high(): number {
    return this.highs.extreme;
  }

  add(time: number, price: number): void {
    this.lows.push(time, price);
    this.highs.push(time, price);
  }

  clear(): void {
    this.lows.clear();
    this.highs.clear();
  }
}
