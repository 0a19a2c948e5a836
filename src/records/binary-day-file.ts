// Reading binary day files (binary-format.ts) batch by batch. A batch counts only whole and with a good CRC. The
// last batch of a file being short or failing its CRC is a torn tail (a crash mid-write, or a write still in
// progress while a query reads): readers stop before it, and at open the record cuts it off before appending. A bad
// batch with more bytes after its end is damage, not a tear: reading refuses with the file and the offset rather
// than skip events silently.

import fs from 'node:fs';
import {
  BATCH_COUNT_AT, BATCH_CRC_AT, BATCH_HEADER_BYTES, BATCH_LENGTH_AT, FILE_HEADER_BYTES, MAGIC, RECORD_HEAD_BYTES, batchCrc,
  readFileHeader, startsWithMagic,
} from './binary-format.js';

const CHUNK = 1 << 20;

/** Told every record: buf[start, end) holds it; resumeOffset is where a later scan can start to see it again. */
export type RecordVisitor = (buf: Buffer, start: number, end: number, resumeOffset: number) => boolean | void;

export interface ScanResult {
  /** File offset just past the last whole batch read. */
  end: number;
  /** Bytes after `end` that are a torn tail (0 when the file ends cleanly or the scan stopped early). */
  tornBytes: number;
  /** True when the visitor stopped the scan. */
  stopped: boolean;
}

export type DayFileFormat = 'binary' | 'text' | 'empty';

/** Which format a day file is in, from its first bytes (not its name). A torn binary header counts as binary. */
export function dayFileFormat(file: string): DayFileFormat {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n === 0) return 'empty';
    if (n === MAGIC.length && startsWithMagic(head)) return 'binary';
    if (head.subarray(0, n).every((b) => b === 0)) return 'empty'; // a header a crash left zero-filled: told by the name
    if (n < MAGIC.length && MAGIC.subarray(0, n).equals(head.subarray(0, n))) return 'binary';
    return 'text';
  } finally {
    fs.closeSync(fd);
  }
}

function damaged(file: string, offset: number, what: string, after: number): Error {
  return new Error(
    `execution record ${file}: the batch at offset ${offset} ${what} and ${after} bytes follow it: this is damage, not a torn tail ` +
      '(move the file aside; the journal replay refills what it still holds)',
  );
}

/**
 * Calls visit for every record of the whole, valid batches of a binary day file from `start` (0 or a batch
 * offset a visitor was given). afterChunk is awaited after each chunk of about a megabyte (a consumer's
 * backpressure). Throws on a bad header or damage; a torn tail ends the scan and is reported.
 */
export async function scanRecords(file: string, start: number, visit: RecordVisitor, afterChunk?: () => Promise<void>): Promise<ScanResult> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    if (start < FILE_HEADER_BYTES) {
      if (size < FILE_HEADER_BYTES) return { end: 0, tornBytes: size, stopped: false }; // the header itself is torn
      const header = Buffer.alloc(FILE_HEADER_BYTES);
      await handle.read(header, 0, FILE_HEADER_BYTES, 0);
      const check = readFileHeader(header);
      if ('error' in check) {
        if (await zeroFrom(handle, 0, size)) return { end: 0, tornBytes: size, stopped: false }; // zero-filled by a crash
        throw new Error(`execution record ${file}: ${check.error}`);
      }
      start = FILE_HEADER_BYTES;
    }
    let buf = Buffer.allocUnsafe(CHUNK);
    let bufAt = start; // file offset of buf[0]
    let have = 0; // bytes of the file in buf
    let at = start; // file offset of the next batch
    /** Makes buf hold the file's bytes [at, at + need); false when the file ends first. */
    const fill = async (need: number): Promise<boolean> => {
      if (at - bufAt + need <= have) return true;
      if (at + need > size) return false;
      const p = at - bufAt;
      buf.copy(buf, 0, p, have);
      have -= p;
      bufAt = at;
      if (need > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      while (have < need) {
        const { bytesRead } = await handle.read(buf, have, Math.min(buf.length - have, size - (bufAt + have)), bufAt + have);
        if (bytesRead === 0) return false;
        have += bytesRead;
      }
      return true;
    };
    const torn = (): ScanResult => ({ end: at, tornBytes: size - at, stopped: false });
    let sinceChunk = 0;
    while (at < size) {
      const rest = size - at;
      if (!(await fill(BATCH_HEADER_BYTES))) return torn();
      let p = at - bufAt;
      const len = buf.readUInt32LE(p + BATCH_LENGTH_AT);
      if (len > rest) return torn(); // the batch runs past the end of the file
      if (len < BATCH_HEADER_BYTES) {
        if (await zeroFrom(handle, at, size)) return torn(); // a zero-filled tail
        throw damaged(file, at, `has an impossible length ${len}`, rest);
      }
      if (!(await fill(len))) return torn();
      p = at - bufAt;
      if (batchCrc(buf, p + BATCH_CRC_AT + 4, p + len) !== buf.readUInt32LE(p + BATCH_CRC_AT)) {
        if (len === rest) return torn();
        throw damaged(file, at, 'fails its CRC', rest - len);
      }
      const count = buf.readUInt32LE(p + BATCH_COUNT_AT);
      const batchEnd = p + len;
      let r = p + BATCH_HEADER_BYTES;
      for (let i = 0; i < count; i++) {
        const rl = r + RECORD_HEAD_BYTES <= batchEnd ? buf.readUInt32LE(r) : 0;
        if (rl < RECORD_HEAD_BYTES || r + rl > batchEnd) throw new Error(`execution record ${file}: record ${i} of the batch at offset ${at} runs past the batch`);
        if (visit(buf, r, r + rl, at) === false) return { end: at, tornBytes: 0, stopped: true };
        r += rl;
      }
      at += len;
      sinceChunk += len;
      if (afterChunk && sinceChunk >= CHUNK) {
        sinceChunk = 0;
        await afterChunk();
      }
    }
    if (afterChunk && sinceChunk > 0) await afterChunk();
    return { end: at, tornBytes: 0, stopped: false };
  } finally {
    await handle.close();
  }
}

async function zeroFrom(handle: fs.promises.FileHandle, from: number, size: number): Promise<boolean> {
  const b = Buffer.allocUnsafe(64 * 1024);
  for (let at = from; at < size; ) {
    const { bytesRead } = await handle.read(b, 0, Math.min(b.length, size - at), at);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (b[i] !== 0) return false;
    at += bytesRead;
  }
  return true;
}

/** Cuts a torn tail found by a scan (at open, before anything appends). */
export function cutTornTail(file: string, end: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.ftruncateSync(fd, end);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
