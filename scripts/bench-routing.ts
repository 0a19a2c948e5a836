// What routing adds to an order's latency: `npm run bench:routing`. One venue (in-process, private redis-server)
// and the Binance simulator (in-process, loopback HTTP + WebSocket). A FIX member sends IOC buys that fill at once,
// alternating, in the same run, between ETHUSDT on the venue's own book and BTCUSDT routed to the simulator, and
// times each from the NewOrderSingle leaving the client to the fill's ExecutionReport arriving.
//
// The routed path adds: the journal commit before sending, the REST round trip to the simulator (which matches in
// its own core), the fill coming back over the user data stream, and a second journal commit. Risk limits and
// the session throttle are switched off so that they measure nothing here.
//
//   ROUTING_BENCH_N (default 400) orders per case; the first 10% of each are warm-up and not counted.

import os from 'node:os';
import type { FixTestClient } from '../test/support/fix-test-client.js';
import { startTestVenue } from '../test/support/test-venue.js';
import { binanceRoute, sendOrder, simulatorConfig, startBinanceSimulator } from '../test/routing/support/routing-fixture.js';

const N = Number(process.env['ROUTING_BENCH_N'] ?? 400);
const WARMUP = Math.max(1, Math.floor(N / 10));

interface Case {
  name: string;
  symbol: string;
  qty: string;
  price: string;
  /** D sent → first report, and D sent → fill, microseconds. */
  ack: number[];
  fill: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(xs: number[]): { p50: number; p99: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function timeOne(member: FixTestClient, c: Case, id: string, keep: boolean): Promise<void> {
  const t0 = performance.now();
  sendOrder(member, id, { 55: c.symbol, 38: c.qty, 44: c.price, 59: '3' });
  await member.next((m) => m.type === '8' && m.get(11) === id, 10_000);
  const t1 = performance.now();
  await member.er(id, 'F', 10_000);
  const t2 = performance.now();
  if (!keep) return;
  c.ack.push((t1 - t0) * 1000);
  c.fill.push((t2 - t0) * 1000);
}

async function main(): Promise<void> {
  const sim = await startBinanceSimulator({
    ...simulatorConfig(),
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 10_000_000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 10_000_000 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 100_000_000 },
    ],
  });
  const venue = await startTestVenue({
    adjust: (s) => {
      s.risk.limits = [];
      for (const session of s.sessions) session.throttle = { messagesPerSecond: 0, logoutAfterSeconds: 0 };
      s.routing = { routes: [binanceRoute(sim, { timeoutMs: 10_000 })], instruments: { BTCUSDT: { route: 'BINANCE', fallback: null } }, exDestinations: {} };
    },
  });
  try {
    const member = await venue.logon('BROKER1');
    const seller = await venue.logon('BROKER2');
    // Liquidity for every order: resting ETHUSDT sells on the venue, BTCUSDT sells at the simulator.
    for (let i = 0; i * 2000 < N + WARMUP; i++) {
      sendOrder(seller, `LIQ${i}`, { 55: 'ETHUSDT', 54: '2', 38: '20.0000', 44: '3000.00' });
      await seller.er(`LIQ${i}`, '0');
    }
    sim.placeOrder('market-maker', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: String(Math.ceil((N * 0.01) + 1)) });
    const local: Case = { name: 'local book (ETHUSDT)', symbol: 'ETHUSDT', qty: '0.0100', price: '3000.00', ack: [], fill: [] };
    const routed: Case = { name: 'routed to Binance simulator (BTCUSDT)', symbol: 'BTCUSDT', qty: '0.010', price: '60000.00', ack: [], fill: [] };
    for (let i = 0; i < N; i++) {
      const keep = i >= WARMUP;
      await timeOne(member, local, `L${i}`, keep);
      await timeOne(member, routed, `R${i}`, keep);
    }
    const l = stats(local.fill);
    const r = stats(routed.fill);
    const ra = stats(routed.ack);
    const la = stats(local.ack);
    const us = (x: number): string => x.toFixed(0).padStart(8);
    console.log(`routing latency: ${N - WARMUP} IOC buys per case (after ${WARMUP} warm-up), interleaved; FIX client, venue and simulator in one process on loopback; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}`);
    console.log('case                                          first report p50/p99 µs    fill p50 µs   fill p99 µs   fill mean µs');
    console.log(`${local.name.padEnd(46)}${us(la.p50)} /${us(la.p99)}      ${us(l.p50)}      ${us(l.p99)}      ${us(l.mean)}`);
    console.log(`${routed.name.padEnd(46)}${us(ra.p50)} /${us(ra.p99)}      ${us(r.p50)}      ${us(r.p99)}      ${us(r.mean)}`);
    console.log(`added by routing (routed - local)                                            ${us(r.p50 - l.p50)}      ${us(r.p99 - l.p99)}`);
    console.log(`ratio routed / local (fill p50)                                                 ${(r.p50 / l.p50).toFixed(1)}x`);
    const c = venue.app.routing?.router.routeCounters()['BINANCE'];
    console.log(`route counters: routed ${c?.ordersRouted}, fills ${c?.fills}, outcome unknown ${c?.outcomeUnknown}`);
  } finally {
    await venue.dispose();
    await sim.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench:routing failed:', err);
    process.exit(1);
  },
);
