// The snapshot file next to the journal: the core's state plus the journal offset at which the next
// command's record starts, written atomically (temp file, fsync, rename, fsync of the directory).

import fs from 'node:fs';
import path from 'node:path';
import type { CoreSnapshot } from '../core/state-snapshot.js';
import { HEADER_SIZE } from './record-format.js';

export interface SnapshotFile {
  format: 'venue-snapshot';
  journalId: string;
  /** Where the record of command core.commandSeq + 1 starts in the journal. */
  journalOffset: number;
  core: CoreSnapshot;
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the snapshot atomically; returns its size in bytes. */
export async function writeSnapshot(file: string, snapshot: SnapshotFile): Promise<number> {
  const body = JSON.stringify(snapshot);
  const tmp = `${file}.tmp`;
  await fs.promises.writeFile(tmp, body);
  const handle = await fs.promises.open(tmp, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
  fsyncDir(path.dirname(file));
  return Buffer.byteLength(body);
}

/**
 * The snapshot at `file` if there is one; throws with the file and the problem when it is unreadable,
 * belongs to another journal, or points past the end of this one.
 */
export function readSnapshot(file: string, journalId: string, journalSize: number): SnapshotFile | null {
  if (!fs.existsSync(file)) return null;
  let snap: SnapshotFile;
  try {
    snap = JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotFile;
  } catch (err) {
    throw new Error(`snapshot ${file} is not readable JSON: ${(err as Error).message}`);
  }
  if (snap.format !== 'venue-snapshot' || typeof snap.journalOffset !== 'number' || snap.core === undefined) {
    throw new Error(`snapshot ${file} is not a venue snapshot`);
  }
  if (snap.journalId !== journalId) {
    throw new Error(`snapshot ${file} belongs to journal ${snap.journalId}, not ${journalId}`);
  }
  if (snap.journalOffset < HEADER_SIZE || snap.journalOffset > journalSize) {
    throw new Error(`snapshot ${file} points at journal offset ${snap.journalOffset}, beyond the journal (${journalSize} bytes)`);
  }
  return snap;
}
