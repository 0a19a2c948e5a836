// The record's folder: one append-only file per UTC trade date. The venue writes binary files, YYYY-MM-DD.rec
// (binary-format.ts, read by binary-day-file.ts); earlier versions wrote text, YYYY-MM-DD.tsv (record-format.ts),
// which stay readable. A file's format is told by its first bytes, not its name. On the day of an upgrade a date
// has both: the text file's events come first (lower seqs), then the binary file's.
//
// Text files are read by whole lines: a line counts only once its newline is on disk, so a torn write at a
// crash (or a write in progress while a query reads) is never mistaken for an event.

import fs from 'node:fs';
import path from 'node:path';
import { dayFileFormat } from './binary-day-file.js';
import { isTradeDate } from './trade-date.js';

const FILE_RE = /^(\d{4}-\d{2}-\d{2})\.(tsv|rec)$/;
const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export interface DayFile {
  date: string;
  path: string;
  format: 'text' | 'binary';
}

/** The file the venue writes for a trade date. */
export function binaryDayFilePath(dir: string, date: string): string {
  return path.join(dir, `${date}.rec`);
}

/** The text file an earlier version wrote for a trade date. */
export function textDayFilePath(dir: string, date: string): string {
  return path.join(dir, `${date}.tsv`);
}

/** The day files in a folder, oldest first (on one date, text before binary). */
export function listDayFiles(dir: string): DayFile[] {
  const out: DayFile[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = FILE_RE.exec(name);
    if (m === null || !isTradeDate(m[1]!)) continue;
    const file = path.join(dir, name);
    const found = dayFileFormat(file);
    out.push({ date: m[1]!, path: file, format: found === 'empty' ? (m[2] === 'tsv' ? 'text' : 'binary') : found });
  }
  const rank = (f: DayFile): number => (f.format === 'text' ? 0 : 1);
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : rank(a) - rank(b)));
}

/**
 * Calls onLine for each complete line of the file from byte `start` (a line start), with the byte offset just
 * past its newline. onLine returns false to stop early. After each chunk (about a megabyte of lines) it
 * awaits afterChunk, so a consumer can write out what it collected with backpressure. Resolves with the
 * offset after the last line read.
 */
export async function scanLines(
  file: string,
  start: number,
  onLine: (line: string, endOffset: number) => boolean | void,
  afterChunk?: () => Promise<void>,
): Promise<number> {
  const handle = await fs.promises.open(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0; // bytes of an unfinished line at the front of buf
    let position = start;
    let consumed = start;
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, carry, buf.length - carry, position);
      if (bytesRead === 0) return consumed;
      position += bytesRead;
      const end = carry + bytesRead;
      let lineStart = 0;
      for (let nl = buf.indexOf(NEWLINE, 0); nl >= 0 && nl < end; nl = buf.indexOf(NEWLINE, lineStart)) {
        consumed += nl + 1 - lineStart;
        if (onLine(buf.toString('utf8', lineStart, nl), consumed) === false) return consumed;
        lineStart = nl + 1;
      }
      carry = end - lineStart;
      buf.copy(buf, 0, lineStart, end);
      if (afterChunk) await afterChunk();
    }
  } finally {
    await handle.close();
  }
}

/**
 * Cuts an unfinished last line (a write torn by a crash) off the end of a file. Returns the number of bytes
 * removed. Runs at open, before anything appends.
 */
export function repairTornTail(file: string): number {
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(64 * 1024);
    let end = size;
    while (end > 0) {
      const from = Math.max(0, end - buf.length);
      const n = fs.readSync(fd, buf, 0, end - from, from);
      const nl = buf.lastIndexOf(NEWLINE, n - 1);
      if (nl >= 0) {
        const keep = from + nl + 1;
        if (keep < size) {
          fs.ftruncateSync(fd, keep);
          fs.fsyncSync(fd);
        }
        return size - keep;
      }
      end = from;
    }
    if (size > 0) {
      fs.ftruncateSync(fd, 0);
      fs.fsyncSync(fd);
    }
    return size;
  } finally {
    fs.closeSync(fd);
  }
}

/** The last complete line of a file that passes `accept`, read backwards from the end; null if none. */
export function lastLine(file: string, accept: (line: string) => boolean): string | null {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let tail = Buffer.alloc(0);
    let from = size;
    while (from > 0) {
      const start = Math.max(0, from - 64 * 1024);
      const chunk = Buffer.allocUnsafe(from - start);
      fs.readSync(fd, chunk, 0, chunk.length, start);
      tail = Buffer.concat([chunk, tail]);
      from = start;
      // Lines wholly inside `tail` (the first one only if we reached the file start).
      const lines = tail.toString('utf8').split('\n');
      lines.pop(); // after the last newline: empty, or torn
      for (let i = lines.length - 1; i >= (from === 0 ? 0 : 1); i--) {
        if (accept(lines[i]!)) return lines[i]!;
      }
      const firstNewline = tail.indexOf(NEWLINE);
      if (from > 0 && firstNewline >= 0) tail = tail.subarray(0, firstNewline + 1); // keep the unfinished first line
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a new file's name durable: fsync the folder that holds it. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
