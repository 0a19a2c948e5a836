// One way to walk a day file whatever its format: binary (this version) or text (earlier versions). The visitor
// gets a view of each event that tells its type, seq and time cheaply and decodes the whole entry, or renders its
// text line, only when asked. The view object is reused from record to record.

import fs from 'node:fs';
import { decodeRecord, recordSeq, recordTime, recordTypeCode } from './binary-decoder.js';
import { scanRecords } from './binary-day-file.js';
import { typeNameOf } from './binary-format.js';
import type { DayFile } from './day-files.js';
import { scanLines } from './day-files.js';
import type { RecordEntry } from './record-entries.js';
import { isCommentLine, lineSeq, lineTime, lineType, parseRecordLine } from './record-parser.js';
import { formatRecordLine } from './record-text.js';

export class RecordView {
  /** The day file being read. */
  day!: DayFile;
  private text = '';
  private buf: Buffer | null = null;
  private start = 0;
  private end = 0;

  setText(day: DayFile, line: string): this {
    this.day = day;
    this.text = line;
    this.buf = null;
    return this;
  }

  setBinary(day: DayFile, buf: Buffer, start: number, end: number): this {
    this.day = day;
    this.buf = buf;
    this.start = start;
    this.end = end;
    return this;
  }

  get isBinary(): boolean {
    return this.buf !== null;
  }

  /** The binary record's bytes (only when isBinary): binaryBuf[binaryStart, binaryEnd). */
  get binaryBuf(): Buffer {
    return this.buf!;
  }

  get binaryStart(): number {
    return this.start;
  }

  get binaryEnd(): number {
    return this.end;
  }

  type(): string {
    return this.buf !== null ? (typeNameOf(recordTypeCode(this.buf, this.start)) ?? '?') : lineType(this.text);
  }

  seq(): number {
    if (this.buf !== null) return recordSeq(this.buf, this.start);
    const seq = lineSeq(this.text);
    if (!Number.isSafeInteger(seq)) throw this.error(`line has no sequence number: ${this.text.slice(0, 80)}`);
    return seq;
  }

  time(): number {
    if (this.buf !== null) return recordTime(this.buf, this.start);
    const ms = lineTime(this.text);
    if (Number.isNaN(ms)) throw this.error(`line has no valid time: ${this.text.slice(0, 80)}`);
    return ms;
  }

  entry(): RecordEntry {
    try {
      return this.buf !== null ? decodeRecord(this.buf, this.start, this.end, this.day.date) : parseRecordLine(this.text, this.day.date);
    } catch (err) {
      throw this.error((err as Error).message);
    }
  }

  /** The v1 text line, with its newline: as read from a text file, rendered from a binary one. */
  line(): string {
    return this.buf !== null ? formatRecordLine(this.entry()) : this.text + '\n';
  }

  private error(message: string): Error {
    return new Error(`execution record ${this.day.path}: ${message}`);
  }
}

/**
 * Visits the events of a day file from `start` (0, or a resume offset a visitor was given): for a text file the
 * offset after the line, for a binary file the offset of the line's batch (a scan from there sees the batch's
 * earlier records again, which a caller going by seq skips). Resolves with where the scan ended and how many
 * bytes of torn tail it found after that.
 */
export async function scanDay(
  day: DayFile,
  start: number,
  visit: (view: RecordView, resumeOffset: number) => boolean | void,
  afterChunk?: () => Promise<void>,
): Promise<{ end: number; tornBytes: number }> {
  if (!fs.existsSync(day.path)) return { end: start, tornBytes: 0 }; // a date whose first write has not happened yet
  const view = new RecordView();
  if (day.format === 'binary') {
    const r = await scanRecords(day.path, start, (buf, s, e, resume) => visit(view.setBinary(day, buf, s, e), resume), afterChunk);
    return { end: r.end, tornBytes: r.tornBytes };
  }
  const end = await scanLines(day.path, start, (line, lineEnd) => (isCommentLine(line) ? undefined : visit(view.setText(day, line), lineEnd)), afterChunk);
  return { end, tornBytes: 0 };
}
