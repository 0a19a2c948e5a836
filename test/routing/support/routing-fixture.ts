// A venue whose BTCUSDT is routed to a Binance simulator (started here, in-process), for end-to-end routing tests
// over real sockets: FIX client → venue → simulator (REST + WebSocket API) → fills back as ExecutionReports.
//
// The simulator's BTCUSDT steps in 0.001 while the venue's lot is 0.00001, so some quantities pass the venue and
// fail Binance's LOT_SIZE filter (checked locally before sending). Keys are the simulator's own test keys, given
// to the venue through the environment as production keys would be.

import { defaultSimulatorConfig } from '../../../src/simulators/binance/default-config.js';
import { startBinanceSimulator, type BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import type { BinanceRouteSettings, RouteChoice, RouteSettings } from '../../../src/config/routing-section.js';
import type { VenueSettings } from '../../../src/config/settings.js';
import type { FixTestClient, FixMsg } from '../../support/fix-test-client.js';
import { SOH, stamp } from '../../support/fix-test-client.js';
import { startTestVenue, type TestVenue, type TestVenueOptions } from '../../support/test-venue.js';

export const CREDENTIALS_PREFIX = 'ROUTING_TEST_BINANCE_';
process.env[`${CREDENTIALS_PREFIX}API_KEY`] = 'sim-trader-key';
process.env[`${CREDENTIALS_PREFIX}API_SECRET`] = 'sim-trader-secret';

export function simulatorConfig(): Record<string, unknown> {
  const config = defaultSimulatorConfig() as { symbols: Array<{ symbol: string; filters: Array<Record<string, unknown>> }> };
  const btc = config.symbols.find((s) => s.symbol === 'BTCUSDT')!;
  btc.filters = btc.filters.map((f) => (f['filterType'] === 'LOT_SIZE' ? { ...f, minQty: '0.00100000', stepSize: '0.00100000' } : f));
  return { ...config, wsPingIntervalMs: 1000, wsPongTimeoutMs: 5000 };
}

export function binanceRoute(sim: BinanceSimulator, overrides: Partial<BinanceRouteSettings> = {}): BinanceRouteSettings {
  return {
    type: 'binance',
    name: 'BINANCE',
    environment: 'custom',
    restBaseUrl: sim.restUrl,
    wsApiUrl: sim.wsApiUrl,
    credentialsEnvPrefix: CREDENTIALS_PREFIX,
    symbols: {},
    clientOrderIdPrefix: 't',
    reconcileIntervalMs: 100,
    startWaitMs: 3000,
    recvWindowMs: 5000,
    timeoutMs: 1500,
    userStream: { heartbeatMs: 500, reconnectInitialMs: 50, reconnectMaxMs: 200 },
    ...overrides,
  };
}

export interface RoutingSetup {
  routes: RouteSettings[];
  instruments: Record<string, RouteChoice>;
  exDestinations?: Record<string, RouteChoice>;
}

/** A test venue with the routing section set (and any other adjustment). */
export function startRoutedVenue(routing: RoutingSetup, opts: TestVenueOptions = {}): Promise<TestVenue> {
  return startTestVenue({
    ...opts,
    adjust: (s: VenueSettings) => {
      s.routing = { routes: routing.routes, instruments: routing.instruments, exDestinations: routing.exDestinations ?? {} };
      opts.adjust?.(s);
    },
  });
}

export { startBinanceSimulator, type BinanceSimulator };

/** Sends a NewOrderSingle; fields as [tag, value] pairs after the defaults (limit GTC buy of BTCUSDT). */
export function sendOrder(client: FixTestClient, clOrdId: string, fields: Record<number, string> = {}): void {
  const f: Record<number, string> = { 11: clOrdId, 55: 'BTCUSDT', 54: '1', 38: '0.010', 40: '2', 44: '60000.00', 59: '1', 60: stamp(), ...fields };
  client.send('D', Object.entries(f).map(([t, v]) => `${t}=${v}${SOH}`).join(''));
}

export function sendCancel(client: FixTestClient, clOrdId: string, origClOrdId: string, fields: Record<number, string> = {}): void {
  const f: Record<number, string> = { 11: clOrdId, 41: origClOrdId, 55: 'BTCUSDT', 54: '1', 38: '0.010', 60: stamp(), ...fields };
  client.send('F', Object.entries(f).map(([t, v]) => `${t}=${v}${SOH}`).join(''));
}

export function sendReplace(client: FixTestClient, clOrdId: string, origClOrdId: string, fields: Record<number, string> = {}): void {
  const f: Record<number, string> = { 11: clOrdId, 41: origClOrdId, 55: 'BTCUSDT', 54: '1', 38: '0.010', 40: '2', 44: '60000.00', 59: '1', 60: stamp(), ...fields };
  client.send('G', Object.entries(f).map(([t, v]) => `${t}=${v}${SOH}`).join(''));
}

/** ExecTypes (150) of every ExecutionReport received so far for a ClOrdID (or OrigClOrdID). */
export function execTypes(client: FixTestClient, clOrdId: string): string[] {
  return client.received.filter((m: FixMsg) => m.type === '8' && (m.get(11) === clOrdId || m.get(41) === clOrdId)).map((m) => m.get(150) ?? '');
}

/** Polls a condition until it holds or the deadline passes (no sleeps as synchronisation). */
export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
