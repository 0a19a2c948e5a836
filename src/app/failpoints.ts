// TEST HOOK, not a feature: exact crash and disk-fault points for the reliability soak (test/soak, npm run soak).
// Read once, from the environment, when the process starts:
//
//   VENUE_FAILPOINT=<site>:<action>:<arg>
//
//   journal-write:after-partial:<n>[:<ms>]   the n-th journal batch write puts only the first half of the batch on
//   store-write:after-partial:<n>[:<ms>]     disk (any FIX session's store for store-write), then the process
//                                            SIGKILLs itself, after <ms> more of the event loop when given (other
//                                            writes in flight may land: the worst case for consistency)
//   journal-write:enospc-while:<file>        every write fails with ENOSPC while <file> exists (a disk that fills
//   store-write:enospc-while:<file>          up and is cleared again, without privileges); so does the storage
//                                            recovery's probe of that directory (storage-recovery.ts)
//   snapshot-write:torn-tmp:<n>              the n-th snapshot write puts half its body in its temporary file, then
//                                            the process SIGKILLs itself (a crash mid-write)
//   snapshot-write:torn-final:<n>            ... and renames that half into place first (a disk that lied: the file
//                                            is there, its checksum fails)
//   clearing-enqueue:after-intent:<n>        the n-th enqueue SIGKILLs itself after writing its intent (step 1)
//   clearing-enqueue:after-add:<n>           ... after adding its jobs to BullMQ (step 2), before its commit (3)
//
// Unset (production), every site holds null and its check is one comparison per batch, nothing more.

import { existsSync } from 'node:fs';
import type { EnqueueFaults } from '../clearing/enqueue-faults.js';
import type { BatchWriteFault, WriteFaults } from '../io/write-faults.js';
import type { SnapshotWriteFaults } from '../venue/journal/snapshot-store.js';

export type FailSite = 'journal-write' | 'store-write' | 'clearing-enqueue' | 'snapshot-write';

export interface Failpoint {
  readonly site: FailSite;
  readonly action: string;
  /** The count (n) or the file of the action. */
  readonly arg: string;
  /** Optional delay before the kill (ms). */
  readonly delayMs: number;
  hits: number;
}

const SITES: readonly FailSite[] = ['journal-write', 'store-write', 'clearing-enqueue', 'snapshot-write'];
const ACTIONS: Record<FailSite, readonly string[]> = {
  'journal-write': ['after-partial', 'enospc-while'],
  'store-write': ['after-partial', 'enospc-while'],
  'clearing-enqueue': ['after-intent', 'after-add'],
  'snapshot-write': ['torn-tmp', 'torn-final'],
};

/** Parses a VENUE_FAILPOINT value; throws on anything it does not understand (a typo must not test nothing). */
export function parseFailpoint(text: string | undefined): Failpoint | null {
  if (text === undefined || text === '') return null;
  const [site, action, ...rest] = text.split(':');
  const arg = action === 'enospc-while' ? rest.join(':') : (rest[0] ?? '');
  const delayMs = action === 'enospc-while' ? 0 : Number(rest[1] ?? 0);
  if (!SITES.includes(site as FailSite) || !ACTIONS[site as FailSite].includes(action ?? '') || arg === '' || !(delayMs >= 0)) {
    throw new Error(`VENUE_FAILPOINT: expected <site>:<action>:<arg> (see src/app/failpoints.ts), got ${JSON.stringify(text)}`);
  }
  if (action !== 'enospc-while' && !(Number.isInteger(Number(arg)) && Number(arg) > 0)) {
    throw new Error(`VENUE_FAILPOINT: ${site}:${action} needs a count >= 1, got ${JSON.stringify(arg)}`);
  }
  return { site: site as FailSite, action: action!, arg, delayMs, hits: 0 };
}

const active = parseFailpoint(process.env.VENUE_FAILPOINT);

/** The failpoint configured for `site`, or null (always null in production). */
export function failpointAt(site: FailSite): Failpoint | null {
  return active !== null && active.site === site ? active : null;
}

/** Ends the process the way a crash does: no handlers, no flushing. */
export function crashNow(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before kill() returns to a process signalling itself; this only satisfies the types.
  throw new Error('unreachable');
}

async function crashAfter(fp: Failpoint): Promise<never> {
  if (fp.delayMs > 0) await new Promise((r) => setTimeout(r, fp.delayMs));
  return crashNow();
}

/**
 * The write-fault port (src/io/write-faults.ts) the journal writer or the FIX stores are given when VENUE_FAILPOINT
 * names their site; null otherwise (production).
 */
export function writeFaultsFor(site: 'journal-write' | 'store-write'): WriteFaults | null {
  const fp = failpointAt(site);
  if (fp === null) return null;
  return { before: (length) => batchWriteFault(fp, length), torn: () => crashAfterTear(fp) };
}

/**
 * Asked (through writeFaultsFor) by the journal writer and the FIX store before each batch write of `length` bytes.
 * Synchronous, so that the writer can apply the outcome at the place of the write: null (go on), an error to fail the
 * write with (ENOSPC), or `{ tear }`: the writer writes only the first `tear` bytes of the batch, in the batch's place
 * (after every write it follows, the journal write of its turn for a store, as a real crash mid-write finds them),
 * calls torn() once they are written, and fails so that nothing more of it is written.
 */
export function batchWriteFault(fp: Failpoint, length: number): BatchWriteFault {
  if (fp.action === 'enospc-while') return diskFullWhile(fp);
  if (++fp.hits !== Number(fp.arg)) return null;
  return { tear: Math.max(1, length >> 1) };
}

/** The torn write is on disk (or was withheld): the process SIGKILLs itself, after the failpoint's delay. */
export function crashAfterTear(fp: Failpoint): void {
  void crashAfter(fp);
}

/**
 * Called by the storage recovery before each probe of a failed directory: the ENOSPC an enospc-while failpoint
 * stands for while its file exists (the simulated disk is still full), else null.
 */
export function probeFault(fp: Failpoint | null): NodeJS.ErrnoException | null {
  return fp !== null && fp.action === 'enospc-while' ? diskFullWhile(fp) : null;
}

function diskFullWhile(fp: Failpoint): NodeJS.ErrnoException | null {
  if (!existsSync(fp.arg)) return null;
  const err = new Error(`ENOSPC: no space left on device, write (injected by VENUE_FAILPOINT)`) as NodeJS.ErrnoException;
  err.code = 'ENOSPC';
  err.errno = -28;
  return err;
}

/** The snapshot-fault port (src/venue/journal/snapshot-store.ts) the journal is given; null in production. */
export function snapshotFaultsFor(): SnapshotWriteFaults | null {
  const fp = failpointAt('snapshot-write');
  if (fp === null) return null;
  return {
    tearAt: () => (++fp.hits === Number(fp.arg) ? (fp.action === 'torn-final' ? 'final' : 'tmp') : null),
    torn: () => void crashAfter(fp),
  };
}

/** The enqueue-fault port (src/clearing/enqueue-faults.ts) the clearing enqueuer is given; null in production. */
export function enqueueFaultsFor(): EnqueueFaults | null {
  const fp = failpointAt('clearing-enqueue');
  if (fp === null) return null;
  return { after: (step) => afterEnqueueStep(fp, step) };
}

/** Called (through enqueueFaultsFor) by the clearing enqueuer after each step of an enqueue. */
export async function afterEnqueueStep(fp: Failpoint, step: 'after-intent' | 'after-add'): Promise<void> {
  if (fp.action !== step) return;
  if (++fp.hits === Number(fp.arg)) await crashAfter(fp);
}
