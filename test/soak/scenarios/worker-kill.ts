// Scenario 2b: clearing workers run as their own processes (`npm run worker`, the venue's in-process workers
// off). Under a steady flow of trades, the worker is SIGKILLed while BullMQ shows one of its jobs active; a new
// worker process takes over the stalled job. Settlement must end exactly as the record says (every trade once,
// the same amounts), and each job that was active at a kill must be completed by the next worker.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { startTestRedis } from '../../support/redis-server.js';
import { finalChecks } from '../harness/final-checks.js';
import { Fleet } from '../harness/fleet.js';
import type { ScenarioResult } from '../harness/report.js';
import { writeSoakConfig } from '../harness/soak-config.js';
import { VenueProcess } from '../harness/venue-process.js';

export interface WorkerKillOptions {
  seed: number;
  sessions: number;
  rate: number;
  kills: number;
  log?: (line: string) => void;
}

/** `npm run worker` for this config, started; resolves once it says it is ready. */
async function startWorker(configFile: string, redisUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/clearing/worker-main.ts', '--config', configFile], {
    env: { ...process.env, REDIS_URL: redisUrl, LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready: ${output}`)), 30_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('clearing worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited ${code}: ${output}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function runWorkerKill(opts: WorkerKillOptions): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'soak-worker-'));
  const redis = await startTestRedis();
  // Big batches make jobs long enough to be caught active.
  const config = writeSoakConfig({ dir, redisUrl: redis.url, logLevel: 'warn', inProcessWorkers: false, batch: { maxTrades: 400, maxDelayMs: 150 } });
  const venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  const fleet = new Fleet(config, venue, { seed: opts.seed, sessions: opts.sessions });
  const queue = new Queue(config.clearingQueue, { connection: { url: redis.url } as never });
  const violations: string[] = [];
  const recoveries: number[] = [];
  let worker: ChildProcess | null = null;
  try {
    await venue.start();
    worker = await startWorker(config.file, redis.url);
    await fleet.reconnectAll(30_000);
    fleet.start(opts.rate);
    let kills = 0;
    const deadline = Date.now() + 60_000;
    while (kills < opts.kills && Date.now() < deadline) {
      const active = await queue.getActive();
      if (active.length === 0) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      await killHard(worker!);
      const killedAt = Date.now();
      kills++;
      const ids = active.map((j) => j.id!);
      worker = await startWorker(config.file, redis.url);
      // The next worker finishes what the dead one held (BullMQ moves the stalled job back once its lock expires).
      for (;;) {
        const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
        if (states.every((s) => s === 'completed')) break;
        if (states.some((s) => s === 'failed')) {
          violations.push(`job ${ids.join(',')} failed after its worker was killed: ${states.join(',')}`);
          break;
        }
        if (Date.now() - killedAt > 30_000) {
          violations.push(`job ${ids.join(',')} not completed 30 s after its worker was killed (${states.join(',')})`);
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      recoveries.push(Date.now() - killedAt);
      log(`  worker killed with job ${ids.join(',')} active; completed by the next worker ${Date.now() - killedAt} ms later`);
    }
    if (kills < opts.kills) violations.push(`only ${kills} of ${opts.kills} kills found a job active`);
    const final = await finalChecks(fleet, venue, config, redis.url, log);
    violations.push(...final.violations);
    return {
      rows: [
        {
          scenario: 'BullMQ worker process SIGKILLed mid-job',
          durationMs: Date.now() - started,
          orders: fleet.ordersSent,
          faults: kills,
          lost: final.lost,
          duplicates: final.duplicates,
          maxRecoveryMs: recoveries.length > 0 ? Math.max(...recoveries) : null,
          notes: `${final.trades} trades settled by ${kills + 1} worker processes`,
        },
      ],
      violations,
    };
  } finally {
    fleet.stop();
    for (const c of fleet.clients) c.close();
    if (worker) await killHard(worker);
    await queue.close();
    if (venue.running) await venue.kill('SIGKILL');
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
