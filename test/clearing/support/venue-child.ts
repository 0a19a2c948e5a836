// The venue side of clearing (execution record + enqueuer, no workers) in a child process, fed a fixed
// stream of trades a few per event-loop turn, as the journal replay and then live trading would. The
// parent SIGKILLs it at an arbitrary point and starts it again: the record keeps only seqs it lacks,
// and the enqueuer must then enqueue every trade exactly once.
//
//   venue-child.ts <redisUrl> <dir> <trades> <journaled>
//
// <journaled>: how many trades the previous run had fed (what its journal would hold): they are replayed
// into the record before clearing starts, then live trading goes on from there. Prints
// "STARTED <lastEnqueued>", "FED <n>" after each turn, "DONE".

import path from 'node:path';
import { Registry } from 'prom-client';
import { ClearingService } from '../../../src/clearing/clearing-service.js';
import { INSTRUMENTS } from '../../records/support/events.js';
import { FIRMS, clearingSettings, openRecord } from './harness.js';
import { tradeStream } from './trade-stream.js';

const [redisUrl, dir, totalText, journaledText] = process.argv.slice(2) as [string, string, string, string];
const journaled = Number(journaledText);
const all = tradeStream(Number(totalText));

async function main(): Promise<void> {
  const record = await openRecord(path.join(dir, 'records'));
  const settings = clearingSettings(path.join(dir, 'reports'), {
    batch: { maxTrades: 5, maxDelayMs: 3 },
    workers: { inProcess: false, concurrency: 1, lockDurationMs: 1000, stalledIntervalMs: 300 },
  });
  const clearing = new ClearingService({ settings, redisUrl, record, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry() });
  // The journal replay: everything from the start; the record drops what it already holds.
  for (const e of all.slice(0, journaled)) record.onEvent(e);
  await record.flush();
  await clearing.start();
  process.stdout.write(`STARTED ${clearing.lastEnqueued}\n`);
  for (let i = journaled; i < all.length; i += 7) {
    for (const e of all.slice(i, i + 7)) record.onEvent(e);
    process.stdout.write(`FED ${Math.min(all.length, i + 7)}\n`);
    await new Promise((r) => setTimeout(r, 1));
  }
  await record.flush();
  process.stdout.write('DONE\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
