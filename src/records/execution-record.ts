// The venue's durable record of what happened: every accepted, rejected, traded, cancelled, replaced,
// expired, triggered and restated order, mass-cancel results and trading-status changes (book deltas are
// market data, not record). Fed synchronously from the venue's event stream; written as binary records, one
// batch per event-loop turn, to one file per UTC trade date under the data folder (binary-format.ts); rendered as
// text or decoded into entries only when read, by trade capture, clearing, compliance reports and risk.
//
// On the hot path an event costs its fixed-width fields and string bytes copied into the turn's staging buffer
// (and, for a trade, a copy of those bytes into the in-memory window): no string is built and nothing allocated
// per event. At the end of the turn the staging goes to the file in one synchronous write into the page cache
// (record-writer.ts), after the journal has written the same turn's commands.
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
import { decodeTrade } from './binary-decoder.js';
import { cutTornTail } from './binary-day-file.js';
import { BinaryRecordEncoder } from './binary-encoder.js';
import { scanDay, type RecordView } from './day-scan.js';
import { binaryDayFilePath, lastLine, listDayFiles, repairTornTail, type DayFile } from './day-files.js';
import type { RecordEntry, RecordEntryType, RecordFilter, TradeEntry } from './record-entries.js';
import { entryMatches, tradeMatches } from './record-filter.js';
import { RecordMetrics } from './record-metrics.js';
import { isCommentLine, lineSeq } from './record-parser.js';
import { RecordStaging } from './record-staging.js';
import { renderDay } from './render-day.js';
import { RecentTrades, type TradeLine } from './recent-trades.js';
import { RecordWriter } from './record-writer.js';
import { TradeDateCache, addDays, tradeDateOf } from './trade-date.js';
import { turnEnd } from '../io/turn-end.js';
import { tradeLineFromBinary } from './trade-line.js';

export interface ExecutionRecordOptions {
  /** Folder of the day files (created if missing), normally <dataDir>/records. */
  dir: string;
  /** Instruments, for the decimals of prices and quantities. */
  instruments: readonly InstrumentSpec[];
  /** fdatasync every write, on libuv's pool (default true); durableSeq follows the sync. */
  fsync?: boolean;
  /** Newest trades kept in memory for clearing and recent queries (default 200,000, about 45 MB of records). */
  memoryTrades?: number;
  /** Write by itself at the end of every event-loop turn that recorded something (default true). Off, only flush()
   * and close() write. */
  autoFlush?: boolean;
  /**
   * With autoFlush, collect the turns of this many milliseconds into one write (default 0: every turn writes). The
   * record is behind the journal, not on the acknowledgement's path, so the app batches 10 ms: at 5,000 orders/s a
   * turn usually holds one order, and a write per turn is a system call per order.
   */
  flushIntervalMs?: number;
  /** Registers the record's metrics when given. */
  registry?: Registry;
  /** Told about every write or encoding error (a write error also stops the record; see `error`). */
  onError?: (error: Error) => void;
  /**
   * Gates each write. With a journal that releases events before they are durable ('immediate'), pass a function
   * that makes the journal hold the turn's commands: return nothing when it wrote them synchronously (the page-cache
   * level; throw its error if it failed), or the promise of its commit (the fsync level). The record then never
   * holds an event the journal might lose in a crash (a restart would give that seq to another event, and the
   * record would keep the wrong one). A throw or rejection (the journal failed) stops the record like a write
   * error, with nothing of that write on disk.
   */
  beforeWrite?: () => Promise<unknown> | void;
}

export interface RecordOpenReport {
  days: number;
  lastSeq: number;
  /** Bytes of a torn tail (a last batch, or a last text line) cut off the newest file. */
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

/** How a trade query hands back what it found: as entries, or as v1 text lines (clearing's payload). */
interface TradeShape<T> {
  fromBinary(buf: Buffer, start: number, end: number, seq: number, time: number, tradeDate: string): T;
  fromView(view: RecordView, seq: number, time: number): T;
}

const AS_ENTRIES: TradeShape<TradeEntry> = {
  fromBinary: (buf, start, end, _seq, _time, date) => decodeTrade(buf, start, end, date),
  fromView: (view) => view.entry() as TradeEntry,
};

const AS_LINES: TradeShape<TradeLine> = {
  fromBinary: (buf, start, end, seq, time, tradeDate) => ({ seq, time, tradeDate, line: tradeLineFromBinary(buf, start, end, tradeDate) }),
  fromView: (view, seq, time) => ({ seq, time, tradeDate: view.day.date, line: view.line() }),
};

const ALL_DATES = '';
/** A long synchronous run (a journal replay) is handed to the writer in stagings of about this size. */
const TURN_CHUNK_BYTES = 8 * 1024 * 1024;

export class ExecutionRecord {
  private readonly opts: Required<Omit<ExecutionRecordOptions, 'registry' | 'onError' | 'beforeWrite'>> & Pick<ExecutionRecordOptions, 'onError'>;
  private readonly encoder: BinaryRecordEncoder;
  private readonly writer: RecordWriter;
  private readonly dates = new TradeDateCache();
  /** The records of this turn (or of several, with autoFlush off), not yet handed to the writer. */
  private staging = new RecordStaging();
  private scheduled = false;
  /** The pending flushIntervalMs timer, if any. */
  private timer: NodeJS.Timeout | null = null;
  private readonly recent: RecentTrades;
  private readonly metrics: RecordMetrics | null;
  private readonly durableListeners = new Set<(durableSeq: number) => void>();
  private days: DayFile[] = [];
  private readonly firstSeqs = new Map<string, number>();
  private cursor: FileCursor | null = null;
  private opened = false;
  private last = 0;
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
      flushIntervalMs: options.flushIntervalMs ?? 0,
      onError: options.onError,
    };
    this.encoder = new BinaryRecordEncoder(options.instruments);
    this.recent = new RecentTrades(Math.max(1, this.opts.memoryTrades));
    this.writer = new RecordWriter({
      dir: options.dir,
      fsync: this.opts.fsync,
      onDurable: (seq, ms) => this.wrote(seq, ms),
      onError: (err) => this.reportError(err),
      beforeWrite: options.beforeWrite,
    });
    const stats = this;
    this.metrics = options.registry
      ? RecordMetrics.of(options.registry, {
          get recordedEvents() { return stats.recorded; },
          get lastSeq() { return stats.last; },
          get durableSeq() { return stats.writer.durableSeq; },
          get pendingLines() { return stats.writer.pendingRecords + stats.staging.records; },
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
    return this.writer.durableSeq;
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
    const out: string[] = [];
    for (const d of this.days) if (out[out.length - 1] !== d.date && (d.format === 'text' || fs.existsSync(d.path))) out.push(d.date);
    return out;
  }

  /** Loads the record: cuts a torn tail off the newest file, finds lastSeq, loads the newest trades into memory. */
  async open(): Promise<RecordOpenReport> {
    if (this.opened) throw new Error('ExecutionRecord: already open');
    const started = performance.now();
    fs.mkdirSync(this.opts.dir, { recursive: true });
    this.days = listDayFiles(this.opts.dir);
    const newest = this.days[this.days.length - 1];
    let tornBytes = 0;
    if (newest !== undefined) {
      this.currentDate = newest.date;
      if (newest.format === 'text') {
        // Written by an earlier version: read as it is; from now on this date continues in a binary file.
        tornBytes = repairTornTail(newest.path);
        this.days.push({ date: newest.date, path: binaryDayFilePath(this.opts.dir, newest.date), format: 'binary' });
      } else {
        tornBytes = await this.loadNewest(newest);
      }
    }
    for (let i = this.days.length - 1; i >= 0 && this.last === 0; i--) this.last = await this.lastSeqOf(this.days[i]!);
    if (newest === undefined) this.recent.reset(0, ALL_DATES);
    else if (newest.format === 'text') this.recent.reset(this.last, addDays(newest.date, 1));
    else if (this.recent.size === 0) this.recent.reset(this.last, this.coveredFrom(newest.date));
    this.writer.startAt(this.last);
    this.opened = true;
    return {
      days: this.tradeDates().length,
      lastSeq: this.last,
      tornBytes,
      tradesInMemory: this.recent.size,
      durationMs: performance.now() - started,
    };
  }

  /**
   * The venue event listener (pass it to subscribe as it is, with { replay: true }). Synchronous and cheap: the
   * event's record goes into the turn's staging; the disk write happens at the end of the turn (see autoFlush).
   */
  readonly onEvent = (e: VenueEvent): void => {
    if (e.seq <= this.last || !this.encoder.keeps(e)) {
      if (e.seq <= this.last && e.type !== 'bookDelta') this.skipped++;
      return;
    }
    if (!this.opened) throw new Error('ExecutionRecord: call open() before feeding events');
    let date = this.dates.of(e.time);
    if (date !== this.currentDate) date = this.changeDate(date);
    const staging = this.staging;
    try {
      this.encoder.encode(e, date, staging);
    } catch (err) {
      staging.abandon();
      this.reportError(new Error(`execution record cannot encode event ${e.seq} (${e.type}): ${(err as Error).message}`));
      return;
    }
    this.last = e.seq;
    if (e.type === 'trade') this.recent.push(date, staging.buf, staging.currentRecordStart, staging.len);
    this.recorded++;
    // A long synchronous run (a journal replay) is parked in chunks, written with the turn that ends it.
    if (staging.len >= TURN_CHUNK_BYTES) this.staging = this.writer.hold(staging);
    if (this.opts.autoFlush && !this.scheduled) {
      this.scheduled = true;
      if (this.opts.flushIntervalMs > 0) this.timer = setTimeout(this.endOfTurn, this.opts.flushIntervalMs);
      else turnEnd.schedule(this.endOfTurn);
    }
  };

  /** Writes everything received so far; resolves when it is on disk, rejects with the record's write error. */
  flush(): Promise<void> {
    this.staging = this.writer.takeTurn(this.staging);
    return this.writer.whenDurable(this.last);
  }

  /** Called after every durable write with the new durableSeq (clearing enqueues from here). */
  onDurable(listener: (durableSeq: number) => void): () => void {
    this.durableListeners.add(listener);
    return () => this.durableListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.scheduled = false;
    this.staging = this.writer.takeTurn(this.staging);
    await this.writer.close(this.last);
  }

  // ------------------------------------------------------------------------------------------ queries

  /** Trades whose time is within [from, to] (epoch ms, inclusive) matching the filter, in seq order. */
  async tradesBetween(from: number, to: number, filter: RecordFilter = {}): Promise<TradeEntry[]> {
    const out: TradeEntry[] = [];
    for (const entry of await this.tradesInTime(from, to, AS_ENTRIES)) if (tradeMatches(entry, filter)) out.push(entry);
    return out;
  }

  /** Trades with a seq above afterSeq, in seq order, at most max (from memory, or the files when older). */
  async tradesAfter(afterSeq: number, max = 10_000, uptoSeq = this.last): Promise<TradeEntry[]> {
    return this.tradesInSeq(afterSeq, max, uptoSeq, AS_ENTRIES);
  }

  /**
   * Trades with afterSeq < seq <= uptoSeq (default: what is on disk) as v1 text lines, in seq order, at most max.
   * Clearing's source: the lines are its job payload.
   */
  async tradeLinesAfter(afterSeq: number, max: number, uptoSeq = this.writer.durableSeq): Promise<TradeLine[]> {
    return this.tradesInSeq(afterSeq, max, uptoSeq, AS_LINES);
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
      await scanDay(day, 0, (view) => {
        if (types !== null && !types.has(view.type())) return;
        const entry = view.entry();
        if (entry.time >= query.from && entry.time <= query.to && entryMatches(entry, filter)) visit(entry);
      }, afterChunk);
    }
  }

  /**
   * Every event of a day file as v1 text lines (the record:text script, for a person with `less`): the file's own
   * lines when it is text, rendered lines when it is binary.
   */
  async renderDay(date: string, write: (line: string) => void): Promise<void> {
    this.mustBeOpen();
    await this.flush();
    await renderDay(this.days, date, write);
  }

  // ------------------------------------------------------------------------------------------ internals

  private readonly endOfTurn = (): void => {
    this.scheduled = false;
    this.timer = null;
    this.staging = this.writer.takeTurn(this.staging);
  };

  private wrote(seq: number, ms: number): void {
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
    this.days.push({ date, path: binaryDayFilePath(this.opts.dir, date), format: 'binary' });
    return date;
  }

  private mustBeOpen(): void {
    if (!this.opened) throw new Error('ExecutionRecord: call open() first');
  }

  /** Trades of a date are all in memory from a date on only if no text file of that date is on disk. */
  private coveredFrom(date: string): string {
    return this.days.some((d) => d.date === date && d.format === 'text') ? addDays(date, 1) : date;
  }

  /** Scans the newest (binary) file: cuts its torn tail, loads its trades into memory. Returns the bytes cut. */
  private async loadNewest(day: DayFile): Promise<number> {
    let first = true;
    const covered = this.coveredFrom(day.date);
    const scan = await scanDay(day, 0, (view) => {
      const seq = view.seq();
      if (first) {
        first = false;
        this.recent.reset(seq - 1, covered);
      }
      this.last = seq;
      if (view.type() === 'trade') this.recent.push(day.date, view.binaryBuf, view.binaryStart, view.binaryEnd);
    });
    if (scan.tornBytes > 0) cutTornTail(day.path, scan.end);
    return scan.tornBytes;
  }

  /** The seq of the last event of a day file; 0 when it holds none. */
  private async lastSeqOf(day: DayFile): Promise<number> {
    if (day.format === 'text') {
      if (!fs.existsSync(day.path)) return 0;
      const line = lastLine(day.path, (l) => !isCommentLine(l));
      if (line === null) return 0;
      const seq = lineSeq(line);
      if (!Number.isSafeInteger(seq)) throw new Error(`execution record ${day.path}: line has no sequence number: ${line.slice(0, 80)}`);
      return seq;
    }
    let last = 0;
    await scanDay(day, 0, (view) => {
      last = view.seq();
    });
    return last;
  }

  /** Day files that can hold events of [from, to]: dates only move forward, so from the date of `from`. */
  private daysFor(from: number, to: number): DayFile[] {
    const fromDate = safeDate(from);
    const toDate = addDays(safeDate(to), 1);
    return this.days.filter((d) => d.date >= fromDate && d.date <= toDate);
  }

  private async tradesInTime<T>(from: number, to: number, shape: TradeShape<T>): Promise<T[]> {
    this.mustBeOpen();
    const covered = this.recent.coveredFromDate;
    const out: T[] = [];
    const older = this.daysFor(from, to).filter((d) => d.date < covered);
    if (older.length > 0) await this.flush();
    for (const day of older) {
      await scanDay(day, 0, (view) => {
        if (view.type() !== 'trade') return;
        const time = view.time();
        if (time >= from && time <= to) out.push(shape.fromView(view, view.seq(), time));
      });
    }
    this.recent.between(from, to, (buf, start, end, seq, time, date) => {
      if (date >= covered) out.push(shape.fromBinary(buf, start, end, seq, time, date));
    });
    return out;
  }

  private async tradesInSeq<T>(afterSeq: number, max: number, uptoSeq: number, shape: TradeShape<T>): Promise<T[]> {
    this.mustBeOpen();
    const out: T[] = [];
    const take = (buf: Buffer, start: number, end: number, seq: number, time: number, date: string): void => {
      out.push(shape.fromBinary(buf, start, end, seq, time, date));
    };
    if (this.recent.coversSeq(afterSeq)) {
      this.recent.after(afterSeq, uptoSeq, max, take);
      return out;
    }
    await this.flush();
    const lastFromFiles = await this.fileTradesAfter(afterSeq, max, uptoSeq, shape, out);
    if (out.length < max) this.recent.after(Math.max(this.recent.floorSeq, lastFromFiles), uptoSeq, max - out.length, take);
    return out;
  }

  /** Trades after afterSeq from the files, up to the memory's floor; returns the seq of the last one (or afterSeq). */
  private async fileTradesAfter<T>(afterSeq: number, max: number, uptoSeq: number, shape: TradeShape<T>, out: T[]): Promise<number> {
    const floor = this.recent.floorSeq;
    const c = this.cursor !== null && this.cursor.afterSeq === afterSeq ? this.cursor : null;
    let index = c !== null ? this.days.findIndex((d) => d.path === c.file) : await this.fileHolding(afterSeq);
    let offset = c !== null ? c.offset : 0;
    this.cursor = null;
    let lastSeq = afterSeq;
    let done = false;
    for (; index >= 0 && index < this.days.length && !done; index++, offset = 0) {
      const day = this.days[index]!;
      await scanDay(day, offset, (view, resume) => {
        const seq = view.seq();
        if (seq <= afterSeq) return;
        if (seq > uptoSeq || seq > floor) {
          done = true;
          return false;
        }
        if (view.type() !== 'trade') return;
        out.push(shape.fromView(view, seq, view.time()));
        lastSeq = seq;
        if (out.length >= max) {
          this.cursor = { afterSeq: seq, file: day.path, offset: resume };
          done = true;
          return false;
        }
      });
    }
    return lastSeq;
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
    await scanDay(day, 0, (view) => {
      first = view.seq();
      return false;
    });
    if (first !== Infinity) this.firstSeqs.set(day.path, first); // an empty file may still get its first event
    return first;
  }
}

function safeDate(ms: number): string {
  return tradeDateOf(Number.isFinite(ms) ? Math.max(-8.64e15, Math.min(8.64e15, ms)) : 0);
}
