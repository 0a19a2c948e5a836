// A session's human-readable log (`messages.log`): every message in and out with SOH shown as '|', plus session
// events, one line each, rotated by size (messages.log.1 … .N). Configurable per session (SessionConfig.messageLog).
//
// It costs the event loop no work per message. Consecutive messages that sit back to back in one buffer (the frames
// of one socket read, the bytes of one socket write) extend a run, which is copied into the staging once, as one
// record, when the run ends; every ~100 ms the staging is handed to the log thread (log-thread.ts), which cuts the
// runs into messages, formats the timestamps and lines and writes them. If the thread falls behind by more than
// `maxPendingBytes`, runs are dropped and counted rather than held without bound.

import { join } from 'node:path';
import { LogThread } from './log-thread.js';

export interface MessageLogOptions {
  maxFileBytes?: number;
  keepFiles?: number;
  flushIntervalMs?: number;
  maxPendingBytes?: number;
  /** Called when a log write fails (the log goes quiet; sessions carry on). */
  onError?: (err: Error) => void;
  /** Renders and writes the batches (default: the process's shared log thread). */
  thread?: LogThread;
}

const IN = 0;
const OUT = 1;
const EVT = 2;
/** kind u8, 3 bytes padding, length u32, time f64 (see log-thread-source.ts). */
const RECORD_HEADER = 16;
const FIRST_SLAB = 16 * 1024;

export class MessageLog {
  private staging: Buffer = Buffer.allocUnsafeSlow(FIRST_SLAB);
  private used = 0;
  /** The run being extended: bytes [runStart, runEnd) of runBuf, direction runKind, time runTime. */
  private runBuf: Buffer | null = null;
  private runStart = 0;
  private runEnd = 0;
  private runKind = IN;
  private runTime = 0;
  private timer: NodeJS.Timeout | null = null;
  private broken = false;
  private closed = false;
  /** Runs dropped because the thread fell behind. */
  dropped = 0;
  private readonly flushIntervalMs: number;
  private readonly maxPendingBytes: number;
  private readonly thread: LogThread;
  private readonly id: number;
  /** Bytes handed to the thread that it has not written yet. */
  private inFlight = 0;

  constructor(
    dir: string,
    private readonly options: MessageLogOptions = {},
    name = 'messages.log',
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
    this.thread = options.thread ?? LogThread.shared();
    this.id = this.thread.open(
      { file: join(dir, name), maxFileBytes: options.maxFileBytes ?? 64 * 1024 * 1024, keepFiles: options.keepFiles ?? 5 },
      {
        error: (err) => {
          if (this.broken) return;
          this.broken = true;
          this.options.onError?.(err);
        },
        written: (bytes) => {
          this.inFlight -= bytes;
        },
      },
    );
  }

  /**
   * A message read from the connection: bytes [start, end) of buf. The bytes must stay as they are until the end of
   * the current socket read (endOfInput), as a framer's frames do.
   */
  incoming(buf: Buffer, start: number, end: number, now: number): void {
    this.extend(IN, buf, start, end, now);
  }

  /** Bytes written to the connection: whole messages, which nobody writes again (a store's staged batch). */
  outgoing(buf: Buffer, start: number, end: number, now: number): void {
    this.extend(OUT, buf, start, end, now);
  }

  /** The socket read whose frames were logged is over: its run is copied before the reader reuses its buffer. */
  endOfInput(): void {
    if (this.runBuf !== null && this.runKind === IN) this.closeRun();
  }

  event(text: string, now: number): void {
    if (this.broken || this.closed) return;
    this.closeRun();
    const length = Buffer.byteLength(text, 'utf8');
    if (!this.room(length)) return;
    this.header(EVT, length, now);
    this.used += this.staging.write(text, this.used, 'utf8');
    this.schedule();
  }

  /** Writes everything staged so far; resolves once the thread has written it. */
  async flush(): Promise<void> {
    this.handOver();
    await this.thread.written(this.id);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.handOver();
    this.closed = true;
    await this.thread.close(this.id);
  }

  private extend(kind: number, buf: Buffer, start: number, end: number, now: number): void {
    if (this.broken || this.closed) return;
    if (buf === this.runBuf && start === this.runEnd && kind === this.runKind) {
      this.runEnd = end;
      return;
    }
    this.closeRun();
    this.runBuf = buf;
    this.runStart = start;
    this.runEnd = end;
    this.runKind = kind;
    this.runTime = now;
    this.schedule();
  }

  private closeRun(): void {
    const buf = this.runBuf;
    if (buf === null) return;
    this.runBuf = null;
    const length = this.runEnd - this.runStart;
    if (!this.room(length)) return;
    this.header(this.runKind, length, this.runTime);
    copyRun(buf, this.runStart, this.runEnd, this.staging, this.used);
    this.used += length;
  }

  private header(kind: number, length: number, time: number): void {
    const s = this.staging;
    const at = this.used;
    s[at] = kind;
    s[at + 1] = 0;
    s[at + 2] = 0;
    s[at + 3] = 0;
    s.writeUInt32LE(length, at + 4);
    s.writeDoubleLE(time, at + 8);
    this.used = at + RECORD_HEADER;
  }

  /** Makes room for a record of `length` bytes; false (and counted) when the thread is too far behind. */
  private room(length: number): boolean {
    const need = this.used + RECORD_HEADER + length;
    if (need + this.inFlight > this.maxPendingBytes) {
      this.dropped++;
      return false;
    }
    if (need > this.staging.length) {
      let size = this.staging.length * 2;
      while (size < need) size *= 2;
      const bigger = Buffer.allocUnsafeSlow(size);
      this.staging.copy(bigger, 0, 0, this.used);
      this.staging = bigger;
    }
    return true;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.handOver();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Transfers the staging to the thread and starts a fresh one. */
  private handOver(): void {
    this.closeRun();
    if (this.used === 0 || this.broken) {
      this.used = 0;
      return;
    }
    const slab = this.staging;
    const length = this.used;
    // A fresh slab sized like this batch (not below the first size); the old one's memory goes to the thread.
    this.staging = Buffer.allocUnsafeSlow(Math.max(FIRST_SLAB, Math.min(length * 2, 4 * 1024 * 1024)));
    this.used = 0;
    this.inFlight += length;
    this.thread.batch(this.id, slab, length);
  }
}

/**
 * Copies src[start, end) to dst at `at`. A run is usually one message of a few hundred bytes, and Buffer#copy with
 * a source offset allocates a view per call on Node 20 (and costs more than the loop at that size).
 */
function copyRun(src: Buffer, start: number, end: number, dst: Buffer, at: number): void {
  if (end - start > 1024) {
    src.copy(dst, at, start, end);
    return;
  }
  for (let i = start; i < end; i++) dst[at++] = src[i]!;
}
