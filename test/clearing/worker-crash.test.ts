import { expect } from 'chai';
import path from 'node:path';
import { Registry } from 'prom-client';
import { ClearingService } from '../../src/clearing/clearing-service.js';
import { ClearingWorkers } from '../../src/clearing/clearing-workers.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import type { TradeEvent } from '../../src/venue/model/events.js';
import { INSTRUMENTS } from '../records/support/events.js';
import { runChild, type Child } from './support/child.js';
import { ClearingWatch, FIRMS, clearingSettings, dumpDay, handCase, openRecord, until, useClearingSuite } from './support/harness.js';

const DATE = '2025-03-04';
const CHILD = path.resolve('test/clearing/support/worker-child.ts');

/** 30 trades: the hand case repeated, seqs 100.., i.e. ten batches of three. */
function trades(): TradeEvent[] {
  const base = handCase();
  return Array.from({ length: 30 }, (_, i) => ({ ...base[i % 3]!, seq: 100 + i, matchId: 100 + i, time: base[0]!.time + i }));
}

/** A day's keys with the queue prefix taken out, so two queues' results can be compared. */
async function day(url: string, prefix: string): Promise<Record<string, unknown>> {
  const d = await dumpDay(url, prefix, DATE);
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k.slice(prefix.length), v]));
}

describe('clearing: a worker killed in the middle of a job', function () {
  this.timeout(60_000);
  const t = useClearingSuite('venue-clearing-crash-');
  let record: ExecutionRecord;
  let child: Child | null = null;

  beforeEach(async () => {
    const r = await openRecord(path.join(t.dir, 'records'));
    record = r;
    t.stops.push(() => r.close());
  });
  afterEach(async () => {
    await child?.kill();
    child = null;
  });

  /** The venue side only (no in-process workers) on the given queue. */
  async function venue(queue: string): Promise<ClearingService> {
    const settings = clearingSettings(path.join(t.dir, 'reports'), { queue, workers: { inProcess: false, concurrency: 1, lockDurationMs: 1000, stalledIntervalMs: 300 } });
    const s = new ClearingService({ settings, redisUrl: t.redis.url, record, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry() });
    await s.start();
    t.stops.push(() => s.stop());
    return s;
  }

  async function workers(queue: string, registry = new Registry(), observer?: ClearingWatch): Promise<ClearingWorkers> {
    const settings = clearingSettings(path.join(t.dir, 'reports'), { queue, workers: { inProcess: true, concurrency: 2, lockDurationMs: 1000, stalledIntervalMs: 300 } });
    const w = new ClearingWorkers({ settings, redisUrl: t.redis.url, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry, observer });
    await w.start();
    t.stops.push(() => w.stop());
    return w;
  }

  for (const point of ['after-apply', 'before-apply'] as const) {
    it(`is retried by another worker with identical results and no duplicates (killed ${point.replace('-', ' ')})`, async () => {
      // A reference run on its own queue, no crash.
      const reference = await venue('reference');
      await workers('reference');
      // The crash run: a child worker takes the first job and dies at the chosen point.
      const crashing = await venue('clearing');
      child = runChild(CHILD, [t.redis.url, path.join(t.dir, 'reports'), point]);
      await child.waitFor(/^READY$/);
      for (const e of trades()) record.onEvent(e);
      const at = await child.waitFor(/^AT /);
      const jobId = at.split(' ')[2]!;
      await child.kill();
      const job = await crashing.jobQueue.getJob(jobId);
      expect(await job!.getState()).to.equal('active'); // locked by a worker that is gone

      const registry = new Registry();
      const watch = new ClearingWatch();
      await workers('clearing', registry, watch);
      // Killed after the script ran: the retry finds the batch applied and changes nothing.
      const already = point === 'after-apply' ? 1 : 0;
      // Wait for these workers to count the jobs (their metrics are read below), not only for Redis to say settled.
      await watch.when(
        'the crash run settled by the new workers, the killed job retried',
        () => watch.settledTrades >= 30 - 3 * already && watch.attempts.some((a) => a.id === jobId && a.outcome === 'completed'),
      );
      await until('the reference run to settle all 30 trades', async () => (await reference.dayStatus(DATE)).settled === 30);
      await until('no job left', async () => {
        const c = await crashing.queueCounts();
        return c.waiting === 0 && c.active === 0; // (the end-of-day run waits, delayed, for 00:10)
      });
      expect(await crashing.dayStatus(DATE)).to.deep.equal({ enqueued: 30, settled: 30 });
      expect(await day(t.redis.url, 'clearing')).to.deep.equal(await day(t.redis.url, 'reference'));
      expect(await crashing.failedJobs()).to.deep.equal([]);
      const retried = await crashing.jobQueue.getJob(jobId);
      expect(await retried!.getState()).to.equal('completed');
      const metrics = await registry.metrics();
      expect(metrics).to.contain(`clearing_batches_already_settled_total ${already}`);
      expect(metrics).to.contain(`clearing_trades_settled_total ${30 - 3 * already}`);
    });
  }
});
