// Appends record lines to the day files in batches: lines collect in memory during an event-loop turn and
// go to disk with one write per day file per flush (and one fdatasync when fsync is on), off the venue's
// hot path. Flushes never overlap: lines that arrive while a write is in flight wait for the next one,
// which therefore carries everything that piled up (group commit).
//
// A failed write is not retried and not swallowed: the writer stops for good (the error is kept, every
// later flush rejects with it, onError is told once), because the command journal is the source of truth
// and a restart replays into the record everything it is missing.

import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dayFilePath, fsyncDir } from './day-files.js';
import { fileHeader } from './record-format.js';

interface PendingDay {
  date: string;
  lines: string[];
  lastSeq: number;
}

export interface RecordWriterOptions {
  dir: string;
  fsync: boolean;
  /** Told after each successful write, with the highest seq now on disk. */
  onDurable: (seq: number, lines: number, ms: number) => void;
  /** Told once, when the writer fails. */
  onError: (error: Error) => void;
}

function noop(): void {}

export class RecordWriter {
  private readonly opts: RecordWriterOptions;
  private pending: PendingDay[] = [];
  private tail: PendingDay | null = null;
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private handle: FileHandle | null = null;
  private handleDate = '';
  private failure: Error | null = null;
  private pendingCount = 0;

  constructor(opts: RecordWriterOptions) {
    this.opts = opts;
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Lines waiting for the next flush. */
  get pendingLines(): number {
    return this.pendingCount;
  }

  /** Queues a line (ending in a newline) for the day file of `date`. Dropped once the writer has failed. */
  append(date: string, line: string, seq: number): void {
    if (this.failure !== null) return;
    let day = this.tail;
    if (day === null || day.date !== date) {
      day = { date, lines: [], lastSeq: seq };
      this.pending.push(day);
      this.tail = day;
    }
    day.lines.push(line);
    day.lastSeq = seq;
    this.pendingCount++;
  }

  /** Writes everything appended so far; resolves once it is on disk, rejects with the writer's error. */
  flush(): Promise<void> {
    if (this.inFlight !== null) {
      this.queued ??= this.inFlight.then(noop, noop).then(() => {
        this.queued = null;
        return this.flush();
      });
      return this.queued;
    }
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.pending.length === 0) return Promise.resolve();
    const days = this.pending;
    this.pending = [];
    this.tail = null;
    this.pendingCount = 0;
    const write = this.write(days);
    this.inFlight = write;
    write.then(
      () => (this.inFlight = null),
      () => (this.inFlight = null),
    );
    return write;
  }

  /** Flushes and closes the open file. */
  async close(): Promise<void> {
    await this.flush().catch(noop);
    if (this.handle !== null) {
      const h = this.handle;
      this.handle = null;
      this.handleDate = '';
      await h.close();
    }
  }

  private async write(days: PendingDay[]): Promise<void> {
    const started = performance.now();
    let lines = 0;
    try {
      for (const day of days) {
        const header = await this.useFile(day.date);
        const body = day.lines.join('');
        await this.handle!.write(header + body);
        if (this.opts.fsync) await this.handle!.datasync();
        lines += day.lines.length;
      }
    } catch (err) {
      this.fail(err);
      throw this.failure;
    }
    this.opts.onDurable(days[days.length - 1]!.lastSeq, lines, performance.now() - started);
  }

  /** Opens the day file for appending (closing the previous day's); returns the header if the file is new. */
  private async useFile(date: string): Promise<string> {
    if (this.handle !== null && this.handleDate === date) return '';
    if (this.handle !== null) {
      const old = this.handle;
      this.handle = null;
      await old.close();
    }
    const file = dayFilePath(this.opts.dir, date);
    this.handle = await fs.promises.open(file, 'a');
    this.handleDate = date;
    const { size } = await this.handle.stat();
    if (size > 0) return '';
    if (this.opts.fsync) fsyncDir(this.opts.dir);
    return fileHeader(date);
  }

  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = err instanceof Error ? err : new Error(String(err));
    this.pending = [];
    this.tail = null;
    this.pendingCount = 0;
    this.opts.onError(this.failure);
  }
}
