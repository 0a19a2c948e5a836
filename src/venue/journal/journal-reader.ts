// Reads a journal from an offset: checks every record's length and CRC, decodes it and hands it over.
// Stops at the first record that is incomplete or fails its check (a torn write at a crash) and says
// where the good data ends, so the caller can cut the file back there. Start-up only: reads with
// synchronous I/O in large chunks.

import fs from 'node:fs';
import type { VenueCommand } from '../model/commands.js';
import { ByteReader } from './byte-writer.js';
import { decodeCommand } from './command-codec.js';
import { CRC_AT, LENGTH_AT, MAX_PAYLOAD, MIN_PAYLOAD, RECORD_HEADER, recordCrc } from './record-format.js';

export interface ScanResult {
  /** Offset just after the last good record. */
  goodEnd: number;
  /** File size when scanned; goodEnd < fileSize means a torn or corrupt tail. */
  fileSize: number;
  records: number;
  /** Why the scan stopped early, when it did. */
  stopReason: string;
}

const CHUNK = 8 << 20;

/** Calls `onRecord` for every good record from `offset`. */
export function scanJournal(
  fd: number, offset: number, onRecord: (seq: number, cmd: VenueCommand, recordOffset: number) => void,
): ScanResult {
  const fileSize = fs.fstatSync(fd).size;
  const reader = new ByteReader();
  let buf = Buffer.allocUnsafe(CHUNK);
  let bufStart = offset; // file offset of buf[0]
  let bufLen = 0;
  let pos = 0; // next record inside buf
  let records = 0;
  let stopReason = '';

  const fill = (): boolean => {
    // Keep the unread tail, read more after it.
    const keep = bufLen - pos;
    if (pos > 0) buf.copy(buf, 0, pos, bufLen);
    bufStart += pos;
    bufLen = keep;
    pos = 0;
    if (bufStart + bufLen >= fileSize) return false;
    if (bufLen === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, bufLen);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, bufLen, buf.length - bufLen, bufStart + bufLen);
    bufLen += n;
    return n > 0;
  };

  for (;;) {
    if (bufLen - pos < RECORD_HEADER && !fill() && bufLen - pos < RECORD_HEADER) {
      if (bufLen - pos > 0) stopReason = 'incomplete record header';
      break;
    }
    const length = buf.readUInt32LE(pos + LENGTH_AT);
    if (length < MIN_PAYLOAD || length > MAX_PAYLOAD) {
      stopReason = `impossible record length ${length}`;
      break;
    }
    const total = RECORD_HEADER + length;
    while (bufLen - pos < total) {
      if (!fill()) break;
    }
    if (bufLen - pos < total) {
      stopReason = 'incomplete record';
      break;
    }
    const crc = buf.readUInt32LE(pos + CRC_AT);
    if (recordCrc(buf, pos, pos + total) !== crc) {
      stopReason = 'checksum mismatch';
      break;
    }
    reader.reset(buf, pos + RECORD_HEADER, pos + total);
    const seq = reader.uvar();
    const cmd = reader.overrun ? null : decodeCommand(reader);
    if (cmd === null) {
      stopReason = 'undecodable record';
      break;
    }
    onRecord(seq, cmd, bufStart + pos);
    records++;
    pos += total;
  }
  return { goodEnd: bufStart + pos, fileSize, records, stopReason };
}
