// A growable byte buffer with the few primitives the journal needs: unsigned varints (exact up to 2^53),
// numbers (a short varint for integers, the exact 8-byte double for anything else, NaN included),
// length-prefixed strings and bytes. Reused across records; grows by doubling.
//
// The journal must reproduce exactly what the core saw, even for malformed input. Numbers always
// round-trip exactly; a field of the wrong JavaScript type (a missing string, a boolean that is not one)
// is written as its default and `coerced` is set, so the caller can hand the core the decoded command
// instead of the raw one.

import { grownBuffer } from '../../shared/growth.js';

const SMALL = 2 ** 51;

export class ByteWriter {
  buf: Buffer;
  pos = 0;
  /** Set when a field had to be coerced to be written. Cleared by the caller. */
  coerced = false;

  constructor(initialSize = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    this.buf = grownBuffer(this.buf, need, this.pos);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u32At(offset: number, v: number): void {
    this.buf.writeUInt32LE(v >>> 0, offset);
  }

  /** Reserves `n` bytes (filled in later with u32At) and returns their offset. */
  skip(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  uvar(v: number): void {
    this.ensure(8);
    const buf = this.buf;
    let pos = this.pos;
    while (v >= 0x80) {
      buf[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /**
   * Any number, exactly: an integer of magnitude below 2^51 as a zig-zag varint plus one; anything else
   * (huge, fractional, NaN, infinite, or not a number at all, which is coerced to NaN) as 0 + a double.
   */
  num(v: number): void {
    if (Number.isInteger(v) && v > -SMALL && v < SMALL) {
      this.uvar((v < 0 ? -v * 2 - 1 : v * 2) + 1);
      return;
    }
    if (typeof v !== 'number') {
      this.coerced = true;
      v = Number.NaN;
    }
    this.ensure(9);
    this.buf[this.pos++] = 0;
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** A small enum value (0..255); anything else is written as 0 and flagged. */
  byte(v: number): void {
    if (Number.isInteger(v) && v >= 0 && v <= 255) {
      this.u8(v);
      return;
    }
    this.coerced = true;
    this.u8(0);
  }

  bool(v: boolean): void {
    if (v !== true && v !== false) this.coerced = true;
    this.u8(v === true ? 1 : 0);
  }

  /** Length-prefixed UTF-8 string; ASCII (the common case) is copied without a native call. */
  str(s: string): void {
    if (typeof s !== 'string') {
      this.coerced = true;
      s = '';
    }
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.uvar(n);
      this.ensure(n);
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
      return;
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.uvar(bytes);
    this.ensure(bytes);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
}

/** Buffer's direct latin1 slicer (present on every Node Buffer, missing from the type declarations). */
interface AsciiSlicer {
  latin1Slice(start: number, end: number): string;
}

/** Reads what ByteWriter wrote. Reading past `end` sets `overrun` instead of throwing. */
export class ByteReader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  overrun = false;

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.overrun = false;
  }

  u8(): number {
    if (this.pos >= this.end) {
      this.overrun = true;
      return 0;
    }
    return this.buf[this.pos++]!;
  }

  uvar(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) {
        this.overrun = true;
        return 0;
      }
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    this.overrun = true;
    return 0;
  }

  num(): number {
    const z = this.uvar();
    if (z !== 0) {
      const u = z - 1;
      return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
    }
    if (this.pos + 8 > this.end) {
      this.overrun = true;
      return 0;
    }
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  str(): string {
    const n = this.uvar();
    const start = this.pos;
    const end = start + n;
    if (end > this.end) {
      this.overrun = true;
      return '';
    }
    this.pos = end;
    const buf = this.buf;
    for (let i = start; i < end; i++) {
      if (buf[i]! > 0x7f) return buf.toString('utf8', start, end);
    }
    // Plain ASCII (the usual case): the latin1 slice skips UTF-8 decoding.
    return (buf as unknown as AsciiSlicer).latin1Slice(start, end);
  }
}
