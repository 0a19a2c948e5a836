// The venue's durable record of what happened: every accepted, rejected, traded, cancelled, replaced,
// expired, triggered and restated order, mass-cancel results and trading-status changes (book deltas are
// market data, not record). Fed synchronously from the venue's event stream; written to one text file per
// UTC trade date under the data folder, a few milliseconds after the first unwritten line (see
// record-writer.ts); read by trade capture, clearing, compliance reports and risk.
//
// The record is not part of any acknowledgement (the journal is), so it does not write every turn: lines
// collect for `flushIntervalMs` (or until `flushBytes` are pending) and go out in one write. At a few
// thousand orders a second that is one write per 50 orders instead of one per order; at full speed it
// still takes several turns per write. A crash loses at most that window, which the journal replay refills.
//
// The command journal is the source of truth. At start the venue replays the journal and feeds the
// replayed events here too: the record keeps only events with a seq above the last one it holds, so after
// a crash nothing is missing (the journal has it) and nothing is doubled (the seq says so).
//
// Trade dates never go backwards in the record: an event whose clock time falls before the current trade
// date (a clock step back across midnight) is filed under the current date, so the files are in seq order.

import fs from 'node:fs';
import type { Registry } from 'prom-client';
import type { VenueEvent } from '../venue/model/events.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { dayFilePath, lastLine, listDayFiles, repairTornTail, scanLines, type DayFile } from './day-files.js';
import type { RecordEntry, RecordEntryType, RecordFilter, TradeEntry } from './record-entries.js';
import { LineBuffer } from './line-buffer.js';
import { RecordEncoder } from './record-encoder.js';
import { entryMatches, tradeMatches } from './record-filter.js';
import { RecordMetrics } from './record-metrics.js';
import { isCommentLine, lineSeq, lineTime, lineType, parseRecordLine, parseTradeLine } from './record-parser.js';
import { RecentTrades, type TradeLine } from './recent-trades.js';
import { RecordWriter } from './record-writer.js';
import { addDays, tradeDateOf } from './trade-date.js';

export interface ExecutionRecordOptions {
  /** Folder of the day files (created if missing), normally <dataDir>/records. */
  dir: string;
  /** Instruments, for the decimals of prices and quantities. */
  instruments: readonly InstrumentSpec[];
  /** fdatasync every write (default true). */
  fsync?: boolean;
  /** Newest trades kept in memory for clearing and recent queries (default 200,000, about 50 MB). */
  memoryTrades?: number;
  /** Write by itself (default true): `flushIntervalMs` after the first unwritten line, or at the end of the turn
   * in which `flushBytes` are pending. Off, only flush() and close() write. */
  autoFlush?: boolean;
  /** Longest a line waits for its write with autoFlush (default 10 ms). */
  flushIntervalMs?: number;
  /** Pending bytes that make autoFlush write at the end of the current turn instead (default 1 MiB). */
  flushBytes?: number;
  /** Registers the record's metrics when given. */
  registry?: Registry;
  /** Told about every write or encoding error (a write error also stops the record; see `error`). */
  onError?: (error: Error) => void;
  /**
   * Awaited before each write. With a journal that releases events before they are durable ('immediate'),
   * pass `() => journal.commit()`: the record then never holds an event the journal might lose in a crash
   * (a restart would give that seq to another event, and the record would keep the wrong one). A rejection
   * (the journal failed) stops the record like a write error, with nothing of that write on disk.
   */
  beforeWrite?: () => Promise<unknown>;
}

export interface RecordOpenReport {
  days: number;
  lastSeq: number;
  /** Bytes of a torn last line cut off the newest file. */
  tornBytes: number;
  tradesInMemory: number;
  durationMs: number;
}

export interface EventQuery {
  /** Inclusive time range, epoch ms. */
  from: number;
  to: number;
  filter?: RecordFilter;
  /** Only these entry types (default all). */
  types?: readonly RecordEntryType[];
}

/** Where the last file read for tradeLinesAfter stopped, so a catch-up reads each file once. */
interface FileCursor {
  afterSeq: number;
  file: string;
  offset: number;
}

const ALL_DATES = '';
/** A long synchronous run (a journal replay) hands its lines to the writer in chunks of this size. */
const TURN_CHUNK_BYTES = 8 * 1024 * 1024;
const MIN_BUFFER_BYTES = 16 * 1024;

export class ExecutionRecord {
  private readonly opts: Required<Omit<ExecutionRecordOptions, 'registry' | 'onError' | 'beforeWrite'>> & Pick<ExecutionRecordOptions, 'onError'>;
  private readonly encoder: RecordEncoder;
  private readonly writer: RecordWriter;
  /** Lines not yet handed to the writer (possibly of several turns). */
  private turn = new LineBuffer();
  /** Buffers whose write has completed, for reuse (no allocation per write). */
  private readonly spare: LineBuffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate = false;
  private readonly recent: RecentTrades;
  private readonly metrics: RecordMetrics | null;
  private readonly durableListeners = new Set<(durableSeq: number) => void>();
  private days: DayFile[] = [];
  private readonly firstSeqs = new Map<string, number>();
  private cursor: FileCursor | null = null;
  private opened = false;
  private last = 0;
  private durable = 0;
  private currentDate = '';
  private recorded = 0;
  private skipped = 0;

  constructor(options: ExecutionRecordOptions) {
    this.opts = {
      dir: options.dir,
      instruments: options.instruments,
      fsync: options.fsync ?? true,
      memoryTrades: options.memoryTrades ?? 200_000,
      autoFlush: options.autoFlush ?? true,
      flushIntervalMs: options.flushIntervalMs ?? 10,
      flushBytes: options.flushBytes ?? 1024 * 1024,
      onError: options.onError,
    };
    this.encoder = new RecordEncoder(options.instruments);
    this.recent = new RecentTrades(Math.max(1, this.opts.memoryTrades));
    this.writer = new RecordWriter({
      dir: options.dir,
      fsync: this.opts.fsync,
      onDurable: (seq, _lines, ms) => this.wrote(seq, ms),
      onWritten: (buffers) => this.recycle(buffers),
      onError: (err) => this.reportError(err),
      beforeWrite: options.beforeWrite,
    });
    const stats = this;
    this.metrics = options.registry
      ? RecordMetrics.of(options.registry, {
          get recordedEvents() { return stats.recorded; },
          get lastSeq() { return stats.last; },
          get durableSeq() { return stats.durable; },
          get pendingLines() { return stats.writer.pendingLines + stats.turn.lines; },
          get failed() { return stats.writer.error !== null; },
        })
      : null;
  }

  /** Seq of the newest event the record holds (written or about to be). */
  get lastSeq(): number {
    return this.last;
  }

  /** Seq of the newest event that is on disk. */
  get durableSeq(): number {
    return this.durable;
  }

  /** The write error that stopped the record, or null. Restarting the venue recovers (journal replay). */
  get error(): Error | null {
    return this.writer.error;
  }

  /** Events ignored because their seq was not above lastSeq (replayed events the record already held). */
  get skippedEvents(): number {
    return this.skipped;
  }

  /** Trade dates that have a day file, oldest first. */
  tradeDates(): string[] {
    return this.days.map((d) => d.date);
  }

  /** Loads the record: repairs a torn last line, finds lastSeq, loads the newest trades into memory. */
  async open(): Promise<RecordOpenReport> {
    if (this.opened) throw new Error('ExecutionRecord: already open');
    const started = performance.now();
    fs.mkdirSync(this.opts.dir, { recursive: true });
    this.days = listDayFiles(this.opts.dir);
    const newest = this.days[this.days.length - 1];
    const tornBytes = newest ? repairTornTail(newest.path) : 0;
    for (let i = this.days.length - 1; i >= 0 && this.last === 0; i--) {
      const line = lastLine(this.days[i]!.path, (l) => !isCommentLine(l));
      if (line !== null) this.last = this.seqOf(line, this.days[i]!.path);
    }
    this.durable = this.last;
    this.currentDate = newest?.date ?? '';
    if (newest) await this.loadNewestTrades(newest);
    else this.recent.reset(0, ALL_DATES);
    this.opened = true;
    return {
      days: this.days.length,
      lastSeq: this.last,
      tornBytes,
      tradesInMemory: this.recent.size,
      durationMs: performance.now() - started,
    };
  }

  /**
   * The venue event listener (pass it to subscribe as it is, with { replay: true }). Synchronous and cheap:
   * the line's bytes go into the pending buffer (one string is made only for a trade, which stays in
   * memory); the disk write happens later (see autoFlush).
   */
  readonly onEvent = (e: VenueEvent): void => {
    if (e.seq <= this.last || !this.encoder.keeps(e)) {
      if (e.seq <= this.last && e.type !== 'bookDelta') this.skipped++;
      return;
    }
    if (!this.opened) throw new Error('ExecutionRecord: call open() before feeding events');
    let date = this.encoder.times.date(e.time);
    if (date !== this.currentDate) date = this.changeDate(date);
    const turn = this.turn;
    try {
      this.encoder.encode(e, date, turn);
    } catch (err) {
      turn.abandon();
      this.reportError(new Error(`execution record cannot encode event ${e.seq} (${e.type}): ${(err as Error).message}`));
      return;
    }
    this.last = e.seq;
    if (e.type === 'trade') this.recent.push(e.seq, e.time, date, turn.lineText());
    this.recorded++;
    // A long synchronous run (a journal replay) hands its lines over in chunks rather than one huge buffer.
    if (turn.len >= TURN_CHUNK_BYTES) this.endTurn();
    if (this.opts.autoFlush) {
      if (this.timer === null) this.timer = setTimeout(this.autoFlush, this.opts.flushIntervalMs);
      if (!this.immediate && turn.len >= this.opts.flushBytes) {
        this.immediate = true;
        setImmediate(this.autoFlush);
      }
    }
  };

  /** Writes everything received so far; resolves when it is on disk, rejects with the record's write error. */
  flush(): Promise<void> {
    this.endTurn();
    return this.writer.flush();
  }

  /** Called after every successful write with the new durableSeq (clearing enqueues from here). */
  onDurable(listener: (durableSeq: number) => void): () => void {
    this.durableListeners.add(listener);
    return () => this.durableListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.endTurn();
    await this.writer.close();
  }

  // ------------------------------------------------------------------------------------------ queries

  /** Trades whose time is within [from, to] (epoch ms, inclusive) matching the filter, in seq order. */
  async tradesBetween(from: number, to: number, filter: RecordFilter = {}): Promise<TradeEntry[]> {
    const out: TradeEntry[] = [];
    for (const t of await this.tradeLinesBetween(from, to)) {
      const entry = parseTradeLine(stripNewline(t.line), t.tradeDate);
      if (tradeMatches(entry, filter)) out.push(entry);
    }
    return out;
  }

  /** Trades with a seq above afterSeq, in seq order, at most max (from memory, or the files when older). */
  async tradesAfter(afterSeq: number, max = 10_000, uptoSeq = this.last): Promise<TradeEntry[]> {
    return (await this.tradeLinesAfter(afterSeq, max, uptoSeq)).map((t) => parseTradeLine(stripNewline(t.line), t.tradeDate));
  }

  /**
   * Record lines of the trades with afterSeq < seq <= uptoSeq (default: what is on disk), in seq order, at
   * most max. Clearing's source: the lines are its job payload.
   */
  async tradeLinesAfter(afterSeq: number, max: number, uptoSeq = this.durable): Promise<TradeLine[]> {
    this.mustBeOpen();
    if (this.recent.coversSeq(afterSeq)) return this.recent.after(afterSeq, uptoSeq, max);
    await this.flush();
    const out = await this.fileTradesAfter(afterSeq, max, uptoSeq);
    if (out.length < max) {
      const floor = this.recent.floorSeq;
      out.push(...this.recent.after(Math.max(floor, out.length > 0 ? out[out.length - 1]!.seq : afterSeq), uptoSeq, max - out.length));
    }
    return out;
  }

  /** How many trades have afterSeq < seq <= uptoSeq, when memory can tell; -1 otherwise. */
  countTradesBetween(afterSeq: number, uptoSeq: number): number {
    return this.recent.countBetween(afterSeq, uptoSeq);
  }

  /** Entries whose time is within [from, to] (inclusive), filtered, in seq order. */
  async eventsBetween(query: EventQuery): Promise<RecordEntry[]> {
    const out: RecordEntry[] = [];
    await this.scanEvents(query, (e) => {
      out.push(e);
    });
    return out;
  }

  /**
   * Streams the entries of a period to `visit` without holding them all (compliance reports of long
   * periods); afterChunk is awaited after every chunk read, for the consumer's backpressure.
   */
  async scanEvents(query: EventQuery, visit: (entry: RecordEntry) => void, afterChunk?: () => Promise<void>): Promise<void> {
    this.mustBeOpen();
    await this.flush();
    const filter = query.filter ?? {};
    const types = query.types ? new Set<string>(query.types) : null;
    for (const day of this.daysFor(query.from, query.to)) {
      await this.scanFile(day, 0, (line) => {
        if (types !== null && !types.has(lineType(line))) return;
        const entry = this.parse(line, day);
        if (entry.time >= query.from && entry.time <= query.to && entryMatches(entry, filter)) visit(entry);
      }, afterChunk);
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  /** Hands the pending lines to the writer and continues in a spare buffer (or a new one sized like this). */
  private endTurn(): void {
    const turn = this.turn;
    if (turn.lines === 0) return;
    this.writer.append(turn);
    this.turn = this.spare.pop() ?? new LineBuffer(Math.min(Math.max(MIN_BUFFER_BYTES, turn.len), 64 * 1024 * 1024));
  }

  /** Buffers the writer is done with. Kept when of ordinary size (a replay chunk's 8 MB is let go). */
  private recycle(buffers: readonly LineBuffer[]): void {
    for (const b of buffers) {
      if (this.spare.length >= 4 || b.buf.length > 4 * this.opts.flushBytes) continue;
      b.reset();
      this.spare.push(b);
    }
  }

  private readonly autoFlush = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.immediate = false;
    this.flush().catch(() => {
      // reported once through onError / error by the writer; nothing more to do here
    });
  };

  private wrote(seq: number, ms: number): void {
    this.durable = seq;
    this.metrics?.flushed(ms);
    for (const l of this.durableListeners) {
      try {
        l(seq);
      } catch (err) {
        this.reportError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  private reportError(err: Error): void {
    this.metrics?.error();
    this.opts.onError?.(err);
  }

  /** Dates never go back: a time before the current trade date is filed under the current one. */
  private changeDate(date: string): string {
    if (date < this.currentDate) return this.currentDate;
    this.currentDate = date;
    this.days.push({ date, path: dayFilePath(this.opts.dir, date) });
    return date;
  }

  private mustBeOpen(): void {
    if (!this.opened) throw new Error('ExecutionRecord: call open() first');
  }

  private seqOf(line: string, file: string): number {
    const seq = lineSeq(line);
    if (!Number.isSafeInteger(seq)) throw new Error(`execution record ${file}: line has no sequence number: ${line.slice(0, 80)}`);
    return seq;
  }

  private timeOf(line: string, file: string): number {
    const ms = lineTime(line);
    if (Number.isNaN(ms)) throw new Error(`execution record ${file}: line has no valid time: ${line.slice(0, 80)}`);
    return ms;
  }

  private parse(line: string, day: DayFile): RecordEntry {
    try {
      return parseRecordLine(line, day.date);
    } catch (err) {
      throw new Error(`execution record ${day.path}: ${(err as Error).message}`);
    }
  }

  private async scanFile(
    day: DayFile,
    start: number,
    onLine: (line: string, end: number) => boolean | void,
    afterChunk?: () => Promise<void>,
  ): Promise<number> {
    if (!fs.existsSync(day.path)) return start; // a date whose first write has not happened yet
    return scanLines(day.path, start, (line, end) => (isCommentLine(line) ? undefined : onLine(line, end)), afterChunk);
  }

  private async loadNewestTrades(day: DayFile): Promise<void> {
    let first = true;
    await this.scanFile(day, 0, (line) => {
      const seq = this.seqOf(line, day.path);
      if (first) {
        first = false;
        this.recent.reset(seq - 1, day.date);
      }
      if (lineType(line) === 'trade') this.recent.push(seq, this.timeOf(line, day.path), day.date, line + '\n');
    });
    if (first) this.recent.reset(this.last, day.date);
  }

  /** Day files that can hold events of [from, to]: dates only move forward, so from the date of `from`. */
  private daysFor(from: number, to: number): DayFile[] {
    const fromDate = safeDate(from);
    const toDate = addDays(safeDate(to), 1);
    return this.days.filter((d) => d.date >= fromDate && d.date <= toDate);
  }

  private async tradeLinesBetween(from: number, to: number): Promise<TradeLine[]> {
    this.mustBeOpen();
    const covered = this.recent.coveredFromDate;
    const out: TradeLine[] = [];
    const older = this.daysFor(from, to).filter((d) => d.date < covered);
    if (older.length > 0) await this.flush();
    for (const day of older) {
      await this.scanFile(day, 0, (line) => {
        if (lineType(line) !== 'trade') return;
        const entry = this.parse(line, day);
        if (entry.time >= from && entry.time <= to) out.push({ seq: entry.seq, time: entry.time, tradeDate: day.date, line: line + '\n' });
      });
    }
    for (const t of this.recent.between(from, to)) if (t.tradeDate >= covered) out.push(t);
    return out;
  }

  private async fileTradesAfter(afterSeq: number, max: number, uptoSeq: number): Promise<TradeLine[]> {
    const out: TradeLine[] = [];
    const floor = this.recent.floorSeq;
    const c = this.cursor !== null && this.cursor.afterSeq === afterSeq ? this.cursor : null;
    let index = c !== null ? this.days.findIndex((d) => d.path === c.file) : await this.fileHolding(afterSeq);
    let offset = c !== null ? c.offset : 0;
    this.cursor = null;
    let done = false;
    for (; index >= 0 && index < this.days.length && !done; index++, offset = 0) {
      const day = this.days[index]!;
      await this.scanFile(day, offset, (line, lineEnd) => {
        const seq = this.seqOf(line, day.path);
        if (seq <= afterSeq) return;
        if (seq > uptoSeq || seq > floor) {
          done = true;
          return false;
        }
        if (lineType(line) !== 'trade') return;
        out.push({ seq, time: this.timeOf(line, day.path), tradeDate: day.date, line: line + '\n' });
        if (out.length >= max) {
          this.cursor = { afterSeq: seq, file: day.path, offset: lineEnd };
          done = true;
          return false;
        }
      });
    }
    return out;
  }

  /** Index of the day file where the event after afterSeq is (the last file starting at or before it). */
  private async fileHolding(afterSeq: number): Promise<number> {
    for (let i = this.days.length - 1; i >= 0; i--) {
      const first = await this.firstSeq(this.days[i]!);
      if (first <= afterSeq + 1) return i;
    }
    return 0;
  }

  private async firstSeq(day: DayFile): Promise<number> {
    const known = this.firstSeqs.get(day.path);
    if (known !== undefined) return known;
    let first = Infinity;
    await this.scanFile(day, 0, (line) => {
      first = this.seqOf(line, day.path);
      return false;
    });
    if (first !== Infinity) this.firstSeqs.set(day.path, first); // an empty file may still get its first line
    return first;
  }
}

function stripNewline(line: string): string {
  return line.charCodeAt(line.length - 1) === 10 ? line.slice(0, -1) : line;
}

function safeDate(ms: number): string {
  return tradeDateOf(Number.isFinite(ms) ? Math.max(-8.64e15, Math.min(8.64e15, ms)) : 0);
}
