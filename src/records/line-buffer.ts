// Text record lines (format v1, record-format.ts) written field by field straight into a Buffer: no intermediate
// strings for numbers, decimals or separators. Readers render lines with it (record-text.ts: clearing's payloads,
// record:text), and the v1 encoder the benchmark compares against writes with it (scripts/bench/record-text-v1-encoder.ts).
//
// Lines are grouped in segments by trade date.
//
// begin() makes room for LINE_RESERVE bytes, enough for every field of a line except free text (the words,
// numbers and tabs of the widest line take under half of it); so tab(), word(), int() and dec() write without a
// bounds check of their own, and text() checks for itself. end() verifies the reserve held (a write past the end of
// a Buffer is silently dropped, so a line that outgrew it must fail loudly instead).

import { escapeField } from './record-format.js';
import { emptyArray } from '../shared/arrays.js';
import { civilFromDays } from '../shared/civil-date.js';

const TAB = 9;
const NEWLINE = 10;
const CR = 13;
const BACKSLASH = 92;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
/** Bytes begin() makes room for: everything of a line but its free text (see above). */
const LINE_RESERVE = 1024;

export interface Segment {
  date: string;
  start: number;
  end: number;
  /** Seq of the last event in the segment. */
  lastSeq: number;
}

export class LineBuffer {
  buf: Buffer;
  len = 0;
  readonly segments: Segment[] = [];
  private lineStart = 0;
  private count = 0;
  /** Where the room begin() (or the last text()) made ends: fixed-size fields may be written up to here. */
  private reserveEnd = 0;

  constructor(initialBytes = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Lines written so far. */
  get lines(): number {
    return this.count;
  }

  /** Empties the buffer for reuse (its memory is kept). */
  reset(): void {
    this.len = 0;
    emptyArray(this.segments);
    this.lineStart = 0;
    this.count = 0;
  }

  /** Starts a line for a trade date (opening a segment when the date changes). */
  begin(date: string): void {
    const last = this.segments[this.segments.length - 1];
    if (last === undefined || last.date !== date) this.segments.push({ date, start: this.len, end: this.len, lastSeq: 0 });
    this.lineStart = this.len;
    this.room(LINE_RESERVE);
    this.reserveEnd = this.len + LINE_RESERVE;
  }

  /** Ends the line begun last: writes its newline and files it under its segment. */
  end(seq: number): void {
    if (this.len >= this.reserveEnd) throw new Error(`record line longer than its reserve of ${LINE_RESERVE} bytes (without free text)`);
    this.buf[this.len++] = NEWLINE;
    const seg = this.segments[this.segments.length - 1]!;
    seg.end = this.len;
    seg.lastSeq = seq;
    this.count++;
  }

  /** Drops the line begun last (an event that could not be encoded). */
  abandon(): void {
    this.len = this.lineStart;
    const seg = this.segments[this.segments.length - 1];
    if (seg !== undefined && seg.start === seg.end && seg.start === this.len) this.segments.pop();
  }

  /** The line begun last, as a string (what the record keeps in memory for a trade). */
  lineText(): string {
    return this.buf.toString('utf8', this.lineStart, this.len);
  }

  tab(): void {
    this.buf[this.len++] = TAB;
  }

  /** Text that needs no escaping and is ASCII (words, codes the record itself chooses; short, within the reserve). */
  word(s: string): void {
    const b = this.buf;
    let n = this.len;
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    this.len = n;
  }

  /** Free text: \, tab, newline and CR escaped; non-ASCII written as UTF-8. */
  text(s: string): void {
    // Escaping at most doubles it; the line keeps its reserve for the fields after it.
    this.room(2 * s.length + (this.reserveEnd - this.len));
    this.reserveEnd += 2 * s.length;
    const b = this.buf;
    let n = this.len;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        this.len = n;
        this.textSlow(s, i);
        return;
      }
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === CR) {
        b[n++] = BACKSLASH;
        b[n++] = c === BACKSLASH ? BACKSLASH : c === TAB ? 116 /* t */ : c === NEWLINE ? 110 /* n */ : 114 /* r */;
      } else {
        b[n++] = c;
      }
    }
    this.len = n;
  }

  /** UTF-8 bytes src[start, end) as free text (escaped as text() escapes), without making a string of them. */
  escapedBytes(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.room(2 * n + (this.reserveEnd - this.len));
    this.reserveEnd += 2 * n;
    const b = this.buf;
    let at = this.len;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === CR) {
        b[at++] = BACKSLASH;
        b[at++] = c === BACKSLASH ? BACKSLASH : c === TAB ? 116 /* t */ : c === NEWLINE ? 110 /* n */ : 114 /* r */;
      } else {
        b[at++] = c;
      }
    }
    this.len = at;
  }

  /** An epoch-millisecond time as Date#toISOString() prints it (YYYY-MM-DDTHH:MM:SS.mmmZ, years 0-9999). */
  isoTime(ms: number): void {
    const days = Math.floor(ms / 86_400_000);
    let rest = ms - days * 86_400_000;
    const ymd = civilFromDays(days);
    const year = Math.floor(ymd / 10_000);
    const month = Math.floor(ymd / 100) % 100;
    const day = ymd % 100;
    const hour = Math.floor(rest / 3_600_000);
    rest -= hour * 3_600_000;
    const minute = Math.floor(rest / 60_000);
    rest -= minute * 60_000;
    const second = Math.floor(rest / 1000);
    const milli = rest - second * 1000;
    const b = this.buf;
    this.digits(year, 4);
    b[this.len++] = MINUS;
    this.digits(month, 2);
    b[this.len++] = MINUS;
    this.digits(day, 2);
    b[this.len++] = 84; // T
    this.digits(hour, 2);
    b[this.len++] = 58; // :
    this.digits(minute, 2);
    b[this.len++] = 58;
    this.digits(second, 2);
    b[this.len++] = DOT;
    this.digits(milli, 3);
    b[this.len++] = 90; // Z
  }

  /** An integer (a safe integer; the core's ids, seqs and counts). */
  int(v: number): void {
    if (v < 0) {
      this.buf[this.len++] = MINUS;
      v = -v;
    }
    this.digits(v, 0);
  }

  /** A scaled integer printed as an exact decimal with exactly `decimals` places ("-12.50"). */
  dec(v: number, decimals: number): void {
    if (v < 0) {
      this.buf[this.len++] = MINUS;
      v = -v;
    }
    if (decimals === 0) {
      this.digits(v, 0);
      return;
    }
    const scale = POW10[decimals]!;
    const intPart = Math.floor(v / scale);
    this.digits(intPart, 0);
    this.buf[this.len++] = DOT;
    this.digits(v - intPart * scale, decimals);
  }

  /** A decimal, or nothing for 0 (a field that means "none": no limit price, no stop, no floor). */
  optDec(v: number, decimals: number): void {
    if (v !== 0) this.dec(v, decimals);
  }

  /** Writes v in decimal, left-padded with zeros to at least minDigits. */
  private digits(v: number, minDigits: number): void {
    if (v < 2147483648) {
      // Small enough for int32 arithmetic, which V8 turns into multiplications (no float division per digit).
      let x = v | 0;
      let n = x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : x < 100000 ? 5 : x < 1000000 ? 6 : x < 10000000 ? 7 : x < 100000000 ? 8 : x < 1000000000 ? 9 : 10;
      if (n < minDigits) n = minDigits;
      const b = this.buf;
      let at = this.len + n;
      this.len = at;
      for (let i = 0; i < n; i++) {
        const q = (x / 10) | 0;
        b[--at] = ZERO + (x - q * 10);
        x = q;
      }
      return;
    }
    let n = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) n++;
    if (n < minDigits) n = minDigits;
    const b = this.buf;
    let at = this.len + n;
    this.len = at;
    for (let i = 0; i < n; i++) {
      const q = Math.floor(v / 10);
      b[--at] = ZERO + (v - q * 10);
      v = q;
    }
  }

  private textSlow(s: string, from: number): void {
    const rest = escapeField(s.slice(from));
    const bytes = Buffer.byteLength(rest);
    this.room(bytes + (this.reserveEnd - this.len));
    this.reserveEnd += bytes;
    this.len += this.buf.write(rest, this.len, 'utf8');
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
}

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
