// The `records` section: where the execution record (src/records) keeps its day files and how.
//
//   "records": { "dir": "../var/demo/records", "fsync": true, "memoryTrades": 200000, "flushIntervalMs": 10 }
//
// Every key is optional: the folder defaults to <venue.dataDir>/records.

import path from 'node:path';
import type { ConfigNode } from './config-reader.js';

export interface RecordSettings {
  /** Folder of the day files (absolute). */
  dir: string;
  /** fdatasync each batch write. */
  fsync: boolean;
  /** Newest trades kept in memory for clearing and recent trade-capture queries. */
  memoryTrades: number;
  /** Turns collected into one write (0: every turn writes). */
  flushIntervalMs: number;
}

export function readRecords(root: ConfigNode, dataDir: string, pathOf: (p: string) => string): RecordSettings {
  const node = root.optionalChild('records');
  node?.onlyKeys(['dir', 'fsync', 'memoryTrades', 'flushIntervalMs']);
  return {
    dir: node?.has('dir') ? pathOf(node.nonEmptyStr('dir')) : path.join(dataDir, 'records'),
    fsync: node?.bool('fsync', true) ?? true,
    memoryTrades: node?.int('memoryTrades', 200_000, 1, 100_000_000) ?? 200_000,
    flushIntervalMs: node?.int('flushIntervalMs', 10, 0, 1000) ?? 10,
  };
}
