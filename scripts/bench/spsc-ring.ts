// A single-producer / single-consumer ring of fixed 64-byte slots in a SharedArrayBuffer, as the N-core design in
// docs/benchmarks.md would use between a FIX shard thread and the matching thread (LMAX-style: no locks, each side
// owns one index, the slots are written before the index that publishes them). Used by `npm run bench:ring`.
//
// Layout (Int32 words): the producer's index, the consumer's index and the two sleep flags each on their own 64-byte
// line so the two threads do not write the same cache line; then the slots. Indices are free-running uint32
// counters (masked into the slot count), so full and empty are told apart without a spare slot.
// Batching: commit()/done() only move a side's own local index; publish()/release() store it for the other side,
// so a batch of messages costs one shared store (and one cache line moving between cores) instead of one each.
// Waiting: a side that finds nothing to do spins for `spins` polls, then raises its sleep flag, checks once more,
// and sleeps in Atomics.wait; the other side, after moving its index, notifies only when that flag is up, so a
// busy pair never pays for a wake.

export const SLOT_WORDS = 16; // 64 bytes: a command (ids, side, price, quantity, session) fits
const LINE_WORDS = 16;
const HEAD = 0; // next slot the producer writes (published count)
const TAIL = LINE_WORDS; // next slot the consumer reads (consumed count)
const CONSUMER_SLEEPING = 2 * LINE_WORDS;
const PRODUCER_SLEEPING = 3 * LINE_WORDS;
const DATA = 4 * LINE_WORDS;

export function ringBytes(slots: number): number {
  if (slots <= 0 || (slots & (slots - 1)) !== 0) throw new RangeError(`ring slots must be a power of two, got ${slots}`);
  return (DATA + slots * SLOT_WORDS) * 4;
}

export class SpscRing {
  private readonly words: Int32Array;
  private readonly mask: number;
  /** The producer's (or consumer's) own index, kept locally: only this side writes it. */
  private mine = 0;
  /** The last seen value of the other side's index, so a poll is needed only when it looks full (empty). */
  private seen = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly slots: number,
    private readonly spins: number,
  ) {
    if (buffer.byteLength !== ringBytes(slots)) throw new RangeError(`ring buffer is ${buffer.byteLength} bytes, expected ${ringBytes(slots)}`);
    this.words = new Int32Array(buffer);
    this.mask = slots - 1;
  }

  /** Producer: the word offset of the next free slot, waiting while the ring is full. Fill it, then commit(). */
  claim(): number {
    if (((this.mine - this.seen) >>> 0) >= this.slots) {
      this.publish(); // what is written so far must be visible, or the consumer could never make room
      this.seen = this.await(TAIL, PRODUCER_SLEEPING, (tail) => ((this.mine - tail) >>> 0) < this.slots);
    }
    return DATA + (this.mine & this.mask) * SLOT_WORDS;
  }

  /** Producer: the claimed slot is written; it becomes visible at the next publish(). */
  commit(): void {
    this.mine = (this.mine + 1) | 0;
  }

  /** Producer: makes every committed slot visible (one store for a batch), and wakes the consumer if it sleeps. */
  publish(): void {
    Atomics.store(this.words, HEAD, this.mine);
    if (Atomics.load(this.words, CONSUMER_SLEEPING) === 1) this.wake(CONSUMER_SLEEPING);
  }

  /** Consumer: the word offset of the next published slot, waiting while the ring is empty. Read it, then done(). */
  next(): number {
    if (this.mine === this.seen) {
      this.release(); // hand back what was read before waiting, or a producer on a full ring would wait for ever
      this.seen = this.await(HEAD, CONSUMER_SLEEPING, (head) => head !== this.mine);
    }
    return DATA + (this.mine & this.mask) * SLOT_WORDS;
  }

  /** Consumer: the slot is read; it goes back to the producer at the next release() (or when the ring runs dry). */
  done(): void {
    this.mine = (this.mine + 1) | 0;
  }

  /** Consumer: hands back every slot read so far, and wakes the producer if it sleeps on a full ring. */
  release(): void {
    Atomics.store(this.words, TAIL, this.mine);
    if (Atomics.load(this.words, PRODUCER_SLEEPING) === 1) this.wake(PRODUCER_SLEEPING);
  }

  get data(): Int32Array {
    return this.words;
  }

  private wake(flag: number): void {
    Atomics.store(this.words, flag, 0);
    Atomics.notify(this.words, flag);
  }

  /** Spins, then sleeps, until `ready(other side's index)`; returns that index. */
  private await(index: number, flag: number, ready: (value: number) => boolean): number {
    for (let i = 0; i < this.spins; i++) {
      const value = Atomics.load(this.words, index);
      if (ready(value)) return value;
    }
    for (;;) {
      Atomics.store(this.words, flag, 1);
      const value = Atomics.load(this.words, index);
      if (ready(value)) {
        Atomics.store(this.words, flag, 0);
        return value;
      }
      // The other side clears the flag before it notifies, so a wake that came first makes this return at once.
      Atomics.wait(this.words, flag, 1);
    }
  }
}
