// Scenario 2c: the disk under the command journal, or under the FIX session stores, fills up while members trade
// (the failpoint module makes every write fail with ENOSPC while a flag file exists; no privileges needed). The
// venue must not acknowledge what it cannot persist: orders get a clear reject (or, when even a reject cannot be
// stored, the session is disconnected), ops see it (/ready, log), and once the disk is cleared the venue recovers
// (the journal by a restart, which replays it; a session store when the member logs on again) with nothing that
// was acknowledged lost.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixMsg } from '../../support/fix-test-client.js';
import { startTestRedis } from '../../support/redis-server.js';
import { finalChecks } from '../harness/final-checks.js';
import { Fleet } from '../harness/fleet.js';
import { component, readiness, waitForReadiness } from '../harness/ops-probe.js';
import type { ScenarioResult } from '../harness/report.js';
import { writeSoakConfig } from '../harness/soak-config.js';
import { VenueProcess } from '../harness/venue-process.js';

export interface DiskFullOptions {
  seed: number;
  sessions: number;
  rate: number;
  target: 'journal' | 'store';
  fullMs: number;
  log?: (line: string) => void;
}

export async function runDiskFull(opts: DiskFullOptions): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'soak-diskfull-'));
  const flag = join(dir, 'disk-full');
  const redis = await startTestRedis();
  const config = writeSoakConfig({ dir, redisUrl: redis.url, logLevel: 'info' });
  const venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  const fleet = new Fleet(config, venue, { seed: opts.seed, sessions: opts.sessions });
  const violations: string[] = [];
  const site = opts.target === 'journal' ? 'journal-write' : 'store-write';
  const rejects: FixMsg[] = [];
  for (const f of fleet.flows) f.client.onApp.push((m) => m.type === '8' && m.get(150) === '8' && rejects.push(m));
  try {
    await venue.start({ failpoint: `${site}:enospc-while:${flag}` });
    await fleet.reconnectAll(30_000);
    fleet.start(opts.rate);
    await new Promise((r) => setTimeout(r, 800));

    writeFileSync(flag, 'full');
    const fullAt = Date.now();
    const rejectsBefore = rejects.length;
    // Members keep trying: reconnect whenever the venue drops them, keep sending while logged on.
    let trying = true;
    const retry = (async () => {
      while (trying) {
        await Promise.all(fleet.clients.map(async (c) => (c.state === 'disconnected' ? c.logon(2000) : undefined)));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const seen = await waitForReadiness(venue, (r) => r.components.some((c) => c.status !== 'up'), 10_000).catch(() => null);
    const ready = await readiness(venue);
    const failedPart = opts.target === 'journal' ? component(ready, 'journal') : ready.components.find((c) => c.status !== 'up');
    log(`  disk full (${opts.target}): /ready HTTP ${ready.httpStatus} ${ready.status}; ${failedPart ? `${failedPart.name} ${failedPart.status}: ${failedPart.reason}` : 'every component up'}`);
    if (opts.target === 'journal' && (seen === null || component(ready, 'journal')?.status !== 'down' || ready.httpStatus !== 503)) {
      violations.push(`/ready does not report the failed journal: ${JSON.stringify(ready)}`);
    }
    if (opts.target === 'store' && (seen === null || component(ready, 'fix-stores')?.status !== 'degraded')) {
      violations.push(`/ready does not report the failed session stores: ${JSON.stringify(ready)}`);
    }
    const logLines = venue.logs.filter((l) => l.level === 'error').map((l) => String(l.message));
    log(`  errors logged: ${[...new Set(logLines)].join(' | ')}`);
    if (!logLines.some((m) => m.includes(opts.target === 'journal' ? 'journal' : 'store'))) violations.push(`no error logged about the ${opts.target}`);
    await new Promise((r) => setTimeout(r, opts.fullMs));
    const refusals = rejects.slice(rejectsBefore);
    const texts = [...new Set(refusals.map((m) => m.get(58) ?? ''))];
    log(`  ${refusals.length} orders refused while full: ${texts.slice(0, 3).join(' | ')}`);

    // The disk is cleared.
    rmSync(flag);
    const clearedAt = Date.now();
    trying = false;
    await retry;
    if (opts.target === 'journal') {
      // By design the journal stays refused until a restart (its core ran ahead of it); the restart replays it.
      fleet.stop();
      await venue.stop().catch(async () => {
        await venue.kill('SIGKILL');
      });
      await venue.start();
    }
    const recoveredAt = await fleet.reconnectAll(30_000);
    await waitForReadiness(venue, (r) => r.components.every((c) => c.status === 'up'), 30_000);
    fleet.start(opts.rate);
    await new Promise((r) => setTimeout(r, 800));
    const final = await finalChecks(fleet, venue, config, redis.url, log);
    violations.push(...final.violations);
    return {
      rows: [
        {
          scenario: `disk full under the ${opts.target === 'journal' ? 'command journal' : 'FIX session stores'}`,
          durationMs: Date.now() - started,
          orders: fleet.ordersSent,
          faults: 1,
          lost: final.lost,
          duplicates: final.duplicates,
          maxRecoveryMs: recoveredAt - clearedAt,
          notes: `${refusals.length} refused while full (${Math.round((clearedAt - fullAt) / 100) / 10} s)`,
        },
      ],
      violations,
    };
  } finally {
    fleet.stop();
    for (const c of fleet.clients) c.close();
    if (venue.running) await venue.kill('SIGKILL');
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
