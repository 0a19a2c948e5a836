// Child process for the crash and disk-failure tests: runs the venue behind its journal and prints one
// line per event as it is released (after the journal write), until it is killed or the disk fails.
//
//   journal-child.ts <dir> stream <seed> [snapshotAfter]   endless order stream, 25 commands per turn
//   journal-child.ts <dir> until-failure <seed>             stream until a commit fails, then probe
//
// Lines: "E <seq> <type> <orderId>" per released event, "SNAPSHOT <seq>", "FAILED <code>",
// "REFUSED <reason>", "ALIVE".

import { JournaledVenue } from '../../../src/venue/journal/journaled-venue.js';
import type { VenueEvent } from '../../../src/venue/model/events.js';
import { spec } from './harness.js';
import { OrderStream } from './random-stream.js';

const [dir, mode, seedText, snapText] = process.argv.slice(2);
const seed = Number(seedText ?? 1);
const snapshotAfter = Number(snapText ?? 0);

function orderIdOf(e: VenueEvent): number {
  if ('order' in e && e.order !== null) return e.order.orderId;
  if (e.type === 'trade') return e.taker.orderId;
  return 0;
}

async function main(): Promise<void> {
  const jv = new JournaledVenue({ instruments: [spec()] }, { dir: dir!, fsync: 'batch' });
  const out: string[] = [];
  jv.subscribe((e) => {
    if (e.type === 'bookDelta') return;
    if (e.type === 'rejected' && e.seq === 0) {
      out.push(`REFUSED ${e.reason}`);
      return;
    }
    out.push(`E ${e.seq} ${e.type} ${orderIdOf(e)}`);
  });
  await jv.open();
  const stream = new OrderStream(seed);
  let time = 1;
  let snapshotted = false;
  for (;;) {
    for (let i = 0; i < 25; i++) jv.apply(stream.next(++time));
    try {
      await jv.commit();
    } catch (err) {
      process.stdout.write(`FAILED ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      jv.apply(stream.next(++time));
      process.stdout.write(out.join('\n') + '\n');
      process.stdout.write('ALIVE\n');
      return;
    }
    // Acknowledge only what the journal holds: print after the commit resolved.
    if (out.length > 0) {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    }
    if (snapshotAfter > 0 && !snapshotted && jv.venue.commandSeq >= snapshotAfter) {
      snapshotted = true;
      const info = await jv.snapshot();
      process.stdout.write(`SNAPSHOT ${info.commandSeq}\n`);
    }
    if (mode === 'stream' && time > 5_000_000) return;
  }
}

main().catch((err) => {
  process.stdout.write(`CRASH ${String(err)}\n`);
  process.exitCode = 1;
});
