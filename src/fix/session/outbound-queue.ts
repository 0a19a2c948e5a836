// Bytes waiting to go to one connection, in the order they were produced. Normally a single run of bytes per turn:
// the messages the session stored in its store's batch, which sit back to back in the store's staging and are sent
// from there as one view (appendView: no copy). Bytes that are not in the store (resends, gap fills) are copied
// into the queue's own staging. A resend that streams old messages from disk holds its place with a placeholder:
// its chunks go out as they are read, and what was produced after it waits behind it until it ends, so the
// counterparty still sees messages in production order.

import { StagingBuffer } from '../store/staging-buffer.js';
import { emptyArray } from '../../shared/arrays.js';

interface Placeholder {
  kind: 'placeholder';
  chunks: Buffer[];
  done: boolean;
}
type Segment = { kind: 'bytes'; bytes: Buffer } | Placeholder;

/** The writer side of a placeholder. */
export interface HeldPosition {
  push(bytes: Buffer): void;
  end(): void;
}

/** The session's message log, told what was written (src/fix/store/message-log.ts). */
export interface OutgoingLog {
  outgoing(buf: Buffer, start: number, end: number, now: number): void;
}

/** Where the queue's bytes go (a FIX connection). */
export interface ByteSink {
  write(bytes: Buffer): void;
}

export class OutboundQueue {
  /** Bytes the queue holds itself (resends, gap fills). Each copy is sealed at once, so nothing here ever moves. */
  private readonly own = new StagingBuffer(32 * 1024);
  /** The run being extended: bytes [runStart, runEnd) of runBuf. */
  private runBuf: Buffer | null = null;
  private runStart = 0;
  private runEnd = 0;
  /** Runs closed before the current one (another slab began), while no placeholder is pending. */
  private readonly sealed: Buffer[] = [];
  /** Everything from the first pending placeholder on (empty in the common case). */
  private readonly segments: Segment[] = [];
  private readonly scratch: Buffer[] = [];

  /** Queues a copy of `bytes` (the caller may reuse its buffer). */
  append(bytes: Buffer): void {
    const own = this.own;
    own.ensure(bytes.length);
    const buf = own.buffer;
    const at = own.pendingEnd;
    bytes.copy(buf, at);
    own.commit(bytes.length);
    own.seal();
    this.appendView(buf, at, bytes.length);
  }

  /** Queues bytes [at, at + length) of `buf`, which nobody writes again (a store's staged batch): no copy. */
  appendView(buf: Buffer, at: number, length: number): void {
    if (buf === this.runBuf && at === this.runEnd) {
      this.runEnd += length;
      return;
    }
    this.closeRun();
    this.runBuf = buf;
    this.runStart = at;
    this.runEnd = at + length;
  }

  /** Reserves the current position for bytes that come later, in one or more pushes, until end(). */
  placeholder(): HeldPosition {
    this.closeRun();
    for (const bytes of this.sealed) this.segments.push({ kind: 'bytes', bytes });
    emptyArray(this.sealed);
    const segment: Placeholder = { kind: 'placeholder', chunks: [], done: false };
    this.segments.push(segment);
    return {
      push: (bytes) => {
        if (bytes.length > 0) segment.chunks.push(bytes);
      },
      end: () => {
        segment.done = true;
      },
    };
  }

  get isEmpty(): boolean {
    return this.runBuf === null && this.sealed.length === 0 && this.segments.length === 0;
  }

  /** Takes everything that can be written now, in order, as few buffers as possible (one, normally). */
  takeReady(): Buffer[] {
    const out: Buffer[] = [];
    this.collect(out);
    return out;
  }

  /** Writes everything that can be written now to `sink`, in order, and tells `log` what went out. */
  writeTo(sink: ByteSink, log: OutgoingLog | null, now: number): void {
    const out = this.scratch;
    this.collect(out);
    for (let i = 0; i < out.length; i++) {
      const bytes = out[i]!;
      sink.write(bytes);
      log?.outgoing(bytes, 0, bytes.length, now);
    }
    emptyArray(out);
  }

  clear(): void {
    this.runBuf = null;
    emptyArray(this.sealed);
    emptyArray(this.segments);
  }

  private collect(out: Buffer[]): void {
    this.closeRun();
    const segments = this.segments;
    while (segments.length > 0) {
      const head = segments[0]!;
      if (head.kind === 'bytes') {
        out.push(head.bytes);
      } else {
        for (const chunk of head.chunks.splice(0)) out.push(chunk);
        if (!head.done) return;
      }
      segments.shift();
    }
    for (let i = 0; i < this.sealed.length; i++) out.push(this.sealed[i]!);
    emptyArray(this.sealed);
  }

  private closeRun(): void {
    const buf = this.runBuf;
    if (buf === null) return;
    const bytes = buf.subarray(this.runStart, this.runEnd);
    this.runBuf = null;
    if (this.segments.length > 0) this.segments.push({ kind: 'bytes', bytes });
    else this.sealed.push(bytes);
  }
}
