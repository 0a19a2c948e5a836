// Orders per second over a sliding one-second window, exact for the integer-millisecond times commands
// carry: one counter per millisecond in a ring of 1000, plus their total. Memory is fixed (4 KB) whatever
// the limit, and a check is O(1) except when the window has to skip ahead over idle milliseconds.
//
// Times come from the commands and events (never a clock), so the same journal gives the same counts.

const SPAN_MS = 1000;

export class RateWindow {
  private readonly slots = new Int32Array(SPAN_MS);
  private total = 0;
  /** Newest millisecond the ring covers; the ring holds (newest - 1000, newest]. */
  private newest = -Infinity;

  /** Number of orders recorded in (time - 1000, time]. A time behind the newest counts the newest window. */
  countAt(time: number): number {
    this.advance(Math.floor(time));
    return this.total;
  }

  record(time: number): void {
    const t = Math.floor(time);
    this.advance(t);
    if (t > this.newest - SPAN_MS) {
      this.slots[((t % SPAN_MS) + SPAN_MS) % SPAN_MS]! += 1;
      this.total++;
    }
  }

  private advance(t: number): void {
    if (!(t > this.newest)) return;
    if (t - this.newest >= SPAN_MS) {
      this.slots.fill(0);
      this.total = 0;
    } else {
      const slots = this.slots;
      for (let m = this.newest + 1; m <= t; m++) {
        const i = ((m % SPAN_MS) + SPAN_MS) % SPAN_MS;
        this.total -= slots[i]!;
        slots[i] = 0;
      }
    }
    this.newest = t;
  }
}
