// Orders per second over a sliding one-second window, exact for the integer-millisecond times commands
// carry: one counter per millisecond in a ring of 1000, plus their total. Memory is fixed (4 KB) whatever
// the limit. Moving the window forward clears the milliseconds it passes, so the work is one cheap step
// per elapsed millisecond per window (amortised over real time, not per order), capped at one clear of
// the ring after a second of silence. The ring position is kept as a small integer: the modulo of an
// epoch-millisecond double is a slow floating-point operation, done once per window, not per step.
//
// Times come from the commands and events (never a clock), so the same journal gives the same counts.

const SPAN_MS = 1000;

export class RateWindow {
  private readonly slots = new Int32Array(SPAN_MS);
  private total = 0;
  /** Newest millisecond the ring covers (it holds (newest - 1000, newest]) and its slot index. */
  private newest = -Infinity;
  private newestIndex = 0;

  /** Number of orders recorded in (time - 1000, time]. A time behind the newest counts the newest window. */
  countAt(time: number): number {
    this.advance(Math.floor(time));
    return this.total;
  }

  record(time: number): void {
    const t = Math.floor(time);
    this.advance(t);
    const behind = this.newest - t; // 0, or > 0 for a time that arrives late
    if (behind < SPAN_MS) {
      let i = this.newestIndex - behind;
      if (i < 0) i += SPAN_MS;
      this.slots[i]! += 1;
      this.total++;
    }
  }

  private advance(t: number): void {
    const gap = t - this.newest;
    if (!(gap > 0)) return;
    if (gap >= SPAN_MS) {
      this.slots.fill(0);
      this.total = 0;
      this.newestIndex = ((t % SPAN_MS) + SPAN_MS) % SPAN_MS;
    } else {
      const slots = this.slots;
      let i = this.newestIndex;
      for (let step = 0; step < gap; step++) {
        i = i + 1 === SPAN_MS ? 0 : i + 1;
        this.total -= slots[i]!;
        slots[i] = 0;
      }
      this.newestIndex = i;
    }
    this.newest = t;
  }
}
