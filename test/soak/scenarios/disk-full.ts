// Scenario 2c: the disk under the command journal, or under the FIX session stores, fills up while members trade
// (the failpoint module makes every write, and the venue's probe of the directory, fail with ENOSPC while a flag
// file exists; no privileges needed). The venue must not acknowledge what it cannot persist: orders get a clear
// reject (journal), or the session is disconnected and its logons refused (store: not even a reject can be
// stored); ops see it (/ready says the recovery is automatic, the log says what failed), and once the disk is
// cleared the venue restarts itself in-process (src/app/venue-supervisor.ts) — journal replay, reports the stores
// lack derived again — with no restart from outside, nothing acknowledged lost and no report delivered twice.

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
    const failedPart = opts.target === 'journal' ? component(ready, 'journal') : component(ready, 'fix-stores');
    log(`  disk full (${opts.target}): /ready HTTP ${ready.httpStatus} ${ready.status}; ${failedPart ? `${failedPart.name} ${failedPart.status}: ${failedPart.reason}` : 'every component up'}`);
    if (opts.target === 'journal' && (seen === null || failedPart?.status !== 'down' || ready.httpStatus !== 503)) {
      violations.push(`/ready does not report the failed journal: ${JSON.stringify(ready)}`);
    }
    if (opts.target === 'store' && (seen === null || failedPart?.status !== 'degraded')) {
      violations.push(`/ready does not report the failed session stores: ${JSON.stringify(ready)}`);
    }
    if (failedPart !== undefined && !failedPart.reason.includes('automatically')) violations.push(`/ready does not say the recovery is automatic: ${failedPart.reason}`);
    const logLines = venue.logs.filter((l) => l.level === 'error').map((l) => String(l.message));
    log(`  errors logged: ${[...new Set(logLines)].join(' | ')}`);
    if (!logLines.some((m) => m.includes(opts.target === 'journal' ? 'journal' : 'store'))) violations.push(`no error logged about the ${opts.target}`);
    await new Promise((r) => setTimeout(r, opts.fullMs));
    const refusals = rejects.slice(rejectsBefore);
    const texts = [...new Set(refusals.map((m) => m.get(58) ?? ''))];
    log(`  ${refusals.length} orders refused while full: ${texts.slice(0, 3).join(' | ')}`);
    const refusedLogons = venue.logs.filter((l) => String(l.message).includes('session store unavailable')).length;
    if (opts.target === 'store') {
      log(`  ${refusedLogons} logons refused while the stores were failed`);
      if (refusedLogons === 0) violations.push('no logon refusal with "session store unavailable" logged while the stores were failed');
    }

    // The disk is cleared; nobody restarts the venue from outside. It notices by itself (its probe) and restarts
    // in-process, logging its members out; they log on again as any member's engine would.
    const restarted = venue.nextLogWith('venue recovered from a storage fault', 30_000);
    rmSync(flag);
    const clearedAt = Date.now();
    await restarted;
    trying = false;
    await retry;
    const recoveredAt = await fleet.reconnectAll(30_000);
    await waitForReadiness(venue, (r) => r.components.every((c) => c.status === 'up'), 30_000);
    const restarts = venue.logs.filter((l) => String(l.message).startsWith('venue recovered from a storage fault')).length;
    const restartLogouts = fleet.clients.filter((c) => c.logouts.some((t) => t.includes('recover from a storage fault'))).length;
    log(`  recovered in ${recoveredAt - clearedAt} ms (${restarts} in-process restart(s); ${restartLogouts} members told why by a Logout)`);
    if (restarts !== 1) violations.push(`expected one in-process recovery restart, saw ${restarts}`);
    if (opts.target === 'journal' && restartLogouts === 0) violations.push('no member got a Logout saying the venue restarts to recover');
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
          notes: `${opts.target === 'journal' ? `${refusals.length} orders refused` : `${refusedLogons} logons refused`} while full (${Math.round((clearedAt - fullAt) / 100) / 10} s); recovered in-process`,
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
