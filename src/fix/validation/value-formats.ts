// "Incorrect data format for value" (373=6), decided on the raw bytes per FIX type, the way QuickFIX's field
// convertors decide it:
//   INT, NUMINGROUP, SEQNUM, LENGTH: optional '-', then digits.
//   PRICE, QTY, AMT, FLOAT, PRICEOFFSET, PERCENTAGE: optional '-', digits, optional '.' + digits; at least
//     one digit; no '+', no exponent ("1." and ".5" pass, "+200.00" fails).
//   CHAR: exactly one character. BOOLEAN: Y or N.
//   UTCTIMESTAMP: YYYYMMDD-HH:MM:SS[.fraction] (17 to 27 characters). UTCTIMEONLY: HH:MM:SS[.fraction].
//   UTCDATE/UTCDATEONLY: YYYYMMDD.
// QuickFIX treats LOCALMKTDATE, MONTHYEAR and DAYOFMONTH as free text. With strictDates they are checked
// too (YYYYMMDD; YYYYMM, YYYYMMDD or YYYYMMwN; 1-31), which a venue wants for dates it acts on.

import { readUtcDate } from '../codec/read-values.js';
import { FieldType } from '../dictionary/field-types.js';

function isIntText(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && buf[i] === 0x2d) i++;
  if (i >= end) return false;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

function isDecimalText(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && buf[i] === 0x2d) i++;
  let digits = 0;
  while (i < end && buf[i]! >= 48 && buf[i]! <= 57) {
    i++;
    digits++;
  }
  if (i < end && buf[i] === 0x2e) {
    i++;
    while (i < end && buf[i]! >= 48 && buf[i]! <= 57) {
      i++;
      digits++;
    }
  }
  return i === end && digits > 0;
}

function twoDigits(buf: Uint8Array, i: number): number {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** QuickFIX's UtcTimeStampConvertor rules, without computing the time: YYYYMMDD-HH:MM:SS[.digits], 17-27 long. */
function isUtcTimestamp(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len < 17 || len > 27) return false;
  const month = twoDigits(buf, start + 4);
  const day = twoDigits(buf, start + 6);
  if (twoDigits(buf, start) < 0 || twoDigits(buf, start + 2) < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
    return false;
  }
  if (buf[start + 8] !== 0x2d) return false;
  return isUtcTimeOnly(buf, start + 9, end);
}

function isUtcTimeOnly(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len < 8 || len > 18) return false;
  const h = twoDigits(buf, start);
  const m = twoDigits(buf, start + 3);
  const s = twoDigits(buf, start + 6);
  if (buf[start + 2] !== 0x3a || buf[start + 5] !== 0x3a) return false;
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return false;
  if (len === 8) return true;
  if (buf[start + 8] !== 0x2e) return false;
  for (let i = start + 9; i < end; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
  return true;
}

function isMonthYear(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len !== 6 && len !== 8) return false;
  if (twoDigits(buf, start) < 0 || twoDigits(buf, start + 2) < 0) return false;
  const month = twoDigits(buf, start + 4);
  if (month < 1 || month > 12) return false;
  if (len === 6) return true;
  if (buf[start + 6] === 0x77 /* w */) return buf[start + 7]! >= 0x31 && buf[start + 7]! <= 0x35;
  const day = twoDigits(buf, start + 6);
  return day >= 1 && day <= 31;
}

function isDayOfMonth(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len < 1 || len > 2) return false;
  let day = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return false;
    day = day * 10 + d;
  }
  return day >= 1 && day <= 31;
}

/** True when buf[start, end) is a valid value for a field of this type. */
export function hasValidFormat(type: number, buf: Uint8Array, start: number, end: number, strictDates: boolean): boolean {
  switch (type) {
    case FieldType.Int:
    case FieldType.NumInGroup:
    case FieldType.SeqNum:
    case FieldType.Length:
      return isIntText(buf, start, end);
    case FieldType.Price:
    case FieldType.Qty:
    case FieldType.Amt:
    case FieldType.Float:
    case FieldType.PriceOffset:
    case FieldType.Percentage:
      return isDecimalText(buf, start, end);
    case FieldType.Char:
      return end - start === 1;
    case FieldType.Boolean:
      return end - start === 1 && (buf[start] === 0x59 || buf[start] === 0x4e);
    case FieldType.UtcTimestamp:
      return isUtcTimestamp(buf, start, end);
    case FieldType.UtcDate:
    case FieldType.UtcDateOnly:
      return !Number.isNaN(readUtcDate(buf, start, end));
    case FieldType.UtcTimeOnly:
      return isUtcTimeOnly(buf, start, end);
    case FieldType.LocalMktDate:
      return !strictDates || !Number.isNaN(readUtcDate(buf, start, end));
    case FieldType.MonthYear:
      return !strictDates || isMonthYear(buf, start, end);
    case FieldType.DayOfMonth:
      return !strictDates || isDayOfMonth(buf, start, end);
    default:
      return true; // STRING, CURRENCY, EXCHANGE, DATA, COUNTRY, MULTIPLE*VALUE, unknown types: any text
  }
}
