// npm run bench:record — what one trade costs the execution record on the venue's event loop: the text format the
// venue used to write (v1) against the binary batched records it writes now (v2), in the same run.
//
// Cases (realistic trades: two parties with session, firm, account and ClOrdID; 4 trades per millisecond; 8 trades
// per event-loop turn):
//   text v1     what the old record's event listener did per trade: the date and ISO time (cached per ms), the line
//               written field by field into a LineBuffer (RecordEncoder), and the line as a string kept in memory for
//               clearing (the old RecentTrades held one string per trade). Its write was later, every 10 ms.
//   binary v2   what the listener does now: the date (cached per day), the record's fixed fields and string bytes
//               into the turn's staging (BinaryRecordEncoder), a copy of the bytes into the in-memory window
//               (RecentTrades); per turn, the batch sealed with one CRC.
//   binary v2 + write  the real ExecutionRecord: onEvent per trade and its end-of-turn synchronous pwrite into the
//               page cache (a temporary file, fsync off), i.e. everything the venue now pays for the record.
// Each round runs every case once, interleaved; the table shows medians over the rounds of CPU ns per trade
// (process.cpuUsage, with the default heap, so the collections a case causes are part of its cost; their count in
// the timed runs is shown), bytes per trade as stored, and heap bytes allocated per trade (measured in a child
// process whose young generation holds a whole run, as heapUsed growth with no collection inside the run).
// Use --rounds=N --trades=N to change the defaults.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { BinaryRecordEncoder } from '../src/records/binary-encoder.js';
import { ExecutionRecord } from '../src/records/execution-record.js';
import { LineBuffer } from '../src/records/line-buffer.js';
import { RecentTrades } from '../src/records/recent-trades.js';
import { RecordEncoder } from './bench/record-text-v1-encoder.js';
import { RecordStaging } from '../src/records/record-staging.js';
import { TradeDateCache } from '../src/records/trade-date.js';
import { OrderStatus, OrdType, Side, TimeInForce } from '../src/venue/model/enums.js';
import type { OrderView, TradeEvent } from '../src/venue/model/events.js';
import type { InstrumentSpec } from '../src/venue/model/instrument.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Options {
  rounds: number;
  trades: number;
  perTurn: number;
}

const ALLOC_ONLY = process.argv.includes('--alloc-child');
const ALLOC_TRADES = 50_000;

function parseArgs(): Options {
  const o: Options = { rounds: 7, trades: 200_000, perTurn: 8 };
  for (const arg of process.argv.slice(2)) {
    if (arg === '--alloc-child') continue;
    const m = /^--(rounds|trades|per-turn)=(\d+)$/.exec(arg);
    if (m === null || Number(m[2]) < 1) throw new Error(`unknown argument ${arg} (use --rounds=N --trades=N --per-turn=N)`);
    o[m[1] === 'per-turn' ? 'perTurn' : (m[1] as 'rounds' | 'trades')] = Number(m[2]);
  }
  return o;
}

const INSTRUMENT: InstrumentSpec = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 5, tickSize: 1, lotSize: 1, minQty: 1,
  maxQty: 10 ** 12, minNotional: 0, priceBandPercent: 0, referencePrice: 0, status: 'open',
};
const T0 = Date.UTC(2026, 11, 8, 10, 0, 0);
const OPTIONS = parseArgs();
const TRADES_PER_TURN = OPTIONS.perTurn;
const MEMORY_TRADES = 200_000;

function orderView(i: number, side: Side, firm: number): OrderView {
  return {
    orderId: 1_000_000 + i, session: `FIRM${String(firm).padStart(2, '0')}-S1`, firm: `FIRM${String(firm).padStart(2, '0')}`,
    account: `ACC-${String(i % 500).padStart(4, '0')}`, clOrdId: `ORD-20261208-${String(i).padStart(7, '0')}`, origClOrdId: '',
    symbol: 'BTCUSDT', side, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC, price: 6_512_345, stopPx: 0, qty: 150_000,
    cumQty: 150_000, leavesQty: 0, cumNotional: 0, maxFloor: 0, expireTime: 0, status: OrderStatus.Filled, time: T0,
    visibleQty: 0, minQty: 0, postOnly: false, triggered: false, decrementedQty: 0,
  };
}

/** A pool of distinct trades; the runs cycle through it, renumbering seq and time. */
const POOL: TradeEvent[] = Array.from({ length: 1024 }, (_, i) => ({
  type: 'trade', seq: 0, commandSeq: 0, time: T0, matchId: 0, symbol: 'BTCUSDT', price: 6_512_345 + (i % 50), qty: 150_000 - i,
  aggressorSide: Side.Sell, maker: orderView(2 * i, Side.Buy, i % 7), taker: orderView(2 * i + 1, Side.Sell, (i + 3) % 7),
}));

function tradeAt(i: number): TradeEvent {
  const t = POOL[i & 1023]!;
  t.seq = i + 1;
  t.commandSeq = i + 1;
  t.matchId = i + 1;
  t.time = T0 + (i >> 2);
  return t;
}

interface Case {
  name: string;
  /** Runs `n` trades from seq `from`; returns the bytes the format stored for them. */
  run(from: number, n: number): number;
}

function textCase(): Case {
  const encoder = new RecordEncoder([INSTRUMENT]);
  const line = new LineBuffer(1 << 16);
  const seqs = new Array<number>(MEMORY_TRADES).fill(0);
  const times = new Array<number>(MEMORY_TRADES).fill(0);
  const lines = new Array<string>(MEMORY_TRADES).fill('');
  return {
    name: 'text v1',
    run(from, n) {
      let bytes = 0;
      for (let i = from; i < from + n; i++) {
        const e = tradeAt(i);
        const date = encoder.times.date(e.time);
        encoder.encode(e, date, line);
        const k = i % MEMORY_TRADES;
        seqs[k] = e.seq;
        times[k] = e.time;
        lines[k] = line.lineText();
        if ((i + 1) % TRADES_PER_TURN === 0) {
          bytes += line.len;
          line.reset();
        }
      }
      bytes += line.len;
      line.reset();
      return bytes;
    },
  };
}

function binaryCase(): Case {
  const encoder = new BinaryRecordEncoder([INSTRUMENT]);
  const dates = new TradeDateCache();
  const staging = new RecordStaging(1 << 16);
  const recent = new RecentTrades(MEMORY_TRADES);
  return {
    name: 'binary v2',
    run(from, n) {
      let bytes = 0;
      for (let i = from; i < from + n; i++) {
        const e = tradeAt(i);
        const date = dates.of(e.time);
        encoder.encode(e, date, staging);
        recent.push(date, staging.buf, staging.currentRecordStart, staging.len);
        if ((i + 1) % TRADES_PER_TURN === 0) {
          staging.seal();
          bytes += staging.len;
          staging.reset();
        }
      }
      staging.seal();
      bytes += staging.len;
      staging.reset();
      return bytes;
    },
  };
}

async function recordCase(dir: string): Promise<Case & { close(): Promise<void> }> {
  const record = new ExecutionRecord({ dir, instruments: [INSTRUMENT], fsync: false, autoFlush: false, memoryTrades: MEMORY_TRADES });
  await record.open();
  const file = path.join(dir, '2026-12-08.rec');
  return {
    name: 'binary v2 + write',
    run(from, n) {
      const before = fs.existsSync(file) ? fs.statSync(file).size : 0;
      for (let i = from; i < from + n; i++) {
        record.onEvent(tradeAt(i));
        if ((i + 1) % TRADES_PER_TURN === 0) void record.flush(); // the end-of-turn write (synchronous inside)
      }
      void record.flush();
      return fs.statSync(file).size - before;
    },
    close: () => record.close(),
  };
}

function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Heap bytes one run of n trades allocates: median of three runs with no collection inside (NaN if one ran). */
async function allocatedPerTrade(c: Case, from: number, n: number, gcs: () => number): Promise<number> {
  const samples: number[] = [];
  for (let k = 0; k < 3; k++) {
    gc();
    for (let t = 0; t < 4; t++) await tick(); // let the observer hear of this gc() first
    const collections = gcs();
    const before = process.memoryUsage().heapUsed;
    c.run(from + k * n, n);
    const after = process.memoryUsage().heapUsed;
    await tick();
    await tick(); // the observer hears of a collection a turn or two later
    samples.push(gcs() === collections ? (after - before) / n : NaN);
  }
  return samples.some((x) => Number.isNaN(x)) ? NaN : median(samples);
}

/** Heap bytes per trade of each case, from a child process with a young generation that holds a whole run. */
function allocationInChild(): number[] {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--min-semi-space-size=64', '--max-semi-space-size=64', '--import', 'tsx', script, '--alloc-child', `--trades=${MEMORY_TRADES}`, `--per-turn=${TRADES_PER_TURN}`], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`allocation child failed: ${child.stderr}`);
  return (JSON.parse(child.stdout) as Array<number | null>).map((a) => a ?? NaN);
}

async function main(): Promise<void> {
  const opts = OPTIONS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-record-'));
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR || kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) collections++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const gcs = (): number => collections;
  const record = await recordCase(dir);
  const cases: Case[] = [textCase(), binaryCase(), record];
  const ns = cases.map(() => [] as number[]);
  const bytes = cases.map(() => 0);
  const gcCount = cases.map(() => 0);
  let seq = 0;
  try {
    // Warm-up: every case compiled and its buffers and in-memory window grown.
    for (const c of cases) {
      c.run(seq, opts.trades);
      seq += opts.trades;
    }
    if (ALLOC_ONLY) {
      const alloc: number[] = [];
      const harness: Case = {
        name: 'harness',
        run(from, n) {
          let x = 0;
          for (let i = from; i < from + n; i++) x += tradeAt(i).seq;
          return x;
        },
      };
      for (const c of [...cases, harness]) {
        alloc.push(await allocatedPerTrade(c, seq, ALLOC_TRADES, gcs));
        seq += 3 * ALLOC_TRADES;
      }
      process.stdout.write(JSON.stringify(alloc.map((a) => (Number.isNaN(a) ? null : a))));
      return;
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const [k, c] of cases.entries()) {
        await tick();
        await tick();
        const g = collections;
        const t = cpuNs();
        bytes[k] = c.run(seq, opts.trades);
        ns[k]!.push((cpuNs() - t) / opts.trades);
        await tick();
        await tick(); // the observer hears of the run's collections a turn or two later
        gcCount[k]! += collections - g;
        seq += opts.trades;
      }
    }
    const alloc = allocationInChild();

    const text = median(ns[0]!);
    console.log(`execution record, cost per trade (${opts.rounds} rounds of ${opts.trades.toLocaleString('en-US')} trades, ${TRADES_PER_TURN} trades per turn; node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)})`);
    console.log('');
    console.log('case                 CPU ns/trade (median)   vs text v1   bytes/trade   heap bytes allocated/trade   GCs in timed runs');
    cases.forEach((c, k) => {
      const m = median(ns[k]!);
      const ratio = k === 0 ? '1.00x' : `${(text / m).toFixed(2)}x faster`;
      const a = Number.isNaN(alloc[k]!) ? 'n/a (GC ran)' : Math.max(0, alloc[k]!).toFixed(1);
      console.log(
        `${c.name.padEnd(20)} ${m.toFixed(0).padStart(21)}   ${ratio.padStart(12)}   ${(bytes[k]! / opts.trades).toFixed(1).padStart(11)}   ${a.padStart(26)}   ${String(gcCount[k]).padStart(17)}`,
      );
    });
    const harness = alloc[cases.length]!;
    console.log(`(allocation includes ${Number.isNaN(harness) ? '?' : harness.toFixed(1)} B/trade of the bench's own renumbering of the events it replays)`);
    console.log('');
    console.log(`ratio text v1 / binary v2 (encode + keep in memory): ${(text / median(ns[1]!)).toFixed(2)}x; with the per-turn write: ${(text / median(ns[2]!)).toFixed(2)}x`);
    console.log('(text v1 did its write later, every 10 ms, not included above; binary v2 + write includes one pwrite per turn)');
  } finally {
    observer.disconnect();
    await record.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
