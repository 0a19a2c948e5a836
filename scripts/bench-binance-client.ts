// Latency of sequential order placement through our thin client vs the official @binance/spot
// connector, both against the same Binance simulator (a separate process, so neither client shares its
// event loop with the server). Orders are LIMIT IOC buys with no liquidity: each is a full round trip
// through signing, HTTP, the simulator's checks and the matching core, and leaves no state behind.
// The two clients run in alternating blocks to spread machine noise over both.
//
//   npm run bench:binance-client [-- --orders 2000 --block 250]

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger, LogLevel } from '@binance/common';
import { Spot, SpotRestAPI } from '@binance/spot';
import { BinanceRestClient } from '../src/routing/binance/rest-client.js';
import { hmacSigner } from '../src/routing/binance/signing.js';
import { defaultSimulatorConfig } from '../src/simulators/binance/default-config.js';

Logger.getInstance().setMinLogLevel(LogLevel.ERROR);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : fallback;
}

const ORDERS = arg('orders', 2000);
const BLOCK = arg('block', 250);
const WARMUP = 200;
const API_KEY = 'bench-key';
const SECRET = 'bench-secret';

async function startSimulator(): Promise<{ url: string; stop: () => void }> {
  const config = defaultSimulatorConfig();
  config['rateLimits'] = [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 100_000_000 },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100_000_000 },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 100_000_000 },
  ];
  config['accounts'] = [{ name: 'bench', apiKeys: [{ apiKey: API_KEY, type: 'hmac', secret: SECRET }], balances: { USDT: '10000000', BTC: '1000' } }];
  const file = join(mkdtempSync(join(tmpdir(), 'bench-binance-')), 'sim.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/binance-sim.ts', '--config', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /REST (http:\/\/[^ ]+)\/api\/v3/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

type Place = (i: number) => Promise<string>;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const sim = await startSimulator();
  try {
    await measure(sim.url);
  } finally {
    sim.stop();
  }
}

async function measure(url: string): Promise<void> {
  const ours = new BinanceRestClient({ endpoints: { restBaseUrl: url }, apiKey: API_KEY, signer: hmacSigner(SECRET), connections: 1 });
  // As a router does at start: load the symbols' filters and the published rate limits.
  const info = await ours.exchangeInfo();
  if (!info.ok) throw new Error(`exchangeInfo: ${info.msg}`);
  const connector = new Spot({ configurationRestAPI: { apiKey: API_KEY, apiSecret: SECRET, basePath: url, retries: 0, timeout: 10_000 } }).restAPI!;

  const placeOurs: Place = async (i) => {
    const r = await ours.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '100.00', quantity: '1', newClientOrderId: `o${i}` });
    if (!r.ok) throw new Error(`our client: ${r.kind} ${r.code} ${r.msg}`);
    return r.value.status ?? '';
  };
  const placeConnector: Place = async (i) => {
    const r = await connector.newOrder({
      symbol: 'BTCUSDT',
      side: SpotRestAPI.NewOrderSideEnum.BUY,
      type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
      timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.IOC,
      price: 100,
      quantity: 1,
      newClientOrderId: `b${i}`,
    });
    return (await r.data()).status ?? '';
  };

  const clients: { name: string; place: Place; samples: number[] }[] = [
    { name: 'thin client (undici.Pool)', place: placeOurs, samples: [] },
    { name: '@binance/spot 32.0.4', place: placeConnector, samples: [] },
  ];
  let seq = 0;
  for (const c of clients) for (let i = 0; i < WARMUP; i++) await c.place(seq++);
  for (let done = 0; done < ORDERS; done += BLOCK) {
    for (const c of clients) {
      for (let i = 0; i < BLOCK && done + i < ORDERS; i++) {
        const t0 = process.hrtime.bigint();
        const status = await c.place(seq++);
        c.samples.push(Number(process.hrtime.bigint() - t0) / 1000);
        if (status !== 'EXPIRED') throw new Error(`${c.name}: unexpected status ${status}`);
      }
    }
  }

  const rows = clients.map((c) => {
    const s = [...c.samples].sort((a, b) => a - b);
    return { name: c.name, n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
  });
  const base = rows[1]!;
  console.log(`\nSequential POST /api/v3/order (LIMIT IOC, FULL response), ${ORDERS} per client after ${WARMUP} warm-up, simulator in a separate process\n`);
  console.log('| client | orders | p50 µs | p99 µs | mean µs | p50 vs connector |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.mean.toFixed(0)} | ${(r.p50 / base.p50).toFixed(2)}× |`);
  }
  await ours.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
