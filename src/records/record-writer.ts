// Appends record lines to the day files in batches: the record's lines collect in LineBuffers and go to
// disk with one gathered write per day file per flush (and one fdatasync when fsync is on), off the
// venue's hot path. Flushes never overlap: buffers handed over while a write is in flight wait for the
// next one, which therefore carries everything that piled up (group commit).
//
// A failed write is not retried and not swallowed: the writer stops for good (the error is kept, every
// later flush rejects with it, onError is told once), because the command journal is the source of truth
// and a restart replays into the record everything it is missing.

import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dayFilePath, fsyncDir } from './day-files.js';
import type { LineBuffer } from './line-buffer.js';
import { fileHeader } from './record-format.js';

export interface RecordWriterOptions {
  dir: string;
  fsync: boolean;
  /** Told after each successful write, with the highest seq now on disk. */
  onDurable: (seq: number, lines: number, ms: number) => void;
  /** Told once, when the writer fails. */
  onError: (error: Error) => void;
  /** Given back the buffers of each write once the file no longer needs them (written or failed). */
  onWritten?: (buffers: readonly LineBuffer[]) => void;
  /** Awaited before each write; a rejection fails the writer and nothing of that write reaches the file. */
  beforeWrite?: () => Promise<unknown>;
}

function noop(): void {}

export class RecordWriter {
  private readonly opts: RecordWriterOptions;
  private pending: LineBuffer[] = [];
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

  /** Queues a finished turn's lines. Dropped once the writer has failed. */
  append(lines: LineBuffer): void {
    if (this.failure !== null || lines.lines === 0) return;
    this.pending.push(lines);
    this.pendingCount += lines.lines;
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
    const turns = this.pending;
    this.pending = [];
    this.pendingCount = 0;
    const write = this.write(turns);
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

  private async write(turns: LineBuffer[]): Promise<void> {
    const started = performance.now();
    let lines = 0;
    let lastSeq = 0;
    try {
      if (this.opts.beforeWrite) await this.opts.beforeWrite();
      // Consecutive segments of one date go out in one gathered write.
      let date = '';
      let parts: Buffer[] = [];
      const out = async (): Promise<void> => {
        if (parts.length === 0) return;
        const header = await this.useFile(date);
        if (header !== '') parts.unshift(Buffer.from(header));
        await this.handle!.writev(parts);
        if (this.opts.fsync) await this.handle!.datasync();
        parts = [];
      };
      for (const turn of turns) {
        lines += turn.lines;
        for (const seg of turn.segments) {
          if (seg.date !== date) {
            await out();
            date = seg.date;
          }
          parts.push(turn.buf.subarray(seg.start, seg.end));
          lastSeq = seg.lastSeq;
        }
      }
      await out();
    } catch (err) {
      this.fail(err);
      throw this.failure;
    } finally {
      this.opts.onWritten?.(turns);
    }
    this.opts.onDurable(lastSeq, lines, performance.now() - started);
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
    this.pendingCount = 0;
    this.opts.onError(this.failure);
  }
}
