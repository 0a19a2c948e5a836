// On-disk layout of the command journal.
//
//   file   = header record*
//   header = "VNJL" u16 version u16 flags, 16-byte journal id, 8 reserved bytes      (32 bytes)
//   record = u32 crc, u32 length, payload[length]                                    (little endian)
//   payload = varint commandSeq, encoded command (see command-codec.ts)
//
// The CRC-32 covers the length bytes and the payload, so a zero-filled or half-written tail after a
// crash never passes as a record: the reader stops at the first record that is short or fails its CRC
// and the file is cut back to the last good record.

import { crc32Range } from '../../io/crc32.js';

export const MAGIC = 'VNJL';
export const VERSION = 1;
export const HEADER_SIZE = 32;
export const RECORD_HEADER = 8;
/** A payload is at least a seq varint and a type byte. */
export const MIN_PAYLOAD = 2;
/** Far above any real command; a larger length means a corrupt record. */
export const MAX_PAYLOAD = 1 << 20;

/** CRC-32 of a record's length and payload (contiguous: they follow the CRC field). */
export function recordCrc(buf: Buffer, recordOffset: number, payloadEnd: number): number {
  return crc32Range(buf, recordOffset + 4, payloadEnd);
}

/** Offsets of the fields inside a record. */
export const CRC_AT = 0;
export const LENGTH_AT = 4;

export function writeHeader(journalId: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  h.write(MAGIC, 0, 'latin1');
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(0, 6);
  journalId.copy(h, 8, 0, 16);
  return h;
}

/** The journal id from a header, or an error text naming what is wrong. */
export function readHeader(h: Buffer): { journalId: string } | { error: string } {
  if (h.length < HEADER_SIZE) return { error: `header is ${h.length} bytes, expected ${HEADER_SIZE}` };
  if (h.toString('latin1', 0, 4) !== MAGIC) return { error: `not a venue journal (magic ${JSON.stringify(h.toString('latin1', 0, 4))})` };
  const version = h.readUInt16LE(4);
  if (version !== VERSION) return { error: `journal version ${version} is not supported (expected ${VERSION})` };
  return { journalId: h.toString('hex', 8, 24) };
}
