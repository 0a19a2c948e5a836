// A session's human-readable log (`messages.log`): every message in and out with SOH shown as '|', plus session
// events, one line each. Lines are staged in memory and written by a timer, one write at a time, so logging never
// waits on the disk and never writes per message. The file rotates by size (messages.log.1 … .N). If the disk falls
// behind by more than `maxPendingBytes`, lines are dropped and counted rather than held without bound.

import { open, rename, rm, stat, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StagingBuffer } from './staging-buffer.js';

export interface MessageLogOptions {
  maxFileBytes?: number;
  keepFiles?: number;
  flushIntervalMs?: number;
  maxPendingBytes?: number;
  /** Called when a log write fails (the log goes quiet; sessions carry on). */
  onError?: (err: Error) => void;
}

const SOH = 0x01;
const PIPE = 0x7c;
const NL = 0x0a;

export class MessageLog {
  private readonly staging = new StagingBuffer(16 * 1024);
  private fh: FileHandle | null = null;
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private stampMs = -1;
  private stamp = Buffer.alloc(24);
  private broken = false;
  private closed = false;
  /** Lines dropped because the disk fell behind. */
  dropped = 0;
  private readonly maxFileBytes: number;
  private readonly keepFiles: number;
  private readonly flushIntervalMs: number;
  private readonly maxPendingBytes: number;

  constructor(
    private readonly dir: string,
    private readonly options: MessageLogOptions = {},
    private readonly name = 'messages.log',
  ) {
    this.maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
    this.keepFiles = options.keepFiles ?? 5;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
  }

  incoming(buf: Buffer, start: number, end: number, now: number): void {
    this.line('IN  ', buf, start, end, now);
  }

  outgoing(buf: Buffer, start: number, end: number, now: number): void {
    this.line('OUT ', buf, start, end, now);
  }

  event(text: string, now: number): void {
    const bytes = Buffer.from(text, 'utf8');
    this.line('EVT ', bytes, 0, bytes.length, now);
  }

  /** Writes everything staged so far. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.staging.length === 0 || this.broken) return;
    const chunk = this.staging.take();
    this.writing = this.write(chunk).finally(() => {
      this.writing = null;
    });
    await this.writing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    this.closed = true;
    await this.fh?.close();
    this.fh = null;
  }

  private line(direction: string, payload: Buffer, start: number, end: number, now: number): void {
    if (this.broken || this.closed) return;
    const length = end - start;
    if (this.staging.length + length > this.maxPendingBytes) {
      this.dropped++;
      return;
    }
    const stamp = this.timestamp(now);
    // Staged as [length][text] with a plain copy; turning it into a readable line ('|' for SOH, no stray newline)
    // happens when the batch is written, off the message path.
    const text = stamp.length + 1 + direction.length + length;
    const { buf, at } = this.staging.reserve(4 + text);
    buf.writeUInt32LE(text, at);
    let p = at + 4 + stamp.copy(buf, at + 4);
    buf[p++] = 0x20;
    p += buf.write(direction, p, 'latin1');
    payload.copy(buf, p, start, end);
    this.staging.commit(4 + text);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  private async write(staged: Buffer): Promise<void> {
    const chunk = readableLines(staged);
    try {
      if (!this.fh) await this.openFile();
      if (this.size + chunk.length > this.maxFileBytes && this.size > 0) await this.rotate();
      let done = 0;
      while (done < chunk.length) {
        const { bytesWritten } = await this.fh!.write(chunk, done, chunk.length - done);
        done += bytesWritten;
      }
      this.size += chunk.length;
    } catch (err) {
      this.broken = true;
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async openFile(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.fh = await open(join(this.dir, this.name), 'a');
    this.size = (await stat(join(this.dir, this.name))).size;
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

  private timestamp(now: number): Buffer {
    if (now !== this.stampMs) {
      this.stampMs = now;
      const d = new Date(now);
      const p = (n: number, w = 2): string => String(n).padStart(w, '0');
      this.stamp = Buffer.from(
        `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:` +
          `${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`,
        'latin1',
      );
    }
    return this.stamp;
  }
}

/** Staged [length][text] records → text lines: SOH shown as '|', a newline inside a message as a space. */
function readableLines(staged: Buffer): Buffer {
  let lines = 0;
  for (let at = 0; at < staged.length; at += 4 + staged.readUInt32LE(at)) lines++;
  const out = Buffer.allocUnsafe(staged.length - 4 * lines + lines);
  let p = 0;
  for (let at = 0; at < staged.length; ) {
    const end = at + 4 + staged.readUInt32LE(at);
    for (let i = at + 4; i < end; i++) {
      const c = staged[i]!;
      out[p++] = c === SOH ? PIPE : c === NL ? 0x20 : c;
    }
    out[p++] = NL;
    at = end;
  }
  return out;
}
