// npm run bench:clearing — can clearing keep up with the venue? Settles BENCH_TRADES (default 1,000,000)
// trades through the real execution record, the real BullMQ queue and real workers against a private
// redis-server, and compares the rate with the venue's peak trade rate: the FIX benchmark's goal is
// 250,000 orders/s, which with its alternating buy/sell flow is at most ~125,000 trades/s.
//
// Rows (each a median over BENCH_ROUNDS rounds, default 3; Redis is emptied between rounds):
//   record ingest             the venue-thread cost: ExecutionRecord.onEvent for every trade + the writes
//   settle compute only       parse + net + fees of the batches in this process, no Redis: the CPU floor
//   redis floor               the batches' lines written with plain pipelined HSETs: the Redis floor
//   enqueue only              the venue side: record → batches → BullMQ jobs (no workers running)
//   queue + settle, …         end to end: enqueue, workers fetch, settle (Lua), until every trade is settled
//
// Besides trades/s (wall clock) each row shows the CPU µs per trade spent in this process, which plays the
// venue: with separate worker processes, that is what clearing costs the venue itself.
//
// Environment: BENCH_TRADES, BENCH_ROUNDS, BENCH_BATCH (trades per job, default 5000),
// BENCH_WORKER_PROCS (separate worker processes for the last row, default 2), BENCH_CONCURRENCY (jobs per
// worker at a time, default 2), BENCH_STAGES (some of ingest,compute,floor,enqueue,inproc,procs; default all).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { AssetScales } from '../src/clearing/asset-scales.js';
import { ClearingService } from '../src/clearing/clearing-service.js';
import { ClearingWorkers } from '../src/clearing/clearing-workers.js';
import { FeeSchedule } from '../src/clearing/fees.js';
import { parseBatchLines } from '../src/clearing/settle-batch.js';
import { settleTrades } from '../src/clearing/settlement.js';
import type { ClearingSettings } from '../src/config/clearing-section.js';
import { loadVenueConfig } from '../src/config/load-config.js';
import { ExecutionRecord } from '../src/records/execution-record.js';
import { cutBatches } from '../src/clearing/enqueue-steps.js';
import { OrderStatus, OrdType, Side, TimeInForce } from '../src/venue/model/enums.js';
import type { OrderView, TradeEvent } from '../src/venue/model/events.js';
import type { InstrumentSpec } from '../src/venue/model/instrument.js';
import { startTestRedis } from '../test/support/redis-server.js';

const TRADES = Number(process.env.BENCH_TRADES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const WORKER_PROCS = Number(process.env.BENCH_WORKER_PROCS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const STAGES = new Set((process.env.BENCH_STAGES ?? 'ingest,compute,floor,enqueue,inproc,procs').split(','));
const VENUE_PEAK_TRADES = 125_000;
const DATE = '2025-03-04';
const T0 = Date.UTC(2025, 2, 4, 10);

const INSTRUMENT: InstrumentSpec = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 5, tickSize: 1, lotSize: 1, minQty: 1,
  maxQty: 10 ** 12, minNotional: 0, priceBandPercent: 0, referencePrice: 0, status: 'open',
};
const FIRMS = ['BENCH1', 'BENCH2'];
const ACCOUNTS = [['BENCH1', 'B1-A'], ['BENCH1', 'B1-B'], ['BENCH2', 'B2-A'], ['BENCH2', 'B2-B']] as const;

function settings(dir: string, over: Partial<ClearingSettings> = {}): ClearingSettings {
  return {
    enabled: true, queue: 'clearing', batch: { maxTrades: BATCH, maxDelayMs: 50 },
    workers: { inProcess: false, concurrency: CONCURRENCY, lockDurationMs: 30_000, stalledIntervalMs: 15_000 },
    retry: { attempts: 8, backoffMs: 1000 }, keepCompletedJobs: 100, retentionDays: 1, reportsDir: path.join(dir, 'reports'),
    endOfDay: { hour: 0, minute: 10 }, reportTimeoutMs: 60_000,
    fees: { default: { maker: 10_000, taker: 50_000 }, firms: { BENCH2: { maker: -2_000, taker: 40_000 } } }, assetDecimals: {},
    ...over,
  };
}

/** One reused trade event, changed in place per trade, as the core reuses its event objects. */
function tradeFeeder(): (i: number) => TradeEvent {
  const order = (): OrderView => ({
    orderId: 0, session: '', firm: '', account: '', clOrdId: '', origClOrdId: '', symbol: 'BTCUSDT', side: Side.Buy, ordType: OrdType.Limit,
    timeInForce: TimeInForce.GTC, price: 0, stopPx: 0, qty: 0, cumQty: 0, leavesQty: 0, cumNotional: 0, maxFloor: 0, expireTime: 0,
    status: OrderStatus.Filled, time: T0, visibleQty: 0, minQty: 0, postOnly: false, triggered: false, decrementedQty: 0,
  });
  const maker = order() as { -readonly [K in keyof OrderView]: OrderView[K] };
  const taker = order() as { -readonly [K in keyof OrderView]: OrderView[K] };
  const e: TradeEvent = { type: 'trade', seq: 0, commandSeq: 0, time: T0, matchId: 0, symbol: 'BTCUSDT', price: 0, qty: 0, aggressorSide: Side.Buy, maker, taker };
  return (i) => {
    const m = ACCOUNTS[i % 4]!;
    const t = ACCOUNTS[(i + 1) % 4]!;
    const makerSide = i % 2 === 0 ? Side.Buy : Side.Sell;
    e.seq = 3 * i + 2; // other events (accepted, book deltas) between trades
    e.commandSeq = 2 * i + 2;
    e.time = T0 + Math.floor(i / 100);
    e.matchId = i + 1;
    e.price = 6_000_000 + (i % 200) - 100;
    e.qty = 1 + (i % 1000);
    e.aggressorSide = makerSide === Side.Buy ? Side.Sell : Side.Buy;
    for (const [o, who, side, id] of [[maker, m, makerSide, 2 * i + 1], [taker, t, e.aggressorSide, 2 * i + 2]] as const) {
      o.orderId = id;
      o.session = who[0];
      o.firm = who[0];
      o.account = who[1];
      o.clOrdId = `c${id}`;
      o.side = side;
      o.price = e.price;
      o.qty = e.qty;
      o.cumQty = e.qty;
    }
    return e;
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One measured round: trades per wall-clock second, and CPU µs per trade spent in this (the venue's) process. */
interface Sample {
  rate: number;
  cpuUs: number;
}

function stopwatch(): () => Sample {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { rate: TRADES / ((performance.now() - t0) / 1000), cpuUs: (c.user + c.system) / TRADES };
  };
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A venue config file for `npm run worker` processes: the bench profile pointed at the private Redis. */
function workerConfig(dir: string, redisUrl: string): string {
  const c = JSON.parse(fs.readFileSync('config/bench.json', 'utf8')) as Record<string, Record<string, unknown>>;
  c.venue!.redisUrl = redisUrl;
  c.venue!.dataDir = dir;
  c.venue!.log = { level: 'info', format: 'text' }; // the bench waits for the worker's "ready" line
  c.fix!.dictionary = path.resolve('fix-dictionaries/FIX44.xml');
  c.firms = FIRMS.map((id) => ({ id, accounts: ACCOUNTS.filter((a) => a[0] === id).map((a) => a[1]), selfTradePrevention: 'none' })) as never;
  c.sessions = [] as never;
  delete c.risk; // the bench profile's limits name its own firm; the workers do not need them
  c.instruments = [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01', lotSize: '0.00001', maxQty: '10000000' }] as never;
  c.clearing = {
    batch: { maxTrades: BATCH, maxDelayMs: 50 }, workers: { inProcess: false, concurrency: CONCURRENCY }, keepCompletedJobs: 100, retentionDays: 1,
    fees: { default: { maker: '0.0001', taker: '0.0005' }, firms: { BENCH2: { maker: '-0.00002', taker: '0.0004' } } },
  };
  const file = path.join(dir, 'worker-config.json');
  fs.writeFileSync(file, JSON.stringify(c));
  loadVenueConfig(file, {}); // fail here, clearly, if the generated config is wrong
  return file;
}

function startWorkerProcess(configFile: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/clearing/worker-main.ts', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (out.includes('clearing worker ready')) resolve(proc);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`worker process exited (${code}): ${out}`)));
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-clearing-'));
  const redis = await startTestRedis();
  const admin = new Redis(redis.url);
  const rows: Array<[string, string, string, Sample[]]> = [];
  const feed = tradeFeeder();
  let record: ExecutionRecord | null = null;
  const workerProcs: ChildProcess[] = [];
  try {
    console.log(`clearing benchmark: ${fmt(TRADES)} trades per round, ${ROUNDS} rounds, batches of ${fmt(BATCH)}; ${os.cpus().length} CPUs, private redis-server`);

    // 1. Record ingest (the only part on the venue's thread per trade).
    const ingest: Sample[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await record?.close();
      fs.rmSync(path.join(dir, 'records'), { recursive: true, force: true });
      record = new ExecutionRecord({ dir: path.join(dir, 'records'), instruments: [INSTRUMENT], fsync: false, memoryTrades: Number(process.env.BENCH_MEMORY_TRADES ?? TRADES + 1) });
      await record.open();
      const done = stopwatch();
      for (let i = 0; i < TRADES; i++) {
        record.onEvent(feed(i));
        if (i % 5000 === 4999) await new Promise((res) => setImmediate(res)); // a turn boundary: one write per turn
      }
      await record.flush();
      ingest.push(done());
    }
    if (STAGES.has('ingest')) rows.push(['record ingest (venue thread, per-turn writes)', '-', '-', ingest]);
    const rec = record!;
    const lines = await rec.tradeLinesAfter(0, TRADES);
    const batches = cutBatches(lines, BATCH, true);

    // 2. Settlement compute only.
    const ctx = { instruments: new Map([[INSTRUMENT.symbol, INSTRUMENT]]), scales: new AssetScales([INSTRUMENT]), fees: new FeeSchedule(settings(dir).fees) };
    const compute: Sample[] = [];
    for (let r = 0; r < (STAGES.has('compute') ? ROUNDS : 0); r++) {
      const done = stopwatch();
      for (const b of batches) settleTrades(parseBatchLines(b, b.lines), ctx);
      compute.push(done());
    }
    if (STAGES.has('compute')) rows.push(['settlement compute only (no Redis)', String(BATCH), '1 thread', compute]);

    // 3. Redis floor: the batch payloads written with pipelined HSETs.
    const floor: Sample[] = [];
    for (let r = 0; r < (STAGES.has('floor') ? ROUNDS : 0); r++) {
      await admin.flushall();
      const done = stopwatch();
      for (let i = 0; i < batches.length; i += 20) {
        const p = admin.pipeline();
        for (const b of batches.slice(i, i + 20)) p.hset('floor', `${b.from}-${b.to}`, b.lines);
        await p.exec();
      }
      floor.push(done());
    }
    if (STAGES.has('floor')) rows.push(['redis floor (pipelined HSET of the batches)', String(BATCH), '-', floor]);

    // 4. Enqueue only, then 5. end to end with in-process workers, 6. with worker processes.
    const runPipeline = async (workers: 'none' | 'in-process' | 'processes'): Promise<Sample> => {
      await admin.flushall();
      let inProc: ClearingWorkers | null = null;
      if (workers === 'in-process') {
        inProc = new ClearingWorkers({ settings: settings(dir), redisUrl: redis.url, instruments: [INSTRUMENT], firms: FIRMS, counterparty: 'VENUE', registry: new Registry() });
        await inProc.start();
      }
      const service = new ClearingService({ settings: settings(dir), redisUrl: redis.url, record: rec, instruments: [INSTRUMENT], firms: FIRMS, counterparty: 'VENUE', registry: new Registry() });
      const done = stopwatch();
      await service.start(); // enqueues every trade of the record (the catch-up path is the live path, in rounds)
      if (workers !== 'none') await until(async () => (await service.dayStatus(DATE)).settled >= TRADES, 'settlement');
      const sample = done();
      await service.stop();
      await inProc?.stop();
      return sample;
    };
    const measure = async (label: string, batchLabel: string, workersLabel: string, workers: 'none' | 'in-process' | 'processes'): Promise<void> => {
      const samples: Sample[] = [];
      for (let r = 0; r < ROUNDS; r++) samples.push(await runPipeline(workers));
      rows.push([label, batchLabel, workersLabel, samples]);
      console.log(`  ${label}: ${samples.map((x) => fmt(x.rate)).join(', ')} trades/s`);
    };
    if (STAGES.has('enqueue')) await measure('enqueue only (record → BullMQ jobs)', String(BATCH), 'none', 'none');
    if (STAGES.has('inproc')) await measure('queue + settle, workers in the venue process', String(BATCH), `1 × conc ${CONCURRENCY}`, 'in-process');
    if (WORKER_PROCS > 0 && STAGES.has('procs')) {
      const cfg = workerConfig(dir, redis.url);
      for (let i = 0; i < WORKER_PROCS; i++) workerProcs.push(await startWorkerProcess(cfg));
      await measure(`queue + settle, ${WORKER_PROCS} worker processes`, String(BATCH), `${WORKER_PROCS} × conc ${CONCURRENCY}`, 'processes');
    }

    const w = [46, 6, 11, 18, 19, 12, 16];
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
    console.log('');
    console.log(line(['stage', 'batch', 'workers', 'trades/s (median)', 'min..max', `vs ${fmt(VENUE_PEAK_TRADES)}/s`, 'venue CPU µs/tr']));
    console.log('-'.repeat(w.reduce((a, b) => a + b + 2, -2)));
    for (const [label, batch, workers, samples] of rows) {
      const rates = samples.map((x) => x.rate);
      const m = median(rates);
      const cpu = median(samples.map((x) => x.cpuUs));
      console.log(line([label, batch, workers, fmt(m), `${fmt(Math.min(...rates))}..${fmt(Math.max(...rates))}`, `${(m / VENUE_PEAK_TRADES).toFixed(2)}×`, cpu.toFixed(2)]));
    }
    console.log('');
    console.log(`venue peak: the FIX benchmark goal of 250,000 orders/s with alternating buy/sell is at most ${fmt(VENUE_PEAK_TRADES)} trades/s.`);
    console.log('venue CPU µs/tr: CPU time of this process per trade (user + system), i.e. what clearing costs the venue process;');
    console.log('  with separate worker processes that is the record and the enqueuer only.');
  } finally {
    for (const p of workerProcs) {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('exit', r));
    }
    await record?.close();
    admin.disconnect();
    await redis.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
