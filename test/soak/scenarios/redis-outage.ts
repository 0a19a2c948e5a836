// Scenario 2a: Redis goes away under load and comes back. The venue must keep trading on its in-memory risk
// state (members' orders keep being acknowledged), tell ops (/ready degraded with the reason, write-behind
// metrics, a log line), and once Redis answers again flush what it queued and enqueue what clearing missed, so
// positions and settlement end up exactly as the record says. Two kinds of outage: Redis stopped cleanly with
// its data saved (a restart or failover), and Redis killed without persistence (it comes back empty).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startTestRedis } from '../../support/redis-server.js';
import { finalChecks } from '../harness/final-checks.js';
import { Fleet } from '../harness/fleet.js';
import { component, metricSum, metricsText, waitForReadiness } from '../harness/ops-probe.js';
import type { ScenarioResult } from '../harness/report.js';
import { waitForEnqueued } from '../harness/settlement-wait.js';
import { writeSoakConfig } from '../harness/soak-config.js';
import { VenueProcess } from '../harness/venue-process.js';

export interface RedisOutageOptions {
  seed: number;
  sessions: number;
  rate: number;
  outageMs: number;
  /** true: SHUTDOWN SAVE then restart (data kept); false: SIGKILL a Redis without persistence (comes back empty). */
  keepData: boolean;
  log?: (line: string) => void;
}

export async function runRedisOutage(opts: RedisOutageOptions): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'soak-redis-'));
  const redis = await startTestRedis();
  const config = writeSoakConfig({ dir, redisUrl: redis.url, logLevel: 'info' });
  const venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  const fleet = new Fleet(config, venue, { seed: opts.seed, sessions: opts.sessions });
  const violations: string[] = [];
  try {
    await venue.start();
    await fleet.reconnectAll(30_000);
    fleet.start(opts.rate);
    await new Promise((r) => setTimeout(r, 800)); // trading before the outage (a span of load, not a synchronisation)
    // What the empty-Redis check below needs: trades on the queue before Redis goes (a loaded machine may not
    // have cut the first batch within the span above; with none, there is nothing to re-enqueue and no log of it).
    await waitForEnqueued(redis.url, config.clearingQueue, 1, 30_000);

    // The outage.
    if (opts.keepData) {
      const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      admin.on('error', () => {});
      await admin.call('SHUTDOWN', 'SAVE').catch(() => undefined);
      admin.disconnect();
    }
    await redis.stop(true);
    const outageAt = Date.now();
    const reportsBefore = fleet.flows.reduce((n, f) => n + f.orders.size, 0);
    const degraded = await waitForReadiness(venue, (r) => component(r, 'redis')?.status !== 'up', 15_000);
    const redisState = component(degraded.readiness, 'redis')!;
    log(`  outage seen by /ready after ${degraded.at - outageAt} ms: HTTP ${degraded.readiness.httpStatus}, redis ${redisState.status} (${redisState.reason})`);
    if (degraded.readiness.httpStatus !== 200) violations.push(`/ready answered ${degraded.readiness.httpStatus} during a Redis outage (Redis is not critical: trading continues)`);
    await new Promise((r) => setTimeout(r, opts.outageMs));
    const acknowledgedDuringOutage = fleet.flows.reduce((n, f) => n + f.orders.size, 0) - reportsBefore;
    if (acknowledgedDuringOutage === 0) violations.push('no order was acknowledged while Redis was away: trading stopped');
    const metrics = await metricsText(venue);
    const pending = metricSum(metrics, 'risk_write_behind_pending_writes');
    if (!(pending > 0)) violations.push(`risk_write_behind_pending_writes is ${pending} during the outage (the queued writes are not visible to ops)`);
    if (venue.logsWith('redis').length === 0) violations.push('nothing about the Redis outage in the venue log');

    // Redis comes back.
    await redis.restart();
    const backAt = Date.now();
    const up = await waitForReadiness(venue, (r) => r.components.every((c) => c.status === 'up'), 30_000);
    log(`  ${acknowledgedDuringOutage} orders acknowledged during the ${opts.outageMs} ms outage; /ready all up ${up.at - backAt} ms after Redis returned`);
    await new Promise((r) => setTimeout(r, 500));
    const final = await finalChecks(fleet, venue, config, redis.url, log);
    violations.push(...final.violations);
    // Back empty, clearing must have said it enqueues again what the lost Redis had (and how many trades).
    const reEnqueued = venue.logs.filter((l) => /re-enqueuing \d+ trades/.test(JSON.stringify(l)));
    if (!opts.keepData && reEnqueued.length === 0) violations.push('Redis came back empty but clearing logged no re-enqueue of the trades it had lost');
    if (opts.keepData && reEnqueued.length > 0) violations.push(`Redis kept its data but clearing re-enqueued trades: ${JSON.stringify(reEnqueued[0])}`);
    if (reEnqueued.length > 0) log(`  clearing: ${JSON.stringify(reEnqueued[0])}`);
    return {
      rows: [
        {
          scenario: `Redis ${opts.keepData ? 'stopped and restarted (data kept)' : 'killed, back empty'} under load`,
          durationMs: Date.now() - started,
          orders: fleet.ordersSent,
          faults: 1,
          lost: final.lost,
          duplicates: final.duplicates,
          maxRecoveryMs: up.at - backAt,
          notes: `${acknowledgedDuringOutage} orders acked during ${opts.outageMs} ms outage, ${final.trades} trades`,
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
