// Scenario 2d: a routed venue stops answering. ETHUSDT is routed to "Binance" (our simulator, in this process,
// speaking Binance's REST and WebSocket API) while BTCUSDT trades on the local book. Mid-flow the simulator stops
// answering REST requests (held, never answered), then answers again. The venue must lose no routed order (what
// it believes open at Binance is what Binance holds), keep the local book trading, say so to ops (/ready route
// component, venue_route_up, log lines), and recover by itself when the fault clears.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRedis } from '../../support/redis-server.js';
import { defaultSimulatorConfig } from '../../../src/simulators/binance/default-config.js';
import { startBinanceSimulator, type BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { finalChecks } from '../harness/final-checks.js';
import { Fleet } from '../harness/fleet.js';
import { component, metricSum, metricsText, readiness, waitForReadiness } from '../harness/ops-probe.js';
import type { ScenarioResult } from '../harness/report.js';
import { writeSoakConfig } from '../harness/soak-config.js';
import { VenueProcess } from '../harness/venue-process.js';
import { readVenueTruth } from '../harness/venue-truth.js';

export interface RouteHangOptions {
  seed: number;
  sessions: number;
  rate: number;
  hangMs: number;
  log?: (line: string) => void;
}

function seedLiquidity(sim: BinanceSimulator): void {
  for (const [side, price] of [['SELL', '50.10'], ['SELL', '50.50'], ['BUY', '49.90'], ['BUY', '49.50']] as const) {
    sim.placeOrder('market-maker', { symbol: 'ETHUSDT', side, type: 'LIMIT', timeInForce: 'GTC', price, quantity: '500' });
  }
}

export async function runRouteHang(opts: RouteHangOptions): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'soak-route-'));
  const redis = await startTestRedis();
  const sim = await startBinanceSimulator(defaultSimulatorConfig());
  seedLiquidity(sim);
  const config = writeSoakConfig({
    dir,
    redisUrl: redis.url,
    logLevel: 'info',
    extra: {
      routing: {
        routes: {
          BINANCE: { type: 'binance', environment: 'custom', restBaseUrl: sim.restUrl, wsApiUrl: sim.wsApiUrl, credentialsEnvPrefix: 'SOAK_BINANCE_', clientOrderIdPrefix: 'soak', timeoutMs: 1500 },
        },
        instruments: { ETHUSDT: 'BINANCE' },
      },
    },
  });
  const venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  const fleet = new Fleet(config, venue, { seed: opts.seed, sessions: opts.sessions });
  const violations: string[] = [];
  try {
    await venue.start({ env: { SOAK_BINANCE_API_KEY: 'sim-trader-key', SOAK_BINANCE_API_SECRET: 'sim-trader-secret' } });
    await waitForReadiness(venue, (r) => component(r, 'route:BINANCE')?.status === 'up', 15_000);
    await fleet.reconnectAll(30_000);
    fleet.start(opts.rate);
    await new Promise((r) => setTimeout(r, 1000));

    sim.hangRest(true);
    const hungAt = Date.now();
    const before = fleet.flows.reduce((n, f) => n + f.stats.fills, 0);
    const seen = await waitForReadiness(venue, (r) => component(r, 'route:BINANCE')?.status !== 'up', opts.hangMs).catch(() => null);
    const during = await readiness(venue);
    const route = component(during, 'route:BINANCE');
    log(`  Binance hangs: /ready HTTP ${during.httpStatus}; route ${route?.status} (${route?.reason}); noticed ${seen ? `${seen.at - hungAt} ms` : 'not'} after the hang`);
    const remaining = opts.hangMs - (Date.now() - hungAt);
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    const metrics = await metricsText(venue);
    const routeUp = metricSum(metrics, 'venue_route_up', { route: 'BINANCE' });
    const localFills = fleet.flows.reduce((n, f) => n + f.stats.fills, 0) - before;
    log(`  during the hang: venue_route_up{route="BINANCE"} ${routeUp}; ${localFills} fills reported (local book keeps trading)`);
    if (seen === null) violations.push(`a Binance that stopped answering for ${opts.hangMs} ms never showed in /ready (route stayed up)`);
    if (seen !== null && routeUp === 1) violations.push('venue_route_up stayed 1 while /ready said the route was not up');
    if (localFills === 0) violations.push('no fill at all while Binance hung: the local book stopped too');
    const warned = venue.logs.filter((l) => (l.level === 'warn' || l.level === 'error') && JSON.stringify(l).includes('BINANCE'));
    log(`  log lines naming BINANCE at warn/error: ${warned.length} (${[...new Set(warned.map((l) => String(l.message)))].slice(0, 3).join(' | ')})`);
    if (warned.length === 0) violations.push('nothing logged at warn/error about the hung route');

    sim.hangRest(false);
    const clearedAt = Date.now();
    const up = await waitForReadiness(venue, (r) => component(r, 'route:BINANCE')?.status === 'up', 60_000);
    const recoveryMs = up.at - clearedAt;
    log(`  route up again ${recoveryMs} ms after Binance answered again`);
    // The flow stops; the routed orders' answers come once the venue has reconciled them with Binance (not a
    // fixed time: on a loaded machine it took longer than the 1.5 s this used to sleep).
    fleet.stop();
    if (!(await fleet.answered(60_000))) log('  some member orders still wait for an answer after 60 s (the checks name them)');
    const final = await finalChecks(fleet, venue, config, redis.url, log);
    violations.push(...final.violations);

    // What the venue believes open at Binance is exactly what Binance holds for the trader.
    const truth = await readVenueTruth(config, redis.url);
    try {
      const venueOpen = new Set(truth.core.routedOrders('BINANCE').map((r) => r.externalOrderId));
      const trader = sim.exchange.accounts.get('trader')!;
      const simOpen = new Set(sim.exchange.ledger.openOrders(trader).map((o) => String(o.orderId)));
      const missingAtSim = [...venueOpen].filter((id) => !simOpen.has(id));
      const unknownToVenue = [...simOpen].filter((id) => !venueOpen.has(id));
      log(`  routed orders open: venue ${venueOpen.size}, Binance ${simOpen.size}`);
      if (missingAtSim.length > 0) violations.push(`venue believes ${missingAtSim.length} routed orders open that Binance does not hold: ${missingAtSim.slice(0, 5).join(', ')}`);
      if (unknownToVenue.length > 0) violations.push(`Binance holds ${unknownToVenue.length} orders of ours the venue does not know: ${unknownToVenue.slice(0, 5).join(', ')}`);
      final.lost += missingAtSim.length + unknownToVenue.length;
    } finally {
      await truth.close();
    }
    return {
      rows: [
        {
          scenario: 'routed venue (Binance simulator) stops answering',
          durationMs: Date.now() - started,
          orders: fleet.ordersSent,
          faults: 1,
          lost: final.lost,
          duplicates: final.duplicates,
          maxRecoveryMs: recoveryMs,
          notes: `hung ${opts.hangMs} ms; ${final.trades} local trades`,
        },
      ],
      violations,
    };
  } finally {
    fleet.stop();
    for (const c of fleet.clients) c.close();
    if (venue.running) await venue.kill('SIGKILL');
    await sim.close();
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
