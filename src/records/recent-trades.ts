// The newest trades in memory, as the binary records written for them, in seq order. Clearing reads its batches
// from here and trade capture answers recent ranges without touching the disk; both decode (and render as text,
// for clearing's job payload) only what they read. Keeping a trade costs a copy of its record's bytes into a chunk
// of an arena and a few numbers in arrays: no object or string per trade.
//
// Bounded by a count: older trades are evicted and read back from the day files when asked for. Two
// watermarks say what is complete in memory: every trade with seq > floorSeq, and every trade of a trade
// date >= coveredFromDate.

import { addDays } from './trade-date.js';

export interface TradeLine {
  seq: number;
  /** Event time, epoch ms. */
  time: number;
  tradeDate: string;
  /** The record's v1 text line, with its newline. */
  line: string;
}

/** Told each trade in memory a query selects: its record is buf[start, end). */
export type TradeVisitor = (buf: Buffer, start: number, end: number, seq: number, time: number, tradeDate: string) => void;

const CHUNK_BYTES = 1 << 20;
/** Offsets of seq and time in a record head (binary-format.ts), local: an imported constant is a getter under tsx. */
const SEQ_AT = 8;
const TIME_AT = 24;

function int64At(b: Buffer, at: number): number {
  const lo = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  const hi = b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16) | (b[at + 7]! << 24);
  return hi * 4294967296 + lo;
}
const FIRST_SLOTS = 1024;

export class RecentTrades {
  // A ring of slots (grown by doubling up to the capacity, then reused): trade n of those ever pushed since the
  // last reset is in slot (n - base) % slots while first <= n < next.
  private seqs = new Float64Array(0);
  private times = new Float64Array(0);
  private dates: string[] = [];
  private chunkOf = new Int32Array(0);
  private offsets = new Int32Array(0);
  private lengths = new Int32Array(0);
  private first = 0;
  private next = 0;
  /** Arena chunks by number (chunk numbers only grow); those before firstChunk were let go. */
  private chunks: Array<Buffer | null> = [];
  private firstChunk = 0;
  private fill = 0;
  private readonly free: Buffer[] = [];
  /** Word views of the last source (the record's staging) and of the current chunk, made once per buffer. */
  private srcBuf: Buffer | null = null;
  private srcWords: Int32Array | null = null;
  private chunkWords: Int32Array | null = null;
  private chunkWordsOf = -1;
  private lastEvictedDate = '';
  /** Every trade with a seq above this is in memory. */
  floorSeq = 0;
  /** Every trade of this trade date or later is in memory ('' = every date). */
  coveredFromDate = '';

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.next - this.first;
  }

  /** Starts over after loading from disk: trades with seq > floorSeq and dates >= coveredFromDate follow. */
  reset(floorSeq: number, coveredFromDate: string): void {
    this.first = 0;
    this.next = 0;
    this.dates.fill('');
    this.chunks = [];
    this.firstChunk = 0;
    this.fill = 0;
    this.floorSeq = floorSeq;
    this.coveredFromDate = coveredFromDate;
  }

  /**
   * Keeps a copy of the trade's record src[start, end). Its seq and time are read from the record's head: passed
   * as arguments, a time (a double beyond the small-integer range) would be boxed anew at every call.
   */
  push(tradeDate: string, src: Buffer, start: number, end: number): void {
    const len = end - start;
    const seq = int64At(src, start + SEQ_AT);
    const time = int64At(src, start + TIME_AT);
    let k = this.chunks.length - 1;
    let chunk = k >= this.firstChunk ? this.chunks[k]! : null;
    if (chunk === null || this.fill + len > chunk.length) {
      chunk = len > CHUNK_BYTES ? Buffer.allocUnsafe(len + 3) : (this.free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES));
      this.chunks.push(chunk);
      this.chunkWords = null;
      k = this.chunks.length - 1;
      this.fill = 0;
    }
    const at = this.fill;
    this.copy(src, start, len, chunk, k, at);
    if (this.next - this.first === this.seqs.length) this.grow();
    const slot = this.next % this.seqs.length;
    this.next++;
    this.seqs[slot] = seq;
    this.times[slot] = time;
    this.dates[slot] = tradeDate;
    this.chunkOf[slot] = k;
    this.offsets[slot] = at;
    this.lengths[slot] = len;
    this.fill = at + len;
    if (this.next - this.first > this.capacity) this.evictOne();
  }

  /**
   * Copies a record into the arena: in 32-bit words when both sides are 4-aligned (records are a multiple of 4
   * long and start aligned), a quarter of the loads and stores of a byte loop; Buffer.copy and TypedArray.set would
   * make a view of the source per call.
   */
  private copy(src: Buffer, start: number, len: number, chunk: Buffer, k: number, at: number): void {
    if (((src.byteOffset + start) & 3) !== 0 || ((chunk.byteOffset + at) & 3) !== 0 || (len & 3) !== 0) {
      for (let i = 0; i < len; i++) chunk[at + i] = src[start + i]!;
      return;
    }
    if (src !== this.srcBuf) {
      this.srcBuf = src;
      this.srcWords = new Int32Array(src.buffer, src.byteOffset, src.length >> 2);
    }
    if (this.chunkWords === null || this.chunkWordsOf !== k) {
      this.chunkWords = new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length >> 2);
      this.chunkWordsOf = k;
    }
    const from = this.srcWords!;
    const to = this.chunkWords;
    const s = (src.byteOffset + start - from.byteOffset) >> 2;
    const d = (chunk.byteOffset + at - to.byteOffset) >> 2;
    for (let i = 0, n = len >> 2; i < n; i++) to[d + i] = from[s + i]!;
  }

  /** True when memory holds every trade with seq > afterSeq. */
  coversSeq(afterSeq: number): boolean {
    return afterSeq >= this.floorSeq;
  }

  /** Visits trades with afterSeq < seq <= uptoSeq, at most max of them; returns how many. Only when coversSeq(afterSeq). */
  after(afterSeq: number, uptoSeq: number, max: number, visit: TradeVisitor): number {
    let n = 0;
    for (let i = this.indexAfter(afterSeq); i < this.next && n < max; i++, n++) {
      if (this.seqs[i % this.seqs.length]! > uptoSeq) break;
      this.visitAt(i, visit);
    }
    return n;
  }

  /** Number of trades with afterSeq < seq <= uptoSeq; -1 when memory does not hold them all. */
  countBetween(afterSeq: number, uptoSeq: number): number {
    if (!this.coversSeq(afterSeq)) return -1;
    return Math.max(0, this.indexAfter(uptoSeq) - this.indexAfter(afterSeq));
  }

  /** Visits trades whose time is within [fromMs, toMs], in seq order. */
  between(fromMs: number, toMs: number, visit: TradeVisitor): void {
    for (let i = this.first; i < this.next; i++) {
      const t = this.times[i % this.seqs.length]!;
      if (t >= fromMs && t <= toMs) this.visitAt(i, visit);
    }
  }

  private visitAt(i: number, visit: TradeVisitor): void {
    const slot = i % this.seqs.length;
    const start = this.offsets[slot]!;
    visit(this.chunks[this.chunkOf[slot]!]!, start, start + this.lengths[slot]!, this.seqs[slot]!, this.times[slot]!, this.dates[slot]!);
  }

  /** Number of the first trade with seq > afterSeq (binary search; seqs only grow). */
  private indexAfter(afterSeq: number): number {
    let lo = this.first;
    let hi = this.next;
    const slots = this.seqs.length;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.seqs[mid % slots]! <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Doubles the ring (up to the capacity plus one, the trade about to be evicted), keeping the order. */
  private grow(): void {
    const old = this.seqs.length;
    const slots = Math.min(Math.max(FIRST_SLOTS, old * 2), this.capacity + 1);
    const seqs = new Float64Array(slots);
    const times = new Float64Array(slots);
    const dates = new Array<string>(slots).fill('');
    const chunkOf = new Int32Array(slots);
    const offsets = new Int32Array(slots);
    const lengths = new Int32Array(slots);
    for (let n = this.first, j = 0; n < this.next; n++, j++) {
      const i = n % old;
      seqs[j] = this.seqs[i]!;
      times[j] = this.times[i]!;
      dates[j] = this.dates[i]!;
      chunkOf[j] = this.chunkOf[i]!;
      offsets[j] = this.offsets[i]!;
      lengths[j] = this.lengths[i]!;
    }
    // Renumber so that trade `first` is in slot 0 of the new ring.
    const count = this.next - this.first;
    this.first = 0;
    this.next = count;
    this.seqs = seqs;
    this.times = times;
    this.dates = dates;
    this.chunkOf = chunkOf;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  private evictOne(): void {
    const slots = this.seqs.length;
    const i = this.first % slots;
    this.first++;
    this.floorSeq = this.seqs[i]!;
    const date = this.dates[i]!;
    if (date !== this.lastEvictedDate) {
      this.lastEvictedDate = date;
      const next = addDays(date, 1);
      if (next > this.coveredFromDate) this.coveredFromDate = next;
    }
    // The oldest chunk is done with once the next trade lives in a later one.
    const k = this.chunkOf[i]!;
    if (this.chunkOf[this.first % slots]! > k) {
      const chunk = this.chunks[k]!;
      this.chunks[k] = null;
      this.firstChunk = k + 1;
      if (chunk.length === CHUNK_BYTES && this.free.length < 2) this.free.push(chunk);
    }
  }
}
