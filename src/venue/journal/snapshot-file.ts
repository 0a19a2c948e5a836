// What a snapshot holds: the core's state plus the journal offset at which the next command's record starts.
// Files, checksums and fallback are snapshot-store.ts.

import fs from 'node:fs';
import type { CoreSnapshot } from '../core/state-snapshot.js';

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
