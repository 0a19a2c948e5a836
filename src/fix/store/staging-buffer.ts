// Append-only staging memory for bytes produced during one event-loop turn. Regions handed out by `take()` (or
// sealed with `seal()`) are never written again (a fresh slab is started when the current one is full), so a write in
// flight, the resend cache and the socket may all keep views of them without copies. Allocation happens per slab,
// not per message.

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

  /** The slab the pending bytes are in (they move to a new one when reserve() needs the room). */
  get buffer(): Buffer {
    return this.slab;
  }

  /** Where the pending bytes (staged since the last take or seal) start in `buffer`. */
  get pendingStart(): number {
    return this.start;
  }

  /** Where the next reserved bytes go in `buffer` (one past the pending bytes). */
  get pendingEnd(): number {
    return this.end;
  }

  /**
   * Makes room for `n` more bytes and returns the slab and the offset to write them at. The bytes staged so far in
   * this turn move along to a new slab when the current one cannot hold them all contiguously (views handed out of
   * the old slab stay valid: it is never written again).
   */
  reserve(n: number): { buf: Buffer; at: number } {
    this.ensure(n);
    return { buf: this.slab, at: this.end };
  }

  /** reserve() without the result object: afterwards, write at `buffer[pendingEnd]`. */
  ensure(n: number): void {
    if (this.end + n > this.slab.length) {
      const pending = this.end - this.start;
      const next = Buffer.allocUnsafe(Math.max(this.slabSize, (pending + n) * 2));
      this.slab.copy(next, 0, this.start, this.end);
      this.slab = next;
      this.start = 0;
      this.end = pending;
    }
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

  /** Like take(), for a caller that keeps its own reference to the bytes (buffer, offsets): no view is made. */
  seal(): void {
    this.start = this.end;
  }

  /** Drops everything staged since the last take. */
  discard(): void {
    this.end = this.start;
  }
}
