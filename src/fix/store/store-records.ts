// On-disk layout of a session store file (one file per store epoch, `store.<epoch>.dat`):
//
//   header  : "FIXSTOR1" | epoch u32 | createdAt f64 (ms) | crc32 u32                 (24 bytes)
//   message : type=1 u8 | length u32 | seq u32 | flags u8 | <length bytes> | crc32 u32 (14 + length bytes)
//   seqnums : type=2 u8 | nextSender u32 | nextTarget u32 | crc32 u32                  (13 bytes)
//
// Everything is appended; a flush writes its records in one write. Each record carries a CRC so that the torn tail
// of a write interrupted by a crash is recognised at startup and cut off, instead of being read as data.

import { crc32 } from 'node:zlib';

export const MAGIC = Buffer.from('FIXSTOR1', 'latin1');
export const HEADER_SIZE = 24;
export const RECORD_MESSAGE = 1;
export const RECORD_SEQNUMS = 2;
export const MESSAGE_OVERHEAD = 14;
export const MESSAGE_PAYLOAD_OFFSET = 10;
export const SEQNUMS_SIZE = 13;
/** Flag bit: the stored message is an admin (session-level) message; resends turn runs of them into a gap fill. */
export const FLAG_ADMIN = 1;

export function writeHeader(epoch: number, createdAt: number): Buffer {
  const b = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(b, 0);
  b.writeUInt32LE(epoch, 8);
  b.writeDoubleLE(createdAt, 12);
  b.writeUInt32LE(crc32(b.subarray(0, 20)), 20);
  return b;
}

export function readHeader(b: Buffer): { epoch: number; createdAt: number } | null {
  if (b.length < HEADER_SIZE || !b.subarray(0, 8).equals(MAGIC)) return null;
  if (crc32(b.subarray(0, 20)) !== b.readUInt32LE(20)) return null;
  return { epoch: b.readUInt32LE(8), createdAt: b.readDoubleLE(12) };
}

/** Writes a message record at `at` in `target`; returns the offset just past it. */
export function putMessageRecord(target: Buffer, at: number, seq: number, flags: number, payload: Buffer): number {
  target[at] = RECORD_MESSAGE;
  target.writeUInt32LE(payload.length, at + 1);
  target.writeUInt32LE(seq, at + 5);
  target[at + 9] = flags;
  payload.copy(target, at + MESSAGE_PAYLOAD_OFFSET);
  const end = at + MESSAGE_PAYLOAD_OFFSET + payload.length;
  target.writeUInt32LE(crc32(target.subarray(at, end)), end);
  return end + 4;
}

export function putSeqnumsRecord(target: Buffer, at: number, nextSender: number, nextTarget: number): number {
  target[at] = RECORD_SEQNUMS;
  target.writeUInt32LE(nextSender, at + 1);
  target.writeUInt32LE(nextTarget, at + 5);
  target.writeUInt32LE(crc32(target.subarray(at, at + 9)), at + 9);
  return at + SEQNUMS_SIZE;
}

export type ScannedRecord =
  | { kind: 'message'; seq: number; flags: number; payloadOffset: number; length: number; size: number }
  | { kind: 'seqnums'; nextSender: number; nextTarget: number; size: number };

/**
 * Reads the record starting at `at` in `b`. Returns 'incomplete' when `b` ends inside it (read more, or it is a torn
 * tail at end of file) and 'corrupt' when its type or CRC is wrong.
 */
export function scanRecord(b: Buffer, at: number): ScannedRecord | 'incomplete' | 'corrupt' {
  if (at >= b.length) return 'incomplete';
  const type = b[at];
  if (type === RECORD_SEQNUMS) {
    if (at + SEQNUMS_SIZE > b.length) return 'incomplete';
    if (crc32(b.subarray(at, at + 9)) !== b.readUInt32LE(at + 9)) return 'corrupt';
    return { kind: 'seqnums', nextSender: b.readUInt32LE(at + 1), nextTarget: b.readUInt32LE(at + 5), size: SEQNUMS_SIZE };
  }
  if (type === RECORD_MESSAGE) {
    if (at + MESSAGE_PAYLOAD_OFFSET > b.length) return 'incomplete';
    const length = b.readUInt32LE(at + 1);
    const end = at + MESSAGE_PAYLOAD_OFFSET + length;
    if (end + 4 > b.length) return 'incomplete';
    if (crc32(b.subarray(at, end)) !== b.readUInt32LE(end)) return 'corrupt';
    return {
      kind: 'message',
      seq: b.readUInt32LE(at + 5),
      flags: b[at + 9]!,
      payloadOffset: at + MESSAGE_PAYLOAD_OFFSET,
      length,
      size: MESSAGE_OVERHEAD + length,
    };
  }
  return 'corrupt';
}
