// Byte stream -> FIX frames, cutting exactly where QuickFIX's Parser::readFixMessage cuts:
//   1. find "8=" anywhere (bytes before it are discarded),
//   2. find "\x019=" anywhere after it and read the BodyLength digits up to the next SOH,
//   3. wait until BodyLength bytes after that SOH have arrived,
//   4. find "\x0110=" starting ONE BYTE BEFORE the end of the declared body, then the SOH after it.
// Step 4's starting point is the documented quirk: a BodyLength that is too long makes the search start
// past this message's CheckSum, so the frame swallows the next message too (and both fail later checks).
// BodyLength and CheckSum values are verified by the parser, not here; a frame is only a candidate.
//
// Unlike QuickFIX the framer keeps memory bounded: a frame that grows beyond maxMessageSize is dropped
// (reason "too-large") instead of being buffered forever. Complete frames inside one chunk are handed out as
// views of that chunk; only a frame split across chunks is copied into the pending buffer.

import { CHAR_8, EQUALS, SOH } from './ascii.js';
import { readInt32Wrapping } from './read-values.js';
import { grownBuffer } from '../../shared/growth.js';

export type FrameDropReason =
  /** Bytes before "8=" that cannot start a message. */
  | 'garbage'
  /** BodyLength(9) value not a non-negative integer: QuickFIX discards everything buffered. */
  | 'bad-body-length'
  /** Declared BodyLength, or the bytes scanned for a frame, exceed maxMessageSize. */
  | 'too-large';

export interface FrameSink {
  /**
   * A candidate frame buf[start, end). Valid until the push() that produced it returns (a chunk's frames are views
   * of the chunk; a frame split across chunks lives in a pending buffer the next push may reuse): copy to keep it.
   */
  onFrame(buf: Buffer, start: number, end: number): void;
  /** Bytes were thrown away; `bytes` says how many, `detail` is a log-friendly explanation. */
  onDrop(reason: FrameDropReason, bytes: number, detail: string): void;
}

export interface FramerOptions {
  /** Largest frame accepted, in bytes (default 64 KiB). */
  maxMessageSize?: number;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

// Phases of the frame being assembled. Offsets kept in the state are relative to the frame's "8=".
const SEEK_BEGIN = 0; // looking for "8="
const SEEK_LENGTH_TAG = 1; // looking for "\x019="
const READ_LENGTH = 2; // reading BodyLength digits up to SOH
const WAIT_BODY = 3; // waiting for bodyStart + BodyLength bytes
const SEEK_TRAILER = 4; // looking for "\x0110="
const READ_CHECKSUM = 5; // looking for the SOH that ends CheckSum

const NEED_MORE = 0;
const FRAME = 1;
const DROP = 2;

/** Longest BodyLength text we wait for before calling it malformed. */
const MAX_LENGTH_DIGITS = 16;
/** Header and trailer bytes a frame may carry beyond maxMessageSize of scanning. */
const FRAME_SLACK = 64;

export interface FramerStats {
  frames: number;
  drops: number;
  droppedBytes: number;
}

export class FixFramer {
  readonly maxMessageSize: number;
  readonly stats: FramerStats = { frames: 0, drops: 0, droppedBytes: 0 };

  private phase = SEEK_BEGIN;
  private cursor = 0;
  private lengthStart = 0;
  private bodyStart = 0;
  private bodyLength = 0;
  /**
   * Relative offset the last FRAME/DROP result refers to (frame end, or bytes to discard). It always lies in
   * the bytes added since the previous NEED_MORE, so in pending mode the bytes after it came from the
   * current chunk and can be handed back to it.
   */
  private resultAt = 0;
  private dropReason: FrameDropReason = 'garbage';
  private dropDetail = '';
  private dropEverything = false;

  private pending: Buffer = Buffer.alloc(0);
  private pendingLength = 0;
  /**
   * Frames from `pending` must stay intact until the end of the push that emitted them, when the next frame's tail is
   * stashed in the same push: the stash then goes to the other buffer.
   */
  private sparePending: Buffer = Buffer.alloc(0);
  private pendingHandedOut = false;

  constructor(
    private readonly sink: FrameSink,
    options: FramerOptions = {},
  ) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  /** Bytes held for a frame that has not completed yet. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /** Forget any partial frame (e.g. when the connection is reused). */
  reset(): void {
    this.pendingLength = 0;
    this.phase = SEEK_BEGIN;
    this.cursor = 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    const n = chunk.length;
    let garbage = 0;

    // 1. Finish a frame that started in an earlier chunk, copying only what it needs.
    while (this.pendingLength > 0 && pos < n) {
      if (this.phase === SEEK_BEGIN) {
        // pending holds a lone '8' from the end of the previous chunk
        if (chunk[pos] === EQUALS) {
          this.append(chunk, pos, 1);
          pos++;
          this.phase = SEEK_LENGTH_TAG;
          this.cursor = 2;
        } else {
          garbage += this.pendingLength;
          this.pendingLength = 0;
        }
        continue;
      }
      const take = Math.min(n - pos, this.wanted());
      this.append(chunk, pos, take);
      pos += take;
      const r = this.advance(this.pending, 0, this.pendingLength);
      if (r === NEED_MORE) continue;
      // The frame ended (or was dropped) inside the bytes just appended: give the rest back to the chunk.
      const rest = this.pendingLength - this.resultAt;
      if (r === FRAME) {
        this.pendingHandedOut = true;
        this.emit(this.pending, 0, this.resultAt);
        pos -= rest;
      } else if (this.dropEverything) {
        this.drop(this.pendingLength + (n - pos));
        pos = n;
      } else {
        this.drop(this.resultAt);
        pos -= rest;
      }
      this.pendingLength = 0;
      this.phase = SEEK_BEGIN;
    }

    // 2. Frames that start in this chunk: handed out as views of the chunk.
    while (pos < n) {
      if (this.phase === SEEK_BEGIN) {
        const begin = findBegin(chunk, pos, n);
        if (begin < 0) {
          // Keep a trailing '8': it may be the start of "8=" in the next chunk.
          const keep = chunk[n - 1] === CHAR_8 ? 1 : 0;
          garbage += n - pos - keep;
          if (keep === 1) this.append(chunk, n - 1, 1);
          pos = n;
          break;
        }
        garbage += begin - pos;
        pos = begin;
        this.phase = SEEK_LENGTH_TAG;
        this.cursor = 2;
      }
      const r = this.advance(chunk, pos, n);
      if (r === NEED_MORE) {
        this.append(chunk, pos, n - pos);
        break;
      }
      if (r === FRAME) {
        this.emit(chunk, pos, pos + this.resultAt);
        pos += this.resultAt;
      } else if (this.dropEverything) {
        this.drop(n - pos);
        pos = n;
      } else {
        this.drop(this.resultAt);
        pos += this.resultAt;
      }
      this.phase = SEEK_BEGIN;
    }

    if (garbage > 0) {
      this.stats.drops++;
      this.stats.droppedBytes += garbage;
      this.sink.onDrop('garbage', garbage, `${garbage} byte(s) before "8=" skipped`);
    }
  }

  /** How many more bytes the pending frame needs before it can make progress. */
  private wanted(): number {
    if (this.phase === WAIT_BODY) {
      return Math.max(256, this.bodyStart + this.bodyLength + 16 - this.pendingLength);
    }
    return 256;
  }

  private append(src: Buffer, from: number, count: number): void {
    if (this.pendingLength === 0 && this.pendingHandedOut) {
      const handedOut = this.pending;
      this.pending = this.sparePending;
      this.sparePending = handedOut;
      this.pendingHandedOut = false;
    }
    const needed = this.pendingLength + count;
    if (needed > this.pending.length) this.pending = grownBuffer(this.pending, needed, this.pendingLength, 1024);
    src.copy(this.pending, this.pendingLength, from, from + count);
    this.pendingLength = needed;
  }

  private emit(buf: Buffer, start: number, end: number): void {
    this.stats.frames++;
    this.sink.onFrame(buf, start, end);
  }

  private drop(bytes: number): void {
    this.stats.drops++;
    this.stats.droppedBytes += bytes;
    this.sink.onDrop(this.dropReason, bytes, this.dropDetail);
  }

  private fail(reason: FrameDropReason, cutAt: number, detail: string, everything = false): number {
    this.dropReason = reason;
    this.resultAt = cutAt;
    this.dropDetail = detail;
    this.dropEverything = everything;
    return DROP;
  }

  /**
   * Advances the frame that starts at w[base] with bytes available up to w[limit). Returns NEED_MORE, FRAME
   * (resultAt = frame length) or DROP (resultAt = bytes to discard, unless dropEverything).
   */
  private advance(w: Buffer, base: number, limit: number): number {
    const avail = limit - base;
    const max = this.maxMessageSize;
    for (;;) {
      switch (this.phase) {
        case SEEK_LENGTH_TAG: {
          let r = this.cursor;
          while (r + 2 < avail && !(w[base + r] === SOH && w[base + r + 1] === 0x39 && w[base + r + 2] === EQUALS)) r++;
          if (r + 2 >= avail) {
            this.cursor = r;
            if (r > max) return this.fail('too-large', avail, `no BodyLength(9) within ${max} bytes`);
            return NEED_MORE;
          }
          this.lengthStart = r + 3;
          this.cursor = r + 3;
          this.phase = READ_LENGTH;
          break;
        }
        case READ_LENGTH: {
          let r = this.cursor;
          while (r < avail && w[base + r] !== SOH) r++;
          if (r >= avail) {
            this.cursor = r;
            if (r - this.lengthStart > MAX_LENGTH_DIGITS) {
              return this.fail('bad-body-length', 0, 'BodyLength(9) value too long', true);
            }
            return NEED_MORE;
          }
          const length = readInt32Wrapping(w, base + this.lengthStart, base + r);
          if (Number.isNaN(length) || length < 0) {
            const text = w.toString('latin1', base + this.lengthStart, base + r);
            return this.fail('bad-body-length', 0, `BodyLength(9) "${text}" is not a non-negative integer`, true);
          }
          if (length > max) {
            return this.fail('too-large', r + 1, `BodyLength(9)=${length} exceeds the ${max}-byte limit`);
          }
          this.bodyLength = length;
          this.bodyStart = r + 1;
          this.cursor = r + 1;
          this.phase = WAIT_BODY;
          break;
        }
        case WAIT_BODY: {
          const bodyEnd = this.bodyStart + this.bodyLength;
          if (avail < bodyEnd) return NEED_MORE;
          this.cursor = bodyEnd - 1; // QuickFIX: find("\x0110=", pos - 1)
          this.phase = SEEK_TRAILER;
          break;
        }
        case SEEK_TRAILER: {
          let r = this.cursor;
          while (
            r + 3 < avail &&
            !(w[base + r] === SOH && w[base + r + 1] === 0x31 && w[base + r + 2] === 0x30 && w[base + r + 3] === EQUALS)
          ) {
            r++;
          }
          if (r + 3 >= avail) {
            this.cursor = r;
            if (r > max + FRAME_SLACK) return this.fail('too-large', avail, `no CheckSum(10) within ${max} bytes`);
            return NEED_MORE;
          }
          this.cursor = r + 4;
          this.phase = READ_CHECKSUM;
          break;
        }
        case READ_CHECKSUM: {
          let r = this.cursor;
          while (r < avail && w[base + r] !== SOH) r++;
          if (r >= avail) {
            this.cursor = r;
            if (r > max + FRAME_SLACK) {
              return this.fail('too-large', avail, `CheckSum(10) not terminated within ${max} bytes`);
            }
            return NEED_MORE;
          }
          this.resultAt = r + 1;
          return FRAME;
        }
        default:
          return NEED_MORE;
      }
    }
  }
}

/** Index of the first "8=" in buf[from, to), or -1. */
function findBegin(buf: Buffer, from: number, to: number): number {
  let i = from;
  for (;;) {
    i = buf.indexOf(CHAR_8, i);
    if (i < 0 || i >= to - 1) return -1;
    if (buf[i + 1] === EQUALS) return i;
    i++;
  }
}
