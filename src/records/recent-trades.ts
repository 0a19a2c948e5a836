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

export class RecentTrades {
  private seqs: number[] = [];
  private times: number[] = [];
  private dates: string[] = [];
  private chunkOf: number[] = [];
  private offsets: number[] = [];
  private lengths: number[] = [];
  private head = 0;
  /** Arena chunks by number; chunks before firstChunk were let go. */
  private chunks: Array<Buffer | null> = [];
  private firstChunk = 0;
  private fill = 0;
  private readonly free: Buffer[] = [];
  private lastEvictedDate = '';
  /** Every trade with a seq above this is in memory. */
  floorSeq = 0;
  /** Every trade of this trade date or later is in memory ('' = every date). */
  coveredFromDate = '';

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.seqs.length - this.head;
  }

  /** Starts over after loading from disk: trades with seq > floorSeq and dates >= coveredFromDate follow. */
  reset(floorSeq: number, coveredFromDate: string): void {
    this.seqs = [];
    this.times = [];
    this.dates = [];
    this.chunkOf = [];
    this.offsets = [];
    this.lengths = [];
    this.head = 0;
    this.chunks = [];
    this.firstChunk = 0;
    this.fill = 0;
    this.floorSeq = floorSeq;
    this.coveredFromDate = coveredFromDate;
  }

  /** Keeps a copy of the trade's record src[start, end). */
  push(seq: number, time: number, tradeDate: string, src: Buffer, start: number, end: number): void {
    const len = end - start;
    let k = this.chunks.length - 1;
    let chunk = k >= this.firstChunk ? this.chunks[k]! : null;
    if (chunk === null || this.fill + len > chunk.length) {
      chunk = len > CHUNK_BYTES ? Buffer.allocUnsafe(len) : (this.free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES));
      this.chunks.push(chunk);
      k = this.chunks.length - 1;
      this.fill = 0;
    }
    src.copy(chunk, this.fill, start, end);
    this.seqs.push(seq);
    this.times.push(time);
    this.dates.push(tradeDate);
    this.chunkOf.push(k);
    this.offsets.push(this.fill);
    this.lengths.push(len);
    this.fill += len;
    if (this.seqs.length - this.head > this.capacity) this.evictOne();
  }

  /** True when memory holds every trade with seq > afterSeq. */
  coversSeq(afterSeq: number): boolean {
    return afterSeq >= this.floorSeq;
  }

  /** Visits trades with afterSeq < seq <= uptoSeq, at most max of them; returns how many. Only when coversSeq(afterSeq). */
  after(afterSeq: number, uptoSeq: number, max: number, visit: TradeVisitor): number {
    const end = this.seqs.length;
    let n = 0;
    for (let i = this.indexAfter(afterSeq); i < end && n < max; i++, n++) {
      if (this.seqs[i]! > uptoSeq) break;
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
    for (let i = this.head; i < this.seqs.length; i++) {
      const t = this.times[i]!;
      if (t >= fromMs && t <= toMs) this.visitAt(i, visit);
    }
  }

  private visitAt(i: number, visit: TradeVisitor): void {
    const start = this.offsets[i]!;
    visit(this.chunks[this.chunkOf[i]!]!, start, start + this.lengths[i]!, this.seqs[i]!, this.times[i]!, this.dates[i]!);
  }

  /** Index of the first trade with seq > afterSeq (binary search; seqs only grow). */
  private indexAfter(afterSeq: number): number {
    let lo = this.head;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private evictOne(): void {
    const i = this.head++;
    this.floorSeq = this.seqs[i]!;
    const date = this.dates[i]!;
    if (date !== this.lastEvictedDate) {
      this.lastEvictedDate = date;
      const next = addDays(date, 1);
      if (next > this.coveredFromDate) this.coveredFromDate = next;
    }
    // The oldest chunk is done with once the next trade lives in a later one.
    const k = this.chunkOf[i]!;
    if (this.chunkOf[i + 1]! > k) {
      const chunk = this.chunks[k]!;
      this.chunks[k] = null;
      this.firstChunk = k + 1;
      if (chunk.length === CHUNK_BYTES && this.free.length < 2) this.free.push(chunk);
    }
    if (this.head >= 4096 && this.head * 2 >= this.seqs.length) this.compact();
  }

  private compact(): void {
    const h = this.head;
    this.seqs = this.seqs.slice(h);
    this.times = this.times.slice(h);
    this.dates = this.dates.slice(h);
    this.chunkOf = this.chunkOf.slice(h);
    this.offsets = this.offsets.slice(h);
    this.lengths = this.lengths.slice(h);
    this.head = 0;
  }
}
