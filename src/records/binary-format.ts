// The execution record's on-disk format (v2): binary, in batches, one batch per event-loop turn and trade date.
// Text (format v1, record-format.ts) is what a reader renders on demand; the venue never builds it per event.
//
//   file    = header (32 bytes) batch*
//   header  = "VENUEREC" | version u16 (=2) | header length u16 (=32) | trade date "YYYY-MM-DD" (10 ASCII)
//             | 6 zero bytes | crc32 of the 28 bytes before it u32
//   batch   = length u32 (whole batch, header included) | crc32 u32 of the bytes after it, to the batch end
//             | record count u32 | 0 u32 | first seq i64 | last seq i64 | record*
//   record  = length u32 (whole record) | type u8 | 0 u8 | 0 u16 | seq i64 | commandSeq i64 | time i64 (epoch ms)
//             | the type's fixed-width fields | the type's strings | 0-3 zero bytes (length a multiple of 4)
//   string  = byte length u8 (0..254) + UTF-8 bytes, or 255 | length u32 | UTF-8 bytes
//
// All integers little endian; i64 is a two's-complement 64-bit integer holding the venue's safe integers (prices and
// quantities scaled by the instrument's decimals, which every record that carries them stores beside them, so a file
// renders the same whatever the configuration says later). Record layouts per type: binary-encoder.ts.
//
// A batch counts only whole: a crash mid-write leaves a batch that is short or fails its CRC, which readers ignore
// and the next writer cuts off before it appends (binary-day-file.ts). A bad batch with good data after it is not a
// torn tail but damage, and reading says so (file and offset) instead of skipping events.

import { crc32 } from 'node:zlib';
import { crc32Range } from '../io/crc32.js';

export const BINARY_FORMAT_VERSION = 2;
export const MAGIC = Buffer.from('VENUEREC', 'latin1');
export const FILE_HEADER_BYTES = 32;
export const BATCH_HEADER_BYTES = 32;
export const RECORD_HEAD_BYTES = 32;

/** Offsets inside a batch header. */
export const BATCH_LENGTH_AT = 0;
export const BATCH_CRC_AT = 4;
export const BATCH_COUNT_AT = 8;
export const BATCH_FIRST_SEQ_AT = 16;
export const BATCH_LAST_SEQ_AT = 24;

/** Offsets inside a record head. */
export const RECORD_LENGTH_AT = 0;
export const RECORD_TYPE_AT = 4;
export const RECORD_SEQ_AT = 8;
export const RECORD_COMMAND_SEQ_AT = 16;
export const RECORD_TIME_AT = 24;

/** Record type codes. Never renumber: files on disk keep them. */
export const TYPE_CODES = {
  accepted: 1,
  expired: 2,
  triggered: 3,
  replaced: 4,
  cancelled: 5,
  restated: 6,
  rejected: 7,
  trade: 8,
  massCancelDone: 9,
  tradingStatus: 10,
  routed: 11,
} as const;

export type RecordTypeName = keyof typeof TYPE_CODES;

const TYPE_NAMES: Array<RecordTypeName | undefined> = [];
for (const [name, code] of Object.entries(TYPE_CODES) as Array<[RecordTypeName, number]>) TYPE_NAMES[code] = name;

/** The entry type of a record's type code; undefined for a code this version does not know. */
export function typeNameOf(code: number): RecordTypeName | undefined {
  return TYPE_NAMES[code];
}

/** Trade party roles as stored. */
export const ROLE_MAKER = 1;
export const ROLE_TAKER = 2;

/**
 * CRC-32 of buf[start, end): zlib's (vectorised) for anything but a tiny batch, at the price of one view per batch;
 * the table loop costs about 1.5 ns a byte, which a turn of a few trades already makes more than the call.
 */
export function batchCrc(buf: Buffer, start: number, end: number): number {
  return end - start < 128 ? crc32Range(buf, start, end) : crc32(buf.subarray(start, end)) >>> 0;
}

/** The 32-byte header of a new day file. */
export function fileHeader(date: string): Buffer {
  const b = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC.copy(b, 0);
  b.writeUInt16LE(BINARY_FORMAT_VERSION, 8);
  b.writeUInt16LE(FILE_HEADER_BYTES, 10);
  b.write(date, 12, 10, 'latin1');
  b.writeUInt32LE(crc32Range(b, 0, 28), 28);
  return b;
}

export type HeaderCheck = { date: string; version: number } | { error: string };

/** Checks a day file's first bytes (at least FILE_HEADER_BYTES of them). */
export function readFileHeader(b: Buffer): HeaderCheck {
  if (b.length < FILE_HEADER_BYTES) return { error: `${b.length} bytes is too short for the header` };
  if (!startsWithMagic(b)) return { error: 'not a binary execution record (no VENUEREC magic)' };
  if (crc32Range(b, 0, 28) !== b.readUInt32LE(28)) return { error: 'header CRC mismatch' };
  const version = b.readUInt16LE(8);
  if (version !== BINARY_FORMAT_VERSION) return { error: `format version ${version}; this venue reads version ${BINARY_FORMAT_VERSION} (and v1 text)` };
  if (b.readUInt16LE(10) !== FILE_HEADER_BYTES) return { error: `header length ${b.readUInt16LE(10)}, expected ${FILE_HEADER_BYTES}` };
  return { date: b.toString('latin1', 12, 22), version };
}

export function startsWithMagic(b: Buffer): boolean {
  if (b.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (b[i] !== MAGIC[i]) return false;
  return true;
}

export function getI64(b: Buffer, at: number): number {
  return b.readInt32LE(at + 4) * 4294967296 + b.readUInt32LE(at);
}
