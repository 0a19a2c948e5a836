import { expect } from 'chai';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { ClearingKeys } from '../../src/clearing/clearing-keys.js';
import { addSettleJobs, cutBatches, writeIntent } from '../../src/clearing/enqueue-steps.js';
import { ClearingService } from '../../src/clearing/clearing-service.js';
import { ClearingStore } from '../../src/clearing/clearing-store.js';
import type { ClearingSettings } from '../../src/config/clearing-section.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import { INSTRUMENTS } from '../records/support/events.js';
import { runChild } from './support/child.js';
import { FIRMS, clearingSettings, openRecord, until, useClearingSuite } from './support/harness.js';
import { tradeStream } from './support/trade-stream.js';

const DATE = '2025-03-04';
const CHILD = path.resolve('test/clearing/support/venue-child.ts');

describe('clearing: restarts of the venue side (record + enqueuer)', function () {
  this.timeout(90_000);
  const t = useClearingSuite('venue-clearing-restart-');

  async function service(record: ExecutionRecord, over: Partial<ClearingSettings>): Promise<ClearingService> {
    const settings = clearingSettings(path.join(t.dir, 'reports'), over);
    const s = new ClearingService({ settings, redisUrl: t.redis.url, record, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry() });
    await s.start();
    t.stops.push(() => s.stop());
    return s;
  }

  /** Every settled trade seq of the date, in batch order, from what settlement stored. */
  async function settledSeqs(): Promise<number[]> {
    const seqs: number[] = [];
    await new ClearingStore(t.admin, new ClearingKeys('clearing')).scanBatches(DATE, (_id, lines) => {
      for (const l of lines.split('\n')) if (l) seqs.push(Number(l.split('\t')[1]));
    });
    return seqs.sort((a, b) => a - b);
  }

  it('finishes an enqueue a crash interrupted exactly as it was cut, before cutting anything new', async () => {
    const record = await openRecord(path.join(t.dir, 'records'));
    t.stops.push(() => record.close());
    const trades = tradeStream(9); // seqs 1000, 1002, ... 1016
    for (const e of trades) record.onEvent(e);
    await record.flush();
    // A previous run cut a short batch (its timer fired after two trades), wrote its intent, added the job,
    // and died before advancing the cursor.
    const settings = clearingSettings(path.join(t.dir, 'reports'));
    const short = cutBatches(await record.tradeLinesAfter(999, 2), 2, true);
    expect(short.map((b) => [b.from, b.to])).to.deep.equal([[1000, 1002]]);
    await writeIntent(t.admin, new ClearingKeys('clearing'), settings, short);
    const queue = new Queue('clearing', { connection: { url: t.redis.url } });
    await addSettleJobs(queue, settings, short);
    await queue.close();

    const clearing = await service(record, { workers: { inProcess: false, concurrency: 1, lockDurationMs: 1000, stalledIntervalMs: 300 } });
    const ids = (await clearing.jobQueue.getJobs(['waiting'])).map((j) => j.id).sort();
    // Not 1000-1004 (a fresh cut), which would settle 1000 and 1002 twice.
    expect(ids).to.deep.equal(['settle-1000-1002', 'settle-1004-1008', 'settle-1010-1014', 'settle-1016-1016']);
    expect(await t.admin.get('clearing:enqueue:intent')).to.equal(null);
    expect(await t.admin.get('clearing:enqueue:last')).to.equal('1016');
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: 9, settled: 0 });
  });

  it('SIGKILLed three times at arbitrary points, it re-enqueues nothing twice and misses nothing', async () => {
    const total = 400;
    let journaled = 0;
    let killedMidStream = 0;
    for (let round = 0; round < 3; round++) {
      const child = runChild(CHILD, [t.redis.url, t.dir, String(total), String(journaled)]);
      await child.waitFor(/^STARTED /);
      const killAt = Math.min(total, journaled + 30 + Math.floor(Math.random() * 120));
      await until(`FED ${killAt}`, () => child.lines.some((l) => l.startsWith('FED ') && Number(l.slice(4)) >= killAt) || child.lines.includes('DONE'));
      await child.kill();
      const fed = child.lines.filter((l) => l.startsWith('FED ')).map((l) => Number(l.slice(4)));
      journaled = Math.max(journaled, ...fed);
      if (!child.lines.includes('DONE')) killedMidStream++;
    }
    expect(killedMidStream, 'kills that landed while trading').to.be.greaterThan(0);
    // The last start: replay what was journaled, trade the rest, with workers settling.
    const record = await openRecord(path.join(t.dir, 'records'));
    t.stops.push(() => record.close());
    const all = tradeStream(total);
    for (const e of all.slice(0, journaled)) record.onEvent(e);
    await record.flush();
    const clearing = await service(record, { batch: { maxTrades: 5, maxDelayMs: 3 } });
    for (const e of all.slice(journaled)) record.onEvent(e);
    await until(`${total} trades settled`, async () => (await clearing.dayStatus(DATE)).settled >= total);
    await until('the queue to drain', async () => (await clearing.queueCounts()).waiting === 0);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: total, settled: total });
    expect(await settledSeqs()).to.deep.equal(all.map((t) => t.seq));
    expect(await clearing.failedJobs()).to.deep.equal([]);
  });
});
