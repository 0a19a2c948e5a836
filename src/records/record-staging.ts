// The turn's binary records, written field by field into one reused Buffer and framed in batches (binary-format.ts):
// one batch per trade date per hand-over, sealed with its length, seq range and one CRC. The venue's event listener
// writes here; nothing is allocated per record (strings are copied as bytes, not built), only the Buffer's
// occasional growth.
//
// beginRecord() makes room for RECORD_RESERVE bytes, more than the fixed-width fields of any record, so the i64 and
// u8 writes check no bounds of their own; str() makes room for itself. endRecord() verifies the reserve held (a write
// past a Buffer's end is silently dropped, so a record that outgrew it must fail loudly instead).

import {
  BATCH_COUNT_AT, BATCH_CRC_AT, BATCH_FIRST_SEQ_AT, BATCH_HEADER_BYTES, BATCH_LAST_SEQ_AT, BATCH_LENGTH_AT, RECORD_HEAD_BYTES,
  batchCrc,
} from './binary-format.js';

const RECORD_RESERVE = 512;

// The writers are local functions, not imports: an imported function is reached through a getter per call when the
// sources run under tsx, and these run some thirty times per record.

/** Writes a safe integer as i64 LE without allocating (a fraction is truncated, NaN written as 0). */
function putI64(b: Buffer, at: number, v: number): void {
  if (v >= 0 && v < 2147483648) {
    // Most fields (ids, quantities, counts) fit in 31 bits: no division.
    const x = v | 0;
    b[at] = x & 255;
    b[at + 1] = (x >> 8) & 255;
    b[at + 2] = (x >> 16) & 255;
    b[at + 3] = x >> 24;
    b[at + 4] = 0;
    b[at + 5] = 0;
    b[at + 6] = 0;
    b[at + 7] = 0;
    return;
  }
  const hi = Math.floor(v / 4294967296);
  const lo = v - hi * 4294967296;
  b[at] = lo & 255;
  b[at + 1] = (lo >>> 8) & 255;
  b[at + 2] = (lo >>> 16) & 255;
  b[at + 3] = lo >>> 24;
  b[at + 4] = hi & 255;
  b[at + 5] = (hi >> 8) & 255;
  b[at + 6] = (hi >> 16) & 255;
  b[at + 7] = (hi >> 24) & 255;
}

function putU32(b: Buffer, at: number, v: number): void {
  b[at] = v & 255;
  b[at + 1] = (v >>> 8) & 255;
  b[at + 2] = (v >>> 16) & 255;
  b[at + 3] = v >>> 24;
}


/** One sealed batch: its bytes in `buf`, all of one trade date. */
export interface Batch {
  date: string;
  start: number;
  end: number;
  records: number;
  lastSeq: number;
}

export class RecordStaging {
  buf: Buffer;
  len = 0;
  /** Sealed batches (batchCount of them; the objects are reused across turns). */
  readonly batches: Batch[] = [];
  batchCount = 0;
  private open: Batch | null = null;
  private openFirstSeq = 0;
  private recordStart = 0;
  private reserveEnd = 0;
  private total = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Records written since the last reset (sealed or not). */
  get records(): number {
    return this.total;
  }

  /** Seq of the last record written (0 when empty). */
  get lastSeq(): number {
    if (this.open !== null) return this.open.lastSeq;
    return this.batchCount === 0 ? 0 : this.batches[this.batchCount - 1]!.lastSeq;
  }

  reset(): void {
    this.len = 0;
    this.batchCount = 0;
    this.open = null;
    this.total = 0;
  }

  /** Starts a record filed under `date` (sealing the open batch if it is of another date) and writes its head. */
  beginRecord(date: string, type: number, seq: number, commandSeq: number, time: number): void {
    if (this.open === null || this.open.date !== date) this.openBatch(date, seq);
    this.room(RECORD_RESERVE);
    const b = this.buf;
    const at = this.len;
    this.recordStart = at;
    this.reserveEnd = at + RECORD_RESERVE;
    b[at + 4] = type;
    b[at + 5] = 0;
    b[at + 6] = 0;
    b[at + 7] = 0;
    putI64(b, at + 8, seq);
    putI64(b, at + 16, commandSeq);
    putI64(b, at + 24, time);
    this.len = at + RECORD_HEAD_BYTES;
  }

  /** Ends the record begun last: its length, and the batch's count and seq range. */
  endRecord(seq: number): void {
    if (this.len > this.reserveEnd) throw new Error(`record longer than its reserve of ${RECORD_RESERVE} bytes (without strings)`);
    // Zero padding to a multiple of 4: every record starts 4-aligned, so the in-memory window copies it in words.
    const b = this.buf;
    while ((this.len & 3) !== 0) b[this.len++] = 0;
    putU32(b, this.recordStart, this.len - this.recordStart);
    const batch = this.open!;
    if (batch.records === 0) this.openFirstSeq = seq;
    batch.records++;
    batch.lastSeq = seq;
    this.total++;
  }

  /** Drops the record begun last (an event that could not be encoded). */
  abandon(): void {
    this.len = this.recordStart;
  }

  /** Where the record begun last starts (its bytes run to `len` once ended). */
  get currentRecordStart(): number {
    return this.recordStart;
  }

  /** Seals the open batch: length, count, seq range, CRC. Afterwards batches[0, batchCount) are ready to write. */
  seal(): void {
    const batch = this.open;
    if (batch === null) return;
    this.open = null;
    if (batch.records === 0) {
      this.len = batch.start; // an empty batch (its only record abandoned) is not written
      this.batchCount--;
      return;
    }
    const b = this.buf;
    const s = batch.start;
    batch.end = this.len;
    putU32(b, s + BATCH_LENGTH_AT, batch.end - s);
    putU32(b, s + BATCH_COUNT_AT, batch.records);
    putU32(b, s + BATCH_COUNT_AT + 4, 0);
    putI64(b, s + BATCH_FIRST_SEQ_AT, this.openFirstSeq);
    putI64(b, s + BATCH_LAST_SEQ_AT, batch.lastSeq);
    putU32(b, s + BATCH_CRC_AT, batchCrc(b, s + BATCH_CRC_AT + 4, batch.end));
  }

  u8(v: number): void {
    this.buf[this.len++] = v;
  }

  i64(v: number): void {
    putI64(this.buf, this.len, v);
    this.len += 8;
  }

  /** A string as its UTF-8 bytes behind a length: ASCII copied char by char, anything else by Buffer.write. */
  str(s: string): void {
    const n = s.length;
    // Worst case: 5 bytes of length, 3 bytes per UTF-16 unit; the record keeps its reserve for what follows.
    const keep = this.reserveEnd - this.len;
    this.room(8 + 3 * n + (keep > 0 ? keep : 0));
    this.reserveEnd += 5 + 3 * n;
    const b = this.buf;
    const lenAt = this.len;
    if (n < 255) {
      let at = lenAt + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128) break;
        b[at++] = c;
      }
      if (i === n) {
        b[lenAt] = n;
        this.len = at;
        return;
      }
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    let at = lenAt;
    if (bytes < 255) {
      b[at++] = bytes;
    } else {
      b[at++] = 255;
      putU32(b, at, bytes);
      at += 4;
    }
    this.len = at + b.write(s, at, 'utf8');
  }

  private openBatch(date: string, seq: number): void {
    this.seal();
    this.room(BATCH_HEADER_BYTES + RECORD_RESERVE);
    let batch = this.batches[this.batchCount];
    if (batch === undefined) {
      batch = { date, start: 0, end: 0, records: 0, lastSeq: 0 };
      this.batches.push(batch);
    }
    this.batchCount++;
    batch.date = date;
    batch.start = this.len;
    batch.end = this.len;
    batch.records = 0;
    batch.lastSeq = 0;
    this.openFirstSeq = seq;
    this.open = batch;
    this.len += BATCH_HEADER_BYTES;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
}
