// Scenario 1: crash under load. Members trade steadily (resting, crossing, cancels, replaces) while the venue
// process is SIGKILLed, from outside at a random moment and from inside at exact points (src/app/failpoints.ts):
// half-way through a journal batch write, half-way through a FIX store write, between the steps of a clearing
// enqueue, half-way through a snapshot write (torn in its temporary file, or torn in place: start-up falls back to
// the snapshot before it). Snapshots are taken every second, so every restart starts from one. After each kill the venue restarts, the members log on again and recover by resend. At the end,
// with the venue stopped, every invariant is checked against its files and Redis (see harness/checks.ts).

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startTestRedis } from '../../support/redis-server.js';
import { Fleet } from '../harness/fleet.js';
import type { ScenarioResult, SoakRow } from '../harness/report.js';
import { finalChecks } from '../harness/final-checks.js';
import { writeSoakConfig } from '../harness/soak-config.js';
import { VenueProcess } from '../harness/venue-process.js';

export interface KillPoint {
  /** Name in the report. */
  name: string;
  /** VENUE_FAILPOINT for the run that ends with this kill; none: SIGKILL from outside after `afterMs`. */
  failpoint?: string;
  afterMs?: number;
}

export interface CrashOptions {
  seed: number;
  sessions: number;
  /** Messages per second per session. */
  rate: number;
  kills: KillPoint[];
  /** Trading after the last restart, before the checks (ms). */
  finalMs: number;
  log?: (line: string) => void;
}

export const CRASH_KILLS: KillPoint[] = [
  { name: 'SIGKILL from outside', afterMs: 1500 },
  { name: 'mid journal batch write', failpoint: 'journal-write:after-partial:150:20' },
  { name: 'mid FIX store write', failpoint: 'store-write:after-partial:300:20' },
  { name: 'after clearing intent', failpoint: 'clearing-enqueue:after-intent:10' },
  { name: 'after BullMQ add', failpoint: 'clearing-enqueue:after-add:10' },
  { name: 'mid snapshot write', failpoint: 'snapshot-write:torn-tmp:2' },
  { name: 'snapshot torn in place', failpoint: 'snapshot-write:torn-final:2' },
];

export async function runCrashUnderLoad(opts: CrashOptions): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'soak-crash-'));
  const redis = await startTestRedis();
  // SOAK_KEEP_DIR=<folder>: a failing run's venue folder (config, journal, records, session stores, FIX message
  // logs, which this turns on) is copied there with the venue's log lines, each client's trace and the violations.
  const keepDir = process.env.SOAK_KEEP_DIR;
  const config = writeSoakConfig({ dir, redisUrl: redis.url, logLevel: 'warn', messageLogs: keepDir !== undefined, snapshots: { intervalSeconds: 1, keep: 2 } });
  const venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  const fleet = new Fleet(config, venue, { seed: opts.seed, sessions: opts.sessions, trace: keepDir !== undefined });
  const recoveries: number[] = [];
  const rows: SoakRow[] = [];
  let lastKill = 0;
  let failed = true;
  try {
    for (const kill of opts.kills) {
      await venue.start({ failpoint: kill.failpoint });
      const recoveredAt = await fleet.reconnectAll(30_000);
      if (venue.starts > 1) recoveries.push(recoveredAt - lastKill);
      fleet.start(opts.rate);
      if (kill.failpoint) {
        const exit = await venue.exited(60_000);
        if (exit.signal !== 'SIGKILL') throw new Error(`${kill.name}: the venue ended with ${exit.code}/${exit.signal}, not by its failpoint`);
      } else {
        await new Promise((r) => setTimeout(r, kill.afterMs ?? 1000));
        await venue.kill('SIGKILL');
      }
      lastKill = Date.now();
      log(`  ${kill.name}: killed after ${fleet.ordersSent} orders sent so far`);
      await fleet.allDisconnected(10_000);
    }
    await venue.start();
    recoveries.push((await fleet.reconnectAll(30_000)) - lastKill);
    fleet.start(opts.rate);
    await new Promise((r) => setTimeout(r, opts.finalMs));
    for (const line of venue.logsWith('stored again')) log(`  venue: ${line.message} (${String(line.reports)})`);
    const final = await finalChecks(fleet, venue, config, redis.url, log);
    rows.push({
      scenario: `crash under load (${opts.kills.map((k) => k.name).join(', ')})`,
      durationMs: Date.now() - started,
      orders: fleet.ordersSent,
      faults: opts.kills.length,
      lost: final.lost,
      duplicates: final.duplicates,
      maxRecoveryMs: Math.max(...recoveries),
      notes: `${final.trades} trades, ${opts.sessions} sessions + drop copy`,
    });
    failed = final.violations.length > 0;
    if (failed && keepDir !== undefined) writeFileSync(join(dir, 'violations.txt'), final.violations.join('\n') + '\n');
    return { rows, violations: final.violations };
  } finally {
    fleet.stop();
    for (const c of fleet.clients) c.close();
    if (venue.running) await venue.kill('SIGKILL');
    await redis.dispose();
    if (failed && keepDir !== undefined) {
      writeFileSync(join(dir, 'venue-log.jsonl'), venue.logs.map((l) => JSON.stringify(l)).join('\n') + '\n' + venue.rawOutput.join('\n'));
      for (const c of fleet.clients) writeFileSync(join(dir, `trace-${c.id}.txt`), c.trace.join('\n') + '\n' + c.violations.join('\n'));
      const kept = join(keepDir, basename(dir));
      cpSync(dir, kept, { recursive: true });
      log(`  kept the venue folder in ${kept}`);
      console.error(`soak: kept the failing run's venue folder in ${kept}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
