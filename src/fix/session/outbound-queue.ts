// Bytes waiting to go to one connection, in the order they were produced. Normally a single staging chunk (one
// socket write per flush). A resend that has to read old messages from disk leaves a placeholder: what was
// produced after it waits behind it, so the counterparty still sees messages in production order.

import { StagingBuffer } from '../store/staging-buffer.js';

type Segment = { kind: 'bytes'; bytes: Buffer } | { kind: 'placeholder'; bytes: Buffer | null };

export class OutboundQueue {
  private staging = new StagingBuffer(32 * 1024);
  /** Segments sealed behind an unresolved placeholder (empty in the common case). */
  private readonly segments: Segment[] = [];

  append(bytes: Buffer): void {
    const { buf, at } = this.staging.reserve(bytes.length);
    bytes.copy(buf, at);
    this.staging.commit(bytes.length);
  }

  /** Reserves the current position for bytes that come later; resolve with the bytes (or an empty buffer). */
  placeholder(): (bytes: Buffer) => void {
    if (this.staging.length > 0) this.segments.push({ kind: 'bytes', bytes: this.staging.take() });
    const segment: Segment = { kind: 'placeholder', bytes: null };
    this.segments.push(segment);
    return (bytes) => {
      segment.bytes = bytes;
    };
  }

  get hasPlaceholder(): boolean {
    return this.segments.some((s) => s.kind === 'placeholder' && s.bytes === null);
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
      if (head.bytes === null) return out;
      if (head.bytes.length > 0) out.push(head.bytes);
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
