// The venue's snapshot files, next to the journal: one per snapshot, named by the command seq it holds
// (snapshot-0000000000012345.snap), each checked by a SHA-256 of its body.
//
// File: a fixed-length header line, then the body (the JSON of a SnapshotFile):
//   VENUE-SNAPSHOT 1 <sha256 hex> <body bytes, 16 digits>\n
// Written as <name>.tmp (header first as a blank placeholder, the body a slice at a time off the event loop, then the
// real header), fsynced, renamed into place, directory fsynced. A crash mid-write leaves only a .tmp (ignored and
// removed); a file torn in place (a disk that lied) fails its checksum and start-up takes the one before it.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { emitJsonInSlices } from './json-chunks.js';
import { fsyncDir, type SnapshotFile } from './snapshot-file.js';
import { HEADER_SIZE } from './record-format.js';

const MAGIC = 'VENUE-SNAPSHOT 1 ';
/** MAGIC, 64 hex digits, a space, 16 digits, the newline. */
const FILE_HEADER_SIZE = MAGIC.length + 64 + 1 + 16 + 1;
const NAME = /^snapshot-(\d{16})\.snap$/;
let writes = 0;

export interface StoredSnapshot {
  commandSeq: number;
  path: string;
  bytes: number;
  /** When the file was last written (ms since the epoch). */
  writtenAt: number;
}

/**
 * Test hook (the soak's failpoints): asked once per snapshot write whether to tear it — 'tmp' writes half the body
 * to the temporary file and stops there, 'final' also renames that half into place — then torn() is called (the
 * process kills itself). null: write it whole.
 */
export interface SnapshotWriteFaults {
  tearAt(): 'tmp' | 'final' | null;
  torn(): void;
}

export interface SkippedSnapshot {
  path: string;
  reason: string;
}

export function snapshotFileName(commandSeq: number): string {
  return `snapshot-${String(commandSeq).padStart(16, '0')}.snap`;
}

/** The snapshot files in `dir`, newest (highest command seq) first. */
export function listSnapshots(dir: string): StoredSnapshot[] {
  if (!fs.existsSync(dir)) return [];
  const out: StoredSnapshot[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = NAME.exec(name);
    if (m === null) continue;
    const file = path.join(dir, name);
    const st = fs.statSync(file);
    out.push({ commandSeq: Number(m[1]), path: file, bytes: st.size, writtenAt: st.mtimeMs });
  }
  return out.sort((a, b) => b.commandSeq - a.commandSeq);
}

/** Writes `snapshot` as the file of its command seq (see the top of this file); returns what was stored. */
export async function writeSnapshotFile(dir: string, snapshot: SnapshotFile, faults: SnapshotWriteFaults | null = null): Promise<StoredSnapshot> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, snapshotFileName(snapshot.core.commandSeq));
  const tmp = `${file}.${process.pid}-${++writes}.tmp`;
  const tear = faults?.tearAt() ?? null;
  const handle = await fs.promises.open(tmp, 'w');
  let bodyBytes = 0;
  try {
    const hash = createHash('sha256');
    let position = FILE_HEADER_SIZE;
    await handle.write(Buffer.alloc(FILE_HEADER_SIZE, 0x20), 0, FILE_HEADER_SIZE, 0);
    const pieces: Buffer[] = [];
    await emitJsonInSlices(snapshot, async (text) => {
      const buf = Buffer.from(text, 'utf8');
      hash.update(buf);
      if (tear !== null) {
        pieces.push(buf); // torn below, at half of the whole body
        return;
      }
      await handle.write(buf, 0, buf.length, position);
      position += buf.length;
    });
    if (tear !== null) {
      const body = Buffer.concat(pieces);
      const half = body.subarray(0, body.length >> 1);
      await handle.write(writeHeader(hash.digest('hex'), body.length), 0, FILE_HEADER_SIZE, 0);
      await handle.write(half, 0, half.length, FILE_HEADER_SIZE);
      await handle.sync();
      await handle.close();
      if (tear === 'final') fs.renameSync(tmp, file);
      faults!.torn();
      await new Promise(() => undefined); // the process is being killed
    }
    bodyBytes = position - FILE_HEADER_SIZE;
    await handle.write(writeHeader(hash.digest('hex'), bodyBytes), 0, FILE_HEADER_SIZE, 0);
    await handle.sync();
  } finally {
    await handle.close().catch(() => undefined);
  }
  await fs.promises.rename(tmp, file);
  fsyncDir(dir);
  const st = fs.statSync(file);
  return { commandSeq: snapshot.core.commandSeq, path: file, bytes: st.size, writtenAt: st.mtimeMs };
}

function writeHeader(sha256: string, bodyBytes: number): Buffer {
  return Buffer.from(`${MAGIC}${sha256} ${String(bodyBytes).padStart(16, '0')}\n`, 'latin1');
}

/** The snapshot in `file`, or why it cannot be used (torn, corrupt, not a snapshot). */
export function readSnapshotFile(file: string): SnapshotFile | { error: string } {
  const data = fs.readFileSync(file);
  if (data.length < FILE_HEADER_SIZE) return { error: `${data.length} bytes is too short for the header (torn write)` };
  const header = data.toString('latin1', 0, FILE_HEADER_SIZE);
  const m = /^VENUE-SNAPSHOT 1 ([0-9a-f]{64}) (\d{16})\n$/.exec(header);
  if (m === null) return { error: 'no snapshot header (torn write or not a snapshot file)' };
  const expected = Number(m[2]);
  const body = data.subarray(FILE_HEADER_SIZE);
  if (body.length !== expected) return { error: `body is ${body.length} bytes, the header says ${expected} (torn write)` };
  if (createHash('sha256').update(body).digest('hex') !== m[1]) return { error: 'checksum mismatch (corrupt)' };
  try {
    const snap = JSON.parse(body.toString('utf8')) as SnapshotFile;
    if (snap.format !== 'venue-snapshot' || typeof snap.journalOffset !== 'number' || snap.core === undefined) return { error: 'not a venue snapshot' };
    return snap;
  } catch (err) {
    return { error: `not readable JSON: ${(err as Error).message}` };
  }
}

export interface LoadedSnapshot {
  snapshot: SnapshotFile | null;
  /** Newer files that could not be used, newest first, with the reason. */
  skipped: SkippedSnapshot[];
}

/**
 * The newest usable snapshot in `dir` for this journal, falling back past torn and corrupt ones. Throws when the
 * newest readable one belongs to another journal or points past this journal's end: the directories were mixed
 * up, and replaying without it would hide that.
 */
export function loadNewestSnapshot(dir: string, journalId: string, journalSize: number): LoadedSnapshot {
  const skipped: SkippedSnapshot[] = [];
  for (const stored of listSnapshots(dir)) {
    const snap = readSnapshotFile(stored.path);
    if ('error' in snap) {
      skipped.push({ path: stored.path, reason: snap.error });
      continue;
    }
    if (snap.journalId !== journalId) throw new Error(`snapshot ${stored.path} belongs to journal ${snap.journalId}, not ${journalId}`);
    if (snap.journalOffset < HEADER_SIZE || snap.journalOffset > journalSize) {
      throw new Error(`snapshot ${stored.path} points at journal offset ${snap.journalOffset}, beyond the journal (${journalSize} bytes)`);
    }
    if (snap.core.commandSeq !== stored.commandSeq) {
      skipped.push({ path: stored.path, reason: `holds command ${snap.core.commandSeq}, its name says ${stored.commandSeq}` });
      continue;
    }
    return { snapshot: snap, skipped };
  }
  return { snapshot: null, skipped };
}

/** Deletes all but the newest `keep` snapshot files, and leftover .tmp files of interrupted writes. Returns the paths removed. */
export function pruneSnapshots(dir: string, keep: number): string[] {
  const removed: string[] = [];
  for (const old of listSnapshots(dir).slice(Math.max(1, keep))) {
    fs.rmSync(old.path, { force: true });
    removed.push(old.path);
  }
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith('snapshot-') && name.endsWith('.tmp')) {
        fs.rmSync(path.join(dir, name), { force: true });
        removed.push(path.join(dir, name));
      }
    }
  }
  return removed;
}
