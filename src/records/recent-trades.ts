// The newest trades in memory, as the record lines that were written for them, in seq order. Clearing
// reads its batches from here (the lines are the job payload as they are, so enqueueing costs no
// re-encoding) and trade capture answers recent ranges without touching the disk.
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
  /** The record line, with its newline. */
  line: string;
}

export class RecentTrades {
  private seqs: number[] = [];
  private times: number[] = [];
  private dates: string[] = [];
  private lines: string[] = [];
  private head = 0;
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
    this.lines = [];
    this.head = 0;
    this.floorSeq = floorSeq;
    this.coveredFromDate = coveredFromDate;
  }

  push(seq: number, time: number, tradeDate: string, line: string): void {
    this.seqs.push(seq);
    this.times.push(time);
    this.dates.push(tradeDate);
    this.lines.push(line);
    if (this.seqs.length - this.head > this.capacity) this.evictOne();
  }

  /** True when memory holds every trade with seq > afterSeq. */
  coversSeq(afterSeq: number): boolean {
    return afterSeq >= this.floorSeq;
  }

  /** Trades with afterSeq < seq <= uptoSeq, at most max of them. Call only when coversSeq(afterSeq). */
  after(afterSeq: number, uptoSeq: number, max: number): TradeLine[] {
    const out: TradeLine[] = [];
    const end = this.seqs.length;
    for (let i = this.indexAfter(afterSeq); i < end && out.length < max; i++) {
      const seq = this.seqs[i]!;
      if (seq > uptoSeq) break;
      out.push({ seq, time: this.times[i]!, tradeDate: this.dates[i]!, line: this.lines[i]! });
    }
    return out;
  }

  /** Number of trades with afterSeq < seq <= uptoSeq; -1 when memory does not hold them all. */
  countBetween(afterSeq: number, uptoSeq: number): number {
    if (!this.coversSeq(afterSeq)) return -1;
    return Math.max(0, this.indexAfter(uptoSeq) - this.indexAfter(afterSeq));
  }

  /** Trades whose time is within [fromMs, toMs], in seq order. */
  between(fromMs: number, toMs: number): TradeLine[] {
    const out: TradeLine[] = [];
    for (let i = this.head; i < this.seqs.length; i++) {
      const t = this.times[i]!;
      if (t >= fromMs && t <= toMs) {
        out.push({ seq: this.seqs[i]!, time: t, tradeDate: this.dates[i]!, line: this.lines[i]! });
      }
    }
    return out;
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
    this.lines[i] = ''; // let the string go before compaction
    if (this.head >= 4096 && this.head * 2 >= this.seqs.length) this.compact();
  }

  private compact(): void {
    const h = this.head;
    this.seqs = this.seqs.slice(h);
    this.times = this.times.slice(h);
    this.dates = this.dates.slice(h);
    this.lines = this.lines.slice(h);
    this.head = 0;
  }
}
