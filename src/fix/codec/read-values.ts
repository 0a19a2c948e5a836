// Typed reads straight from message bytes. Nothing here allocates or throws: a value that is not what the
// caller asked for comes back as NaN (numbers) and `lastReadError()` says why, so the hot path can branch on
// it without try/catch. Money is read as a scaled integer, never through a float.

import { DOT, MINUS } from './ascii.js';

export const ReadError = {
  None: 0,
  /** Not the expected syntax (letters, a '+' sign, empty, two dots...). */
  Malformed: 1,
  /** A decimal with more non-zero decimals than the requested scale. */
  Inexact: 2,
  /** Too large to be represented exactly (beyond 2^53 - 1). */
  Overflow: 3,
} as const;
export type ReadErrorCode = (typeof ReadError)[keyof typeof ReadError];

let lastError: ReadErrorCode = ReadError.None;

/** Why the last read that returned NaN failed. Only meaningful right after such a read. */
export function lastReadError(): ReadErrorCode {
  return lastError;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function fail(code: ReadErrorCode): number {
  lastError = code;
  return NaN;
}

/** Signed integer: optional '-', then one or more digits (FIX INT; '+' is not allowed). */
export function readInt(buf: Uint8Array, start: number, end: number): number {
  return readDigits(buf, start, end, false);
}

/**
 * QuickFIX's IntConvertor: optional '-', one or more digits, 32-bit wrap-around on overflow. Used where the
 * engine must reach the same number QuickFIX would (tag numbers, BodyLength, CheckSum).
 */
export function readInt32Wrapping(buf: Uint8Array, start: number, end: number): number {
  return readDigits(buf, start, end, true);
}

function readDigits(buf: Uint8Array, start: number, end: number, wrap32: boolean): number {
  let i = start;
  let negative = false;
  if (i < end && buf[i] === MINUS) {
    negative = true;
    i++;
  }
  if (i >= end) return fail(ReadError.Malformed);
  let value = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return fail(ReadError.Malformed);
    value = wrap32 ? (Math.imul(value, 10) + d) | 0 : value * 10 + d;
  }
  if (wrap32) return negative ? -value | 0 : value;
  if (value > MAX_SAFE) return fail(ReadError.Overflow);
  return negative ? -value : value;
}

/**
 * Decimal text ("123.45", "-0.5", "100", "1.", ".5") as an integer scaled by 10^decimals: "123.45" at 2
 * decimals is 12345. Trailing zero decimals beyond the scale are fine ("1.2300" at 2 is 123); a non-zero
 * digit beyond the scale is Inexact. The syntax is FIX's (and QuickFIX's): no '+', no exponent.
 */
export function readScaled(buf: Uint8Array, start: number, end: number, decimals: number): number {
  if (decimals < 0 || decimals > 15) return fail(ReadError.Overflow);
  let i = start;
  let negative = false;
  if (i < end && buf[i] === MINUS) {
    negative = true;
    i++;
  }
  let intPart = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      intPart = intPart * 10 + d;
      digits++;
    } else if (c === DOT) {
      break;
    } else {
      return fail(ReadError.Malformed);
    }
  }
  let frac = 0;
  let fracDigits = 0;
  let inexact = false;
  if (i < end) {
    i++; // the dot
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return fail(ReadError.Malformed);
      digits++;
      if (fracDigits < decimals) {
        frac = frac * 10 + d;
        fracDigits++;
      } else if (d !== 0) {
        inexact = true; // keep scanning: a later letter makes it Malformed, which is the stronger answer
      }
    }
  }
  if (digits === 0) return fail(ReadError.Malformed);
  if (inexact) return fail(ReadError.Inexact);
  if (intPart > MAX_SAFE) return fail(ReadError.Overflow);
  const value = intPart * POW10[decimals]! + frac * POW10[decimals - fracDigits]!;
  if (value > MAX_SAFE) return fail(ReadError.Overflow);
  return negative ? -value : value;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function two(buf: Uint8Array, i: number): number {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/**
 * UTCTimestamp "YYYYMMDD-HH:MM:SS" with an optional fraction of 1..9 digits, as epoch milliseconds
 * (fractions beyond milliseconds are truncated). Ranges are QuickFIX's: month 1-12, day 1-31, hour <= 23,
 * minute <= 59, second <= 60 (leap second).
 */
export function readUtcTimestamp(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 17 || len > 27) return fail(ReadError.Malformed);
  const yHi = two(buf, start);
  const yLo = two(buf, start + 2);
  const month = two(buf, start + 4);
  const day = two(buf, start + 6);
  if (yHi < 0 || yLo < 0 || month < 1 || month > 12 || day < 1 || day > 31) return fail(ReadError.Malformed);
  if (buf[start + 8] !== MINUS || buf[start + 11] !== 0x3a || buf[start + 14] !== 0x3a) {
    return fail(ReadError.Malformed);
  }
  const hour = two(buf, start + 9);
  const minute = two(buf, start + 12);
  const second = two(buf, start + 15);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return fail(ReadError.Malformed);
  }
  let millis = 0;
  if (len > 17) {
    if (buf[start + 17] !== DOT) return fail(ReadError.Malformed);
    let scale = 100;
    for (let i = start + 18; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return fail(ReadError.Malformed);
      millis += d * scale;
      scale /= 10;
    }
    millis = Math.floor(millis);
  }
  const days = daysFromCivil(yHi * 100 + yLo, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000 + millis;
}

/** UTCDateOnly / UTCDate "YYYYMMDD" as epoch milliseconds at midnight UTC. */
export function readUtcDate(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 8) return fail(ReadError.Malformed);
  const yHi = two(buf, start);
  const yLo = two(buf, start + 2);
  const month = two(buf, start + 4);
  const day = two(buf, start + 6);
  if (yHi < 0 || yLo < 0 || month < 1 || month > 12 || day < 1 || day > 31) return fail(ReadError.Malformed);
  return daysFromCivil(yHi * 100 + yLo, month, day) * 86400000;
}
