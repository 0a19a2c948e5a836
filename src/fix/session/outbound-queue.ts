// Bytes waiting to go to one connection, in the order they were produced. Normally a single staging chunk (one
// socket write per flush). A resend that streams old messages from disk holds its place with a placeholder: its
// chunks go out as they are read, and what was produced after it waits behind it until it ends, so the
// counterparty still sees messages in production order.

import { StagingBuffer } from '../store/staging-buffer.js';

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

export class OutboundQueue {
  private staging = new StagingBuffer(32 * 1024);
  /** Segments sealed behind a placeholder (empty in the common case). */
  private readonly segments: Segment[] = [];

  append(bytes: Buffer): void {
    const { buf, at } = this.staging.reserve(bytes.length);
    bytes.copy(buf, at);
    this.staging.commit(bytes.length);
  }

  /** Reserves the current position for bytes that come later, in one or more pushes, until end(). */
  placeholder(): HeldPosition {
    if (this.staging.length > 0) this.segments.push({ kind: 'bytes', bytes: this.staging.take() });
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
    return this.segments.length === 0 && this.staging.length === 0;
  }

  /** Takes everything that can be written now, in order, as few buffers as possible (one, normally). */
  takeReady(): Buffer[] {
    if (this.segments.length === 0) return this.staging.length > 0 ? [this.staging.take()] : [];
    const out: Buffer[] = [];
    while (this.segments.length > 0) {
      const head = this.segments[0]!;
      if (head.kind === 'bytes') {
        out.push(head.bytes);
      } else {
        out.push(...head.chunks.splice(0));
        if (!head.done) return out;
      }
      this.segments.shift();
    }
    if (this.staging.length > 0) out.push(this.staging.take());
    return out;
  }

  clear(): void {
    this.segments.length = 0;
    this.staging.discard();
  }
}
