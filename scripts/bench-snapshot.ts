// npm run bench:snapshot — what a snapshot costs the running venue and what it saves at start-up.
//
// Builds a journal: BENCH_RESTING resting orders (default 100k, both sides of one book, never crossing), then
// new-and-cancel pairs up to BENCH_HISTORY commands (default 1 M), so history grows while the book does not. Then:
//   capture       captureState(): the consistent cut, the only part that holds up order flow (median of 5)
//   baseline      one JSON.stringify of the same state: what a snapshot serialised on the event loop would block
//   write         the snapshot written in slices; the longest event-loop stall while it runs (perf_hooks monitor)
//   start-up      open() with the snapshot (+ BENCH_TAIL commands after it, default 10k) against a full replay
// Not a test: figures, medians, ratios against the same-run baseline.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { JournaledVenue } from '../src/venue/journal/journaled-venue.js';
import type { VenueCommand } from '../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../src/venue/model/enums.js';
import { BENCH_SPEC } from './bench/workload.js';

const RESTING = Number(process.env.BENCH_RESTING ?? 100_000);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1_000_000);
const TAIL = Number(process.env.BENCH_TAIL ?? 10_000);
const MID = BENCH_SPEC.referencePrice;
const config = { instruments: [BENCH_SPEC], stp: { defaultMode: StpMode.None, scope: 'account' as const } };

function newOrder(i: number, side: Side, price: number): VenueCommand {
  return {
    type: 'new', time: 1_700_000_000_000 + i, session: `S${i % 8}`, firm: `F${i % 4}`, account: `A${i % 1000}`, clOrdId: `c${i}`,
    symbol: BENCH_SPEC.symbol, side, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC, price, stopPx: 0, qty: 1 + (i % 50),
    minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0, exDestination: '',
  };
}

/** A resting order: buys 1..2000 ticks under the mid, sells above it. */
function resting(i: number): VenueCommand {
  const buy = i % 2 === 0;
  const offset = 1 + (i % 2000);
  return newOrder(i, buy ? Side.Buy : Side.Sell, buy ? MID - offset : MID + offset);
}

function cancel(i: number, of: VenueCommand & { type: 'new' }): VenueCommand {
  return { type: 'cancel', time: of.time + 1, session: of.session, firm: of.firm, account: of.account, clOrdId: `x${i}`, origClOrdId: of.clOrdId, orderId: 0, symbol: of.symbol, side: of.side };
}

async function applyAll(jv: JournaledVenue, from: number, count: number, make: (i: number) => VenueCommand[]): Promise<void> {
  let i = from;
  const end = from + count;
  while (i < end) {
    for (let k = 0; k < 1000 && i < end; k++, i++) for (const cmd of make(i)) jv.apply(cmd);
    await jv.commit();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-snapshot-'));
  try {
    const jv = new JournaledVenue(config, { dir, fsync: 'none', autoCommit: false });
    await jv.open();
    const built = performance.now();
    await applyAll(jv, 0, RESTING, (i) => [resting(i)]);
    const pairs = Math.max(0, Math.floor((HISTORY - RESTING) / 2));
    await applyAll(jv, RESTING, pairs, (i) => {
      const o = resting(i) as VenueCommand & { type: 'new' };
      return [o, cancel(i, o)];
    });
    const commands = jv.venue.commandSeq;
    console.log(`history: ${commands} commands, ${jv.venue.liveOrderCount} resting orders, journal ${(fs.statSync(path.join(dir, 'journal.bin')).size / 1e6).toFixed(1)} MB (built in ${((performance.now() - built) / 1000).toFixed(1)} s)`);

    const captures: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      jv.captureState();
      captures.push(performance.now() - t);
    }
    const captured = jv.captureState();
    const t0 = performance.now();
    const text = JSON.stringify({ format: 'venue-snapshot', journalId: jv.id, journalOffset: captured.journalOffset, core: captured.core });
    const stringifyMs = performance.now() - t0;

    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const w0 = performance.now();
    const info = await jv.writeSnapshot(captured);
    const writeMs = performance.now() - w0;
    loop.disable();
    const capture = median(captures);
    console.log(`capture (the cut, blocks the loop): median ${capture.toFixed(1)} ms of 5 [${captures.map((c) => c.toFixed(1)).join(', ')}]`);
    console.log(`baseline: one JSON.stringify of the state blocks ${stringifyMs.toFixed(1)} ms (${(stringifyMs / capture).toFixed(1)}x the cut), ${(text.length / 1e6).toFixed(1)} MB`);
    console.log(`write in slices: ${writeMs.toFixed(0)} ms wall, longest event-loop stall meanwhile ${(loop.max / 1e6).toFixed(1)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms)`);
    console.log(`snapshot file: ${(info.bytes / 1e6).toFixed(1)} MB (${(info.bytes / jv.venue.liveOrderCount).toFixed(0)} bytes per resting order)`);

    await applyAll(jv, RESTING + pairs, Math.floor(TAIL / 2), (i) => {
      const o = resting(i) as VenueCommand & { type: 'new' };
      return [o, cancel(i, o)];
    });
    const state = jv.venue.exportState();
    await jv.close();

    const fromSnapshot = new JournaledVenue(config, { dir, fsync: 'none', autoCommit: false });
    const a = await fromSnapshot.open();
    const same = JSON.stringify(fromSnapshot.venue.exportState()) === JSON.stringify(state);
    await fromSnapshot.close();
    const full = new JournaledVenue(config, { dir, fsync: 'none', autoCommit: false, useSnapshot: false });
    const b = await full.open();
    await full.close();
    console.log(`start-up with the snapshot: ${a.durationMs.toFixed(0)} ms (snapshot at ${a.snapshotSeq}, ${a.replayedCommands} commands replayed)${same ? '' : ' STATE DIFFERS'}`);
    console.log(`start-up, full replay:      ${b.durationMs.toFixed(0)} ms (${b.replayedCommands} commands replayed); ratio ${(b.durationMs / a.durationMs).toFixed(1)}x`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
