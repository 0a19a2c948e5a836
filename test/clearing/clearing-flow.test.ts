import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { formatUnits } from '../../src/clearing/amounts.js';
import { ClearingService } from '../../src/clearing/clearing-service.js';
import { ClearingKeys } from '../../src/clearing/clearing-keys.js';
import { JOB_END_OF_DAY, JOB_SETTLE, END_OF_DAY_SCHEDULER, settleJobId, type SettleJobData } from '../../src/clearing/clearing-jobs.js';
import { addSettleJobs, cutBatches, writeIntent } from '../../src/clearing/enqueue-steps.js';
import { createClearingProcessor } from '../../src/clearing/clearing-processor.js';
import type { ClearingReport } from '../../src/clearing/clearing-report.js';
import { ClearingStore } from '../../src/clearing/clearing-store.js';
import { processorDeps, workerOptions } from '../../src/clearing/clearing-workers.js';
import type { SettleOutcome } from '../../src/clearing/settle-batch.js';
import type { ClearingSettings } from '../../src/config/clearing-section.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import { INSTRUMENTS } from '../records/support/events.js';
import { ClearingWatch, FIRMS, HAND_FEES, HAND_INSTRUCTIONS, clearingSettings, dumpDay, handCase, openRecord, useClearingSuite } from './support/harness.js';

const DATE = '2025-03-04';

describe('clearing: queue, settlement jobs and clearing reports (real redis-server and BullMQ)', function () {
  this.timeout(60_000);
  const t = useClearingSuite('venue-clearing-');
  let record: ExecutionRecord;
  let registry: Registry;
  let watch: ClearingWatch;

  beforeEach(async () => {
    watch = new ClearingWatch();
    const r = await openRecord(path.join(t.dir, 'records'));
    record = r;
    t.stops.push(() => r.close());
    registry = new Registry();
  });

  async function startService(over: Partial<ClearingSettings> = {}): Promise<ClearingService> {
    const s = new ClearingService({
      settings: clearingSettings(path.join(t.dir, 'reports'), over), redisUrl: t.redis.url, record, instruments: INSTRUMENTS, firms: FIRMS,
      counterparty: 'VENUE', registry, observer: watch,
    });
    t.stops.push(() => s.stop());
    await s.start();
    return s;
  }

  const read = (...p: string[]): string => fs.readFileSync(path.join(t.dir, 'reports', 'clearing', ...p), 'utf8');

  it('settles a batch into the netted instructions and writes the clearing report files exactly', async () => {
    const clearing = await startService();
    for (const e of handCase()) record.onEvent(e);
    await watch.settledThrough(3, 30);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: 3, settled: 3 });

    const store = new ClearingStore(t.admin, new ClearingKeys('clearing'));
    const batch = await store.batch(DATE, settleJobId(10, 30));
    expect(batch!.result.fees.map((f) => formatUnits(BigInt(f), 7))).to.deep.equal(HAND_FEES);
    expect(batch!.result.instructions).to.deep.equal(HAND_INSTRUCTIONS);
    expect(batch!.lines.split('\n').filter(Boolean).map((l) => l.split('\t')[1])).to.deep.equal(['10', '20', '30']);

    const summary = await clearing.runClearingReport(DATE, 'F1');
    expect(summary).to.deep.include({ tradeDate: DATE, firm: 'F1', tradeCount: 3, complete: true });
    const CRLF = '\r\n';
    expect(read(DATE, 'F1', 'trades.csv')).to.equal([
      'trade_date,seq,match_id,time,symbol,price,qty,notional,aggressor_side,fee_asset,buy_firm,buy_account,buy_clordid,buy_order_id,buy_role,buy_fee,sell_firm,sell_account,sell_clordid,sell_order_id,sell_role,sell_fee',
      '2025-03-04,10,10,2025-03-04T10:00:00.000Z,BTCUSDT,60000.00,0.50000,30000.0000000,sell,USDT,F1,A1,o1,1,maker,3.0000000,F2,,,,taker,',
      '2025-03-04,20,20,2025-03-04T10:00:01.000Z,BTCUSDT,60001.23,0.00007,4.2000861,buy,USDT,F1,A1,o4,4,taker,0.0021001,F1,A2,o3,3,maker,0.0004201',
      '2025-03-04,30,30,2025-03-04T10:00:02.000Z,ETHUSDT,3000.50,2.0001,6001.3000500,buy,USDT,F1,A2,o6,6,taker,3.0006501,F2,,,,maker,',
      '',
    ].join(CRLF));
    expect(read(DATE, 'F1', 'positions.csv')).to.equal([
      'trade_date,firm,account,asset,received,delivered,fees,net',
      '2025-03-04,F1,A1,BTC,0.50007,0.00000,0.00000,0.50007',
      '2025-03-04,F1,A1,USDT,0.0000000,30004.2000861,3.0021001,-30007.2021862',
      '2025-03-04,F1,A2,BTC,0.00000,0.00007,0.00000,-0.00007',
      '2025-03-04,F1,A2,ETH,2.0001,0.0000,0.0000,2.0001',
      '2025-03-04,F1,A2,USDT,4.2000861,6001.3000500,3.0010702,-6000.1010341',
      '',
    ].join(CRLF));
    expect(read(DATE, 'F1', 'instructions.csv')).to.equal([
      'instruction_id,trade_date,firm,account,asset,direction,amount,counterparty',
      '2025-03-04-F1-A1-BTC,2025-03-04,F1,A1,BTC,receive,0.50007,VENUE',
      '2025-03-04-F1-A1-USDT,2025-03-04,F1,A1,USDT,deliver,30007.2021862,VENUE',
      '2025-03-04-F1-A2-BTC,2025-03-04,F1,A2,BTC,deliver,0.00007,VENUE',
      '2025-03-04-F1-A2-ETH,2025-03-04,F1,A2,ETH,receive,2.0001,VENUE',
      '2025-03-04-F1-A2-USDT,2025-03-04,F1,A2,USDT,deliver,6000.1010341,VENUE',
      '',
    ].join(CRLF));

    const json = JSON.parse(read(DATE, 'F1', 'report.json')) as ClearingReport;
    expect(json).to.deep.include({ format: 'clearing-report', version: 1, tradeDate: DATE, firm: 'F1', complete: true, enqueuedTrades: 3, settledTrades: 3, tradeCount: 3 });
    expect(json.scales).to.deep.equal({ BTC: 5, ETH: 4, USDT: 7 });
    expect(json.trades![1]).to.deep.equal({
      seq: 20, matchId: 20, time: '2025-03-04T10:00:01.000Z', symbol: 'BTCUSDT', price: '60001.23', qty: '0.00007', notional: '4.2000861',
      aggressorSide: 'buy', feeAsset: 'USDT',
      buy: { firm: 'F1', account: 'A1', clOrdId: 'o4', orderId: '4', role: 'taker', fee: '0.0021001' },
      sell: { firm: 'F1', account: 'A2', clOrdId: 'o3', orderId: '3', role: 'maker', fee: '0.0004201' },
    });
    expect(json.instructions.map((i) => i.amount)).to.deep.equal(['0.50007', '30007.2021862', '0.00007', '2.0001', '6000.1010341']);
    // The Redis copy for the admin API is the same report.
    expect(await clearing.clearingReport(DATE, 'F1')).to.deep.equal(json);

    // The other firm sees its own side, and only the firm id of F1's side.
    await clearing.runClearingReport(DATE, 'F2');
    const f2 = read(DATE, 'F2', 'trades.csv').split(CRLF);
    expect(f2[1]).to.equal('2025-03-04,10,10,2025-03-04T10:00:00.000Z,BTCUSDT,60000.00,0.50000,30000.0000000,sell,USDT,F1,,,,maker,,F2,B1,o2,2,taker,12.0000000');
    expect(f2[2]).to.equal('2025-03-04,30,30,2025-03-04T10:00:02.000Z,ETHUSDT,3000.50,2.0001,6001.3000500,buy,USDT,F1,,,,taker,,F2,B1,o5,5,maker,-0.1200260');
    expect(f2).to.have.length(4);
    expect((await clearing.clearingReports()).map((r) => `${r.tradeDate} ${r.firm}`).sort()).to.deep.equal([`${DATE} F1`, `${DATE} F2`]);
  });

  it('cuts batches per N trades or T ms, never across a trade date, and settles every trade once', async () => {
    const clearing = await startService({ batch: { maxTrades: 4, maxDelayMs: 30 } });
    const [t1, t2, t3] = handCase();
    const events = [];
    for (let i = 0; i < 10; i++) events.push({ ...[t1!, t2!, t3!][i % 3]!, seq: 100 + i, matchId: 100 + i, time: t1!.time + i });
    // Two trades of the next day.
    events.push({ ...t1!, seq: 200, matchId: 200, time: Date.UTC(2025, 2, 5, 1) }, { ...t2!, seq: 201, matchId: 201, time: Date.UTC(2025, 2, 5, 2) });
    for (const e of events) record.onEvent(e);
    await watch.settledThrough(12, 201);
    expect((await clearing.dayStatus(DATE)).settled + (await clearing.dayStatus('2025-03-05')).settled).to.equal(12);
    const ids = [...(await new ClearingStore(t.admin, new ClearingKeys('clearing')).batchIds(DATE))].sort();
    expect(ids).to.deep.equal(['settle-100-103', 'settle-104-107', 'settle-108-109']);
    expect(await new ClearingStore(t.admin, new ClearingKeys('clearing')).batchIds('2025-03-05')).to.deep.equal(['settle-200-201']);
    expect(clearing.lastEnqueued).to.equal(201);
  });

  it('tells its enqueue-fault port (the soak crash points) after each step: the intent, then the job, are in Redis', async () => {
    const keys = new ClearingKeys('clearing');
    const seen: string[] = [];
    const s = new ClearingService({
      settings: clearingSettings(path.join(t.dir, 'reports'), { batch: { maxTrades: 3, maxDelayMs: 5 } }), redisUrl: t.redis.url, record,
      instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry, observer: watch,
      enqueueFaults: {
        after: async (step) => {
          const intent = await t.admin.get(keys.enqueueIntent);
          const job = await s.jobQueue.getJob(settleJobId(10, 30));
          seen.push(`${step} intent=${intent === null ? 'no' : 'yes'} job=${job === undefined ? 'no' : 'yes'}`);
        },
      },
    });
    t.stops.push(() => s.stop());
    await s.start();
    for (const e of handCase()) record.onEvent(e);
    await watch.when('3 trades enqueued', () => watch.lastEnqueued === 30);
    expect(s.lastEnqueued).to.equal(30);
    expect(seen).to.deep.equal(['after-intent intent=yes job=no', 'after-add intent=yes job=yes']);
  });

  it('the same batch enqueued twice is one job, and a settlement applied twice changes nothing', async () => {
    const settings = clearingSettings(path.join(t.dir, 'reports'));
    const queue = new Queue(settings.queue, { connection: { url: t.redis.url } });
    try {
      for (const e of handCase()) record.onEvent(e);
      await record.flush();
      const [batch] = cutBatches(await record.tradeLinesAfter(0, 10), 3, true);
      expect(batch).to.deep.include({ tradeDate: DATE, from: 10, to: 30, count: 3 });
      await writeIntent(t.admin, new ClearingKeys('clearing'), settings, [batch!]);
      await addSettleJobs(queue, settings, [batch!]);
      await addSettleJobs(queue, settings, [batch!]);
      expect(await queue.getJobCounts('waiting')).to.deep.equal({ waiting: 1 });

      // Run the processor by hand on the job twice (a retry after a crash after the script), then a worker.
      const deps = processorDeps({ settings, redisUrl: t.redis.url, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE' }, t.admin);
      const process = createClearingProcessor(deps);
      const job = (await queue.getJob(settleJobId(10, 30)))!;
      expect(await process(job)).to.deep.equal({ batchId: 'settle-10-30', trades: 3, applied: true });
      const once = await dumpDay(t.redis.url, 'clearing', DATE);
      expect(await process(job)).to.deep.equal({ batchId: 'settle-10-30', trades: 3, applied: false });
      expect(await dumpDay(t.redis.url, 'clearing', DATE)).to.deep.equal(once);
      const worker = new Worker(settings.queue, process, workerOptions(settings, t.redis.url));
      const done = new Promise<SettleOutcome>((resolve) => worker.on('completed', (_j, r) => resolve(r as SettleOutcome)));
      void worker.run();
      expect((await done).applied).to.equal(false);
      await worker.close();
      expect(await dumpDay(t.redis.url, 'clearing', DATE)).to.deep.equal(once);
      expect(once[`clearing:day:{${DATE}}:settled`]).to.equal('3');
    } finally {
      await queue.close();
    }
  });

  it('retries a failing job with backoff, parks it in the failed set, and retries it on request', async () => {
    // The reports folder is a file: writing the report fails (ENOTDIR) on every attempt.
    const reports = path.join(t.dir, 'blocked');
    fs.writeFileSync(reports, 'not a folder');
    const clearing = await startService({ reportsDir: path.join(reports, 'sub') });
    const failure = await clearing.runClearingReport(DATE, 'F1').then(
      () => expect.fail('the report cannot be written'),
      (err: Error) => err,
    );
    expect(failure.message).to.match(/ENOTDIR|EEXIST/);
    // The caller hears of the failure from Redis (QueueEvents), the worker counts it when its own 'failed' fires.
    await watch.when('the last attempt counted', () => watch.attempts.some((a) => a.name === 'clearing-report' && a.final));
    const failed = await clearing.failedJobs();
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ name: 'clearing-report', attemptsMade: 3, summary: { tradeDate: DATE, firm: 'F1', requireComplete: false } });
    expect(failed[0]!.failedReason).to.match(/ENOTDIR|EEXIST/);
    const metrics = await registry.metrics();
    expect(metrics).to.contain('clearing_job_failures_total{job="clearing-report",final="false"} 2');
    expect(metrics).to.contain('clearing_job_failures_total{job="clearing-report",final="true"} 1');
    expect(metrics).to.contain('clearing_queue_jobs{state="failed"} 1');

    // Ops fix the folder and retry from the admin API.
    fs.rmSync(reports);
    expect(await clearing.retryJob('no-such-job')).to.equal(false);
    expect(await clearing.retryJob(failed[0]!.id)).to.equal(true);
    await watch.attempt(failed[0]!.id, (a) => a.outcome === 'completed');
    expect(fs.existsSync(path.join(reports, 'sub', 'clearing', DATE, 'F1', 'report.json'))).to.equal(true);
    expect(await clearing.failedJobs()).to.deep.equal([]);
    expect(await clearing.retryJob(failed[0]!.id)).to.equal(false); // completed now: nothing to retry
  });

  it('refuses a settle job with garbage data with a clear reason and keeps working', async () => {
    const clearing = await startService({ retry: { attempts: 1, backoffMs: 10 } });
    await clearing.jobQueue.add(JOB_SETTLE, { tradeDate: 'yesterday', from: 'x' } as unknown as SettleJobData, { attempts: 1, jobId: 'settle-1-1' });
    expect(await watch.attempt('settle-1-1')).to.deep.include({ outcome: 'failed', final: true, result: 'settle job data is not { tradeDate, from, to, count }' });
    const failed = await clearing.failedJobs();
    expect(failed.map((f) => [f.id, f.failedReason])).to.deep.equal([['settle-1-1', 'settle job data is not { tradeDate, from, to, count }']]);
    for (const e of handCase()) record.onEvent(e);
    // Settled in Redis comes before the worker's completion is counted in the latency histogram: wait for the latter.
    await watch.settledThrough(3, 30);
    const metrics = await registry.metrics();
    expect(metrics).to.match(/clearing_job_latency_seconds_count\{job="settle"\} [1-9]/);
    expect(metrics).to.contain('clearing_trades_settled_total 3');
    expect(metrics).to.contain('clearing_trades_enqueued_total 3');
    expect(metrics).to.contain('clearing_last_enqueued_seq 30');
  });

  it('stops and starts again on the same metrics registry, carrying on where it stopped', async () => {
    const clearing = await startService();
    const [t1, t2, t3] = handCase();
    record.onEvent(t1!);
    await watch.settledThrough(1, 10);
    await clearing.stop();
    expect(clearing.lastEnqueued).to.equal(10);
    record.onEvent(t2!);
    record.onEvent(t3!);
    await clearing.start();
    await watch.settledThrough(3, 30);
    expect((await clearing.dayStatus(DATE)).settled).to.equal(3);
    expect(clearing.lastEnqueued).to.equal(30);
    const metrics = await registry.metrics();
    expect(metrics).to.contain('clearing_trades_enqueued_total 3');
    expect(metrics).to.contain('clearing_last_enqueued_seq 30');
    expect(metrics).to.contain('clearing_enqueue_lag_trades 0');
  });

  it('schedules the end-of-day run, which reports every firm for the day that ended', async () => {
    const clearing = await startService();
    const scheduler = await clearing.jobQueue.getJobScheduler(END_OF_DAY_SCHEDULER);
    expect(scheduler).to.deep.include({ pattern: '10 0 * * *', tz: 'UTC' });
    for (const e of handCase()) record.onEvent(e);
    await watch.settledThrough(3, 30);
    // The run that was due at 00:10 on the 5th (as the scheduler would add it).
    await clearing.jobQueue.add(JOB_END_OF_DAY, {}, { jobId: 'eod-test', prevMillis: Date.UTC(2025, 2, 5, 0, 10) });
    expect(await watch.attempt('eod-test')).to.deep.include({ outcome: 'completed' });
    expect(await clearing.clearingReports()).to.have.length(3);
    const f3 = (await clearing.clearingReport(DATE, 'F3'))!;
    expect(f3).to.deep.include({ firm: 'F3', tradeCount: 0, complete: true });
    expect(f3.positions).to.deep.equal([]);
    expect(read(DATE, 'F3', 'trades.csv').split('\r\n')).to.have.length(2); // header only
    expect((await clearing.clearingReport(DATE, 'F2'))!.tradeCount).to.equal(2);
  });
});
