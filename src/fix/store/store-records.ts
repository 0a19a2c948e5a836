// On-disk layout of a session store file (one file per store epoch, `store.<epoch>.dat`):
//
//   header  : "FIXSTOR1" | epoch u32 | createdAt f64 (ms) | crc32 u32                 (24 bytes)
//   batch   : type=3 u8 | size u32 | count u32 | nextSender u32 | nextTarget u32                   (17 bytes)
//             | <the count messages, back to back> | count x (seq u32 | length u32 | flags u8) | crc32 u32
//
// A turn's flush writes one batch record: the messages the session sent in that turn, exactly as they went to the
// socket (contiguous, so the socket write and the store write are the same bytes), then where each one starts, then
// one CRC over the whole record, and the sequence numbers as they stand after the turn. A torn batch (a crash
// mid-write) fails its CRC and is cut off at startup as a whole: it was never sent, because the socket write waits
// for the store write.
//
// Files written before batch records keep their per-message records, which are still read:
//   message : type=1 u8 | length u32 | seq u32 | flags u8 | <length bytes> | crc32 u32 (14 + length bytes)
//   seqnums : type=2 u8 | nextSender u32 | nextTarget u32 | crc32 u32                  (13 bytes)

import { crc32 } from 'node:zlib';

export const MAGIC = Buffer.from('FIXSTOR1', 'latin1');
export const HEADER_SIZE = 24;
export const RECORD_MESSAGE = 1;
export const RECORD_SEQNUMS = 2;
export const RECORD_BATCH = 3;
/** type, size, count, nextSender, nextTarget: the messages start right after. */
export const BATCH_HEADER = 17;
/** Per message at the end of a batch: seq, length, flags. */
export const BATCH_ENTRY = 9;
/** An empty batch (sequence numbers only): header and CRC. */
export const BATCH_MIN = BATCH_HEADER + 4;
export const MESSAGE_OVERHEAD = 14;
export const MESSAGE_PAYLOAD_OFFSET = 10;
export const SEQNUMS_SIZE = 13;
/** Far above any real turn of one session; a larger size means a corrupt record (not a reason to read gigabytes). */
export const MAX_BATCH_BYTES = 1 << 30;
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

/**
 * Completes the batch record that starts at `at` in `target` and whose `count` messages end at `messagesEnd`: writes
 * the header, the entries (from the parallel arrays) and the CRC. Returns the offset just past the record.
 */
export function sealBatchRecord(
  target: Buffer,
  at: number,
  messagesEnd: number,
  count: number,
  seqs: Uint32Array,
  lengths: Uint32Array,
  flags: Uint8Array,
  nextSender: number,
  nextTarget: number,
): number {
  let p = messagesEnd;
  for (let i = 0; i < count; i++) {
    target.writeUInt32LE(seqs[i]!, p);
    target.writeUInt32LE(lengths[i]!, p + 4);
    target[p + 8] = flags[i]!;
    p += BATCH_ENTRY;
  }
  const size = p + 4 - at;
  target[at] = RECORD_BATCH;
  target.writeUInt32LE(size, at + 1);
  target.writeUInt32LE(count, at + 5);
  target.writeUInt32LE(nextSender, at + 9);
  target.writeUInt32LE(nextTarget, at + 13);
  target.writeUInt32LE(crc32(target.subarray(at, p)), p);
  return p + 4;
}

export type ScannedRecord =
  | { kind: 'message'; seq: number; flags: number; payloadOffset: number; length: number; size: number }
  | { kind: 'seqnums'; nextSender: number; nextTarget: number; size: number }
  | { kind: 'batch'; count: number; nextSender: number; nextTarget: number; messagesAt: number; entriesAt: number; size: number };

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
  if (type === RECORD_BATCH) {
    if (at + BATCH_HEADER > b.length) return 'incomplete';
    const size = b.readUInt32LE(at + 1);
    const count = b.readUInt32LE(at + 5);
    if (size < BATCH_MIN || size > MAX_BATCH_BYTES || count * BATCH_ENTRY > size - BATCH_MIN) return 'corrupt';
    if (at + size > b.length) return 'incomplete';
    const end = at + size - 4;
    if (crc32(b.subarray(at, end)) !== b.readUInt32LE(end)) return 'corrupt';
    return {
      kind: 'batch',
      count,
      nextSender: b.readUInt32LE(at + 9),
      nextTarget: b.readUInt32LE(at + 13),
      messagesAt: at + BATCH_HEADER,
      entriesAt: end - count * BATCH_ENTRY,
      size,
    };
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
