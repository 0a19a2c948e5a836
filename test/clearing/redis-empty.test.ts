// Redis without persistence killed and restarted on the same port comes back empty: the cursor, the day
// counters, the settled batches and positions, the queue and the end-of-day schedule are gone. The enqueuer
// must notice on the reconnect (or when a step finds the cursor moved), enqueue the record's trades again
// from what Redis still has, and every trade must end up settled exactly once in the Redis that is there.

import { expect } from 'chai';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { END_OF_DAY_SCHEDULER } from '../../src/clearing/clearing-jobs.js';
import { ClearingKeys } from '../../src/clearing/clearing-keys.js';
import { ClearingService } from '../../src/clearing/clearing-service.js';
import { ClearingStore } from '../../src/clearing/clearing-store.js';
import { applySettlement } from '../../src/clearing/settle-script.js';
import { CursorMovedError, commitBatches, cutBatches, writeIntent } from '../../src/clearing/enqueue-steps.js';
import type { ClearingSettings } from '../../src/config/clearing-section.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import { INSTRUMENTS } from '../records/support/events.js';
import { FIRMS, clearingSettings, openRecord, until, useClearingSuite } from './support/harness.js';
import { tradeStream } from './support/trade-stream.js';

const DATE = '2025-03-04';
const KEYS = new ClearingKeys('clearing');

describe('clearing: Redis coming back empty', function () {
  this.timeout(90_000);
  const t = useClearingSuite('venue-clearing-empty-');

  interface Started {
    clearing: ClearingService;
    record: ExecutionRecord;
    warnings: string[];
    errors: Error[];
  }

  async function start(over: Partial<ClearingSettings> = {}): Promise<Started> {
    const record = await openRecord(path.join(t.dir, 'records'));
    t.stops.push(() => record.close());
    const warnings: string[] = [];
    const errors: Error[] = [];
    const clearing = new ClearingService({
      settings: clearingSettings(path.join(t.dir, 'reports'), { batch: { maxTrades: 5, maxDelayMs: 5 }, ...over }),
      redisUrl: t.redis.url, record, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry(),
      onError: (e) => errors.push(e), onWarning: (m) => warnings.push(m),
    });
    await clearing.start();
    t.stops.push(() => clearing.stop());
    return { clearing, record, warnings, errors };
  }

  /** Every settled trade seq of the date, from what settlement stored (a seq twice means settled twice). */
  async function settledSeqs(): Promise<number[]> {
    const seqs: number[] = [];
    await new ClearingStore(t.admin, KEYS).scanBatches(DATE, (_id, lines) => {
      for (const l of lines.split('\n')) if (l) seqs.push(Number(l.split('\t')[1]));
    });
    return seqs.sort((a, b) => a - b);
  }

  /** What settlement holds for the date besides its batch ids (which depend on how trades were cut). */
  async function settlementState(): Promise<Record<string, unknown>> {
    return {
      enqueued: await t.admin.get(KEYS.enqueued(DATE)),
      settled: await t.admin.get(KEYS.settled(DATE)),
      positions: await t.admin.hgetall(KEYS.positions(DATE)),
      scales: await t.admin.hgetall(KEYS.scales(DATE)),
      firms: (await t.admin.smembers(KEYS.firms(DATE))).sort(),
    };
  }

  async function settledAll(s: Started, n: number, what: string): Promise<void> {
    await until(what, async () => {
      const day = await s.clearing.dayStatus(DATE);
      return day.enqueued === n && day.settled === n && (await s.clearing.queueCounts()).waiting === 0;
    }, 30_000);
  }

  /** SIGKILL and start again on the same port: nothing was saved, so it is empty. */
  async function killAndRestartEmpty(): Promise<void> {
    await t.redis.stop(true);
    await t.redis.restart();
  }

  it('idle when Redis comes back empty: every trade is enqueued and settled again, once, and the schedule restored', async () => {
    const s = await start();
    const trades = tradeStream(23);
    for (const e of trades) s.record.onEvent(e);
    await settledAll(s, 23, 'the 23 trades settled');
    const before = await settlementState();
    expect(before.settled).to.equal('23');

    await killAndRestartEmpty();
    // No new trade arrives: only the reconnect can tell the enqueuer.
    await settledAll(s, 23, 'the 23 trades settled again in the empty Redis');
    expect(await settlementState()).to.deep.equal(before);
    expect(await settledSeqs()).to.deep.equal(trades.map((x) => x.seq));
    expect(await t.admin.get(KEYS.lastEnqueued)).to.equal(String(trades[22]!.seq));
    expect(s.clearing.lastEnqueued).to.equal(trades[22]!.seq);
    expect(s.warnings).to.have.length(1);
    expect(s.warnings[0]).to.match(/re-enqueuing 23 trades \(seq 1 to 1044\)/).and.match(/enqueue cursor gone, expected 1044/);
    await until('the end-of-day schedule back', async () => (await s.clearing.jobQueue.getJobScheduler(END_OF_DAY_SCHEDULER)) !== undefined);
    expect(await s.clearing.failedJobs()).to.deep.equal([]);

    // And it goes on from there.
    const more = tradeStream(30).slice(23);
    for (const e of more) s.record.onEvent(e);
    await settledAll(s, 30, 'the next 7 trades settled');
    expect(await settledSeqs()).to.deep.equal(tradeStream(30).map((x) => x.seq));
    expect(s.warnings).to.have.length(1);
  });

  it('emptied again and again under a steady stream of trades: each trade settled exactly once in the Redis that is left', async () => {
    const s = await start();
    const total = 600;
    const trades = tradeStream(total);
    let fed = 0;
    const feeding = (async () => {
      while (fed < total) {
        for (const e of trades.slice(fed, fed + 4)) s.record.onEvent(e);
        fed = Math.min(total, fed + 4);
        await new Promise((r) => setTimeout(r, 2)); // a steady flow, not a synchronisation
      }
    })();
    for (const at of [100, 250, 400]) {
      await until(`${at} trades settled`, async () => (await s.clearing.dayStatus(DATE)).settled >= at, 30_000);
      await killAndRestartEmpty();
    }
    await feeding;
    await settledAll(s, total, `all ${total} trades settled`);
    expect(await settledSeqs()).to.deep.equal(trades.map((x) => x.seq));
    expect(await t.admin.get(KEYS.lastEnqueued)).to.equal(String(trades[total - 1]!.seq));
    expect(s.warnings.length).to.be.within(1, 3);
    for (const w of s.warnings) expect(w).to.match(/re-enqueuing \d+ trades/);
    expect(await s.clearing.failedJobs()).to.deep.equal([]);
  });

  it('Redis restarted with its data: nothing is enqueued again', async () => {
    const s = await start();
    const trades = tradeStream(40);
    for (const e of trades.slice(0, 20)) s.record.onEvent(e);
    await settledAll(s, 20, 'the first 20 settled');
    const saver = new Redis(t.redis.url, { maxRetriesPerRequest: 1 });
    saver.on('error', () => {});
    await saver.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    saver.disconnect();
    await t.redis.stop(true);
    await t.redis.restart();
    expect(await t.admin.get(KEYS.lastEnqueued)).to.equal(String(trades[19]!.seq));
    for (const e of trades.slice(20)) s.record.onEvent(e);
    await settledAll(s, 40, 'all 40 settled');
    expect(await settledSeqs()).to.deep.equal(trades.map((x) => x.seq));
    expect(s.warnings).to.deep.equal([]);
  });

  it('the enqueue steps and the settlement write nothing into a Redis that lost what they build on', async () => {
    const record = await openRecord(path.join(t.dir, 'records'));
    t.stops.push(() => record.close());
    for (const e of tradeStream(6)) record.onEvent(e);
    await record.flush();
    const settings = clearingSettings(path.join(t.dir, 'reports'));
    const [first, second] = cutBatches(await record.tradeLinesAfter(0, 10), 3, true);

    // The second batch cut after the first (cursor 1004) meets a Redis without a cursor.
    const err = await writeIntent(t.admin, KEYS, settings, [second!], first!.to).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(CursorMovedError).and.deep.include({ expected: 1004, found: 0 });
    expect(await t.admin.keys('*')).to.deep.equal([]);

    // A commit whose intent is not there (written before Redis was emptied) changes nothing.
    const commit = await commitBatches(t.admin, KEYS, settings, [first!], 0).catch((e: unknown) => e);
    expect(commit).to.be.instanceOf(CursorMovedError);
    expect(await t.admin.keys('*')).to.deep.equal([]);
    await writeIntent(t.admin, KEYS, settings, [first!], 0);
    await commitBatches(t.admin, KEYS, settings, [first!], 0);
    expect(await t.admin.get(KEYS.lastEnqueued)).to.equal('1004');
    expect(await t.admin.get(KEYS.enqueued(DATE))).to.equal('3');
    // The same commit again (ioredis re-sending it after a reconnect) is refused: counted once.
    expect(await commitBatches(t.admin, KEYS, settings, [first!], 0).catch((e: unknown) => e)).to.be.instanceOf(CursorMovedError);
    expect(await t.admin.get(KEYS.enqueued(DATE))).to.equal('3');

    // A settlement of a batch whose lines Redis no longer has (read before it was emptied) is refused.
    await t.admin.flushall();
    const write = {
      date: DATE, batchId: 'settle-1000-1004', result: '{}', count: 3, scales: { BTC: 5 }, firms: ['F1'],
      deltas: [['["F1","A1","BTC","received"]', '50000']] as Array<[string, string]>, retentionSeconds: 60,
    };
    const refused = await applySettlement(t.admin, KEYS, write).catch((e: unknown) => e);
    expect(String(refused)).to.match(/its trades are no longer in Redis/);
    expect(await t.admin.keys('*')).to.deep.equal([]);
  });
});
