// Append-only staging memory for bytes produced during one event-loop turn. Regions handed out by `take()` are never
// written again (a fresh slab is started when the current one is full), so a write in flight, the resend cache and
// the socket may all keep views of them without copies. Allocation happens per slab, not per message.

export class StagingBuffer {
  private slab: Buffer;
  private start = 0;
  private end = 0;

  constructor(private readonly slabSize = 64 * 1024) {
    this.slab = Buffer.allocUnsafe(slabSize);
  }

  get length(): number {
    return this.end - this.start;
  }

  /**
   * Makes room for `n` more bytes and returns the slab and the offset to write them at. The bytes staged so far in
   * this turn move along to a new slab when the current one cannot hold them all contiguously.
   */
  reserve(n: number): { buf: Buffer; at: number } {
    if (this.end + n > this.slab.length) {
      const pending = this.end - this.start;
      const next = Buffer.allocUnsafe(Math.max(this.slabSize, (pending + n) * 2));
      this.slab.copy(next, 0, this.start, this.end);
      this.slab = next;
      this.start = 0;
      this.end = pending;
    }
    return { buf: this.slab, at: this.end };
  }

  /** Marks `n` reserved bytes as written. */
  commit(n: number): void {
    this.end += n;
  }

  /** Hands over everything staged since the last take, as one contiguous view. */
  take(): Buffer {
    const out = this.slab.subarray(this.start, this.end);
    this.start = this.end;
    return out;
  }

  /** Drops everything staged since the last take. */
  discard(): void {
    this.end = this.start;
  }
}
