// A session's human-readable log (`messages.log`): every message in and out with SOH shown as '|', plus session
// events, one line each. Lines are staged in memory and written by a timer, one write at a time, so logging never
// waits on the disk and never writes per message. The file rotates by size (messages.log.1 … .N). If the disk falls
// behind by more than `maxPendingBytes`, lines are dropped and counted rather than held without bound.
//
// On the event loop a message costs one copy into the staging buffer, as [length][text]; turning the staged batch
// into readable lines ('|' for SOH) and writing it is done by the write thread (src/io/write-thread.ts), off the
// event loop.

import { open, rename, rm, stat, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StagingBuffer } from './staging-buffer.js';
import { WriteThread } from '../../io/write-thread.js';

export interface MessageLogOptions {
  maxFileBytes?: number;
  keepFiles?: number;
  flushIntervalMs?: number;
  maxPendingBytes?: number;
  /** Called when a log write fails (the log goes quiet; sessions carry on). */
  onError?: (err: Error) => void;
  /** Renders and writes the batches (default: the process's shared write thread). */
  thread?: WriteThread;
}

const IN = 0;
const OUT = 1;
const EVT = 2;
const DIRECTIONS = ['IN  ', 'OUT ', 'EVT '];

export class MessageLog {
  private readonly staging = new StagingBuffer(16 * 1024);
  private fh: FileHandle | null = null;
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private stampMs = -1;
  /** "<timestamp> IN  ", "<timestamp> OUT ", "<timestamp> EVT " of the millisecond stampMs. */
  private prefixes: Buffer[] = [];
  private broken = false;
  private closed = false;
  /** Lines dropped because the disk fell behind. */
  dropped = 0;
  private readonly maxFileBytes: number;
  private readonly keepFiles: number;
  private readonly flushIntervalMs: number;
  private readonly maxPendingBytes: number;
  private readonly thread: WriteThread;
  private stream = -1;
  /** Records staged since the last flush took them. */
  private stagedLines = 0;

  constructor(
    private readonly dir: string,
    private readonly options: MessageLogOptions = {},
    private readonly name = 'messages.log',
  ) {
    this.maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
    this.keepFiles = options.keepFiles ?? 5;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
    this.thread = options.thread ?? WriteThread.shared();
  }

  incoming(buf: Buffer, start: number, end: number, now: number): void {
    this.line(IN, buf, start, end, now);
  }

  outgoing(buf: Buffer, start: number, end: number, now: number): void {
    this.line(OUT, buf, start, end, now);
  }

  event(text: string, now: number): void {
    const bytes = Buffer.from(text, 'utf8');
    this.line(EVT, bytes, 0, bytes.length, now);
  }

  /** Writes everything staged so far. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.staging.length === 0 || this.broken) return;
    const chunk = this.staging.take();
    const lines = this.stagedLines;
    this.stagedLines = 0;
    this.writing = this.write(chunk, lines).finally(() => {
      this.writing = null;
    });
    await this.writing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    this.closed = true;
    if (this.stream >= 0) this.thread.closeStream(this.stream);
    await this.fh?.close();
    this.fh = null;
  }

  private line(direction: number, payload: Buffer, start: number, end: number, now: number): void {
    if (this.broken || this.closed) return;
    const length = end - start;
    // (A single line above what the write thread takes in one piece would be a message of megabytes: not logged.)
    if (this.staging.length + length > this.maxPendingBytes || length + 64 > this.thread.maxWriteBytes) {
      this.dropped++;
      return;
    }
    const prefix = this.prefix(direction, now);
    // Staged as [length][text] with a plain copy; turning it into a readable line ('|' for SOH, no stray newline)
    // happens when the batch is written, off the message path.
    const text = prefix.length + length;
    const { buf, at } = this.staging.reserve(4 + text);
    buf.writeUInt32LE(text, at);
    let p = at + 4;
    for (let i = 0; i < prefix.length; i++) buf[p++] = prefix[i]!; // 26 bytes: cheaper than a native copy call
    payload.copy(buf, p, start, end);
    this.staging.commit(4 + text);
    this.stagedLines++;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes `lines` staged records (each line is 3 bytes shorter than its record: a newline for 4 bytes of length). */
  private async write(staged: Buffer, lines: number): Promise<void> {
    try {
      if (!this.fh) await this.openFile();
      if (this.size + staged.length - 3 * lines > this.maxFileBytes && this.size > 0) await this.rotate();
      const max = this.thread.maxWriteBytes;
      if (staged.length <= max) {
        await this.writeLines(staged, 0, staged.length, staged.length - 3 * lines);
        return;
      }
      // Whole records, at most what the write thread takes in one piece.
      for (let from = 0; from < staged.length; ) {
        let to = from;
        while (to < staged.length && to + 4 + staged.readUInt32LE(to) - from <= max) to += 4 + staged.readUInt32LE(to);
        await this.writeLines(staged, from, to, renderedLength(staged, from, to));
        from = to;
      }
    } catch (err) {
      this.broken = true;
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private writeLines(staged: Buffer, from: number, to: number, rendered: number): Promise<void> {
    const fh = this.fh!;
    const position = this.size;
    this.size += rendered;
    return new Promise((resolve, reject) => {
      this.thread.write(this.stream, fh.fd, staged, from, to - from, position, { logLines: true }, (err) => (err === null ? resolve() : reject(err)));
    });
  }

  private async openFile(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.fh = await open(join(this.dir, this.name), 'a');
    this.size = (await stat(join(this.dir, this.name))).size;
    if (this.stream < 0) this.stream = this.thread.openStream(`the message log in ${this.dir}`);
  }

  private async rotate(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
    const base = join(this.dir, this.name);
    await rm(`${base}.${this.keepFiles}`, { force: true });
    for (let i = this.keepFiles - 1; i >= 1; i--) await rename(`${base}.${i}`, `${base}.${i + 1}`).catch(() => {});
    if (this.keepFiles >= 1) await rename(base, `${base}.1`);
    else await rm(base, { force: true });
    await this.openFile();
  }

  private prefix(direction: number, now: number): Buffer {
    if (now !== this.stampMs) {
      this.stampMs = now;
      const d = new Date(now);
      const p = (n: number, w = 2): string => String(n).padStart(w, '0');
      const stamp =
        `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:` +
        `${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
      this.prefixes = DIRECTIONS.map((dir) => Buffer.from(`${stamp} ${dir}`, 'latin1'));
    }
    return this.prefixes[direction]!;
  }
}

/** Bytes of the lines the staged [length][text] records in staged[from, to) become (4 bytes of length -> 1 newline). */
function renderedLength(staged: Buffer, from: number, to: number): number {
  let records = 0;
  for (let at = from; at < to; at += 4 + staged.readUInt32LE(at)) records++;
  return to - from - 3 * records;
}
