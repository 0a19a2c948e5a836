// The Binance Spot simulator: one HTTP server speaking the REST API under /api/v3 and the WebSocket API at
// /ws-api/v3, backed by our matching core, plus its own control surface (/_sim/ over HTTP, or the methods
// of the object returned here) for tests and demos.
//
//   const sim = await startBinanceSimulator(config);      // config as in config.ts; port 0 = any free port
//   new Spot({ configurationRestAPI: { apiKey, apiSecret, basePath: sim.restUrl },
//              configurationWebsocketAPI: { apiKey, apiSecret, wsURL: sim.wsApiUrl } });
//   sim.placeOrder('market-maker', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', ... });  // liquidity
//   sim.faults.failNext({ status: 503, execute: true });   // the next order executes, its answer is a 503
//   await sim.close();

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isParamError, validateNewOrder } from '../../routing/binance/order-params.js';
import type { OrderResponseJson } from '../../routing/binance/types.js';
import { ApiError } from './api-error.js';
import { parseSimulatorConfig, type SimulatorConfig } from './config.js';
import { Exchange } from './exchange/exchange.js';
import { Faults } from './faults.js';
import { ADMIN_PREFIX, handleAdmin } from './http/admin-api.js';
import { RestApi, sendJson } from './http/rest-api.js';
import { RateLimits } from './rate-limits.js';
import { WS_API_PATH, WsApi } from './ws/ws-api.js';

export interface SimulatorState {
  serverTime: number;
  accounts: Record<string, { asset: string; free: string; locked: string }[]>;
  openOrders: number;
  webSocketConnections: number;
}

export class BinanceSimulator {
  readonly exchange: Exchange;
  readonly faults = new Faults();
  readonly limits: RateLimits;
  private readonly server: Server;
  private readonly rest: RestApi;
  private readonly ws: WsApi;
  private clockOffsetMs: number;
  private boundPort = 0;

  constructor(readonly config: SimulatorConfig) {
    this.clockOffsetMs = config.clockOffsetMs;
    const now = (): number => this.now();
    this.exchange = new Exchange(config, now);
    this.limits = new RateLimits(config.rateLimits, config.banAfterViolations, config.banBaseSeconds);
    this.rest = new RestApi({ exchange: this.exchange, limits: this.limits, faults: this.faults, now });
    this.ws = new WsApi({
      exchange: this.exchange,
      limits: this.limits,
      faults: this.faults,
      now,
      pingIntervalMs: config.wsPingIntervalMs,
      pongTimeoutMs: config.wsPongTimeoutMs,
    });
    this.exchange.sink = (account, event) => this.ws.deliver(account, event);
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      const run = config.admin && path.startsWith(ADMIN_PREFIX) ? handleAdmin(this, req, res, path) : this.rest.handle(req, res, path, url.search.slice(1));
      run.catch((err: unknown) => {
        console.error('binance-sim: unexpected failure', err);
        sendJson(res, 500, { code: -1000, msg: 'An unknown error occurred while processing the request.' });
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== WS_API_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.ws.handleUpgrade(req, socket, head, url.searchParams);
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    return this;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Base URL for REST (the connector's basePath; our client's restBaseUrl). */
  get restUrl(): string {
    return `http://${this.config.host}:${this.boundPort}`;
  }

  /** The WebSocket API URL (the connector's wsURL; our client's wsApiUrl). */
  get wsApiUrl(): string {
    return `ws://${this.config.host}:${this.boundPort}${WS_API_PATH}`;
  }

  /** Server time in ms: the machine clock plus the configured offset. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms;
  }

  /**
   * Places an order as the named account, bypassing API keys and rate limits: counter-party liquidity for
   * tests. Parameters are Binance's (strings). Throws ApiError as the REST endpoint would answer.
   */
  placeOrder(account: string, params: Record<string, string>): OrderResponseJson {
    const valid = validateNewOrder((name) => params[name]);
    if (isParamError(valid)) throw new ApiError(400, valid.code, valid.msg);
    const acct = this.exchange.accounts.get(account);
    if (acct === undefined) throw new ApiError(400, -1130, `no simulated account named ${account}`);
    return this.exchange.placeOrder(acct, valid) as OrderResponseJson;
  }

  deposit(account: string, asset: string, amount: string): void {
    const acct = this.exchange.accounts.get(account);
    if (acct === undefined) throw new ApiError(400, -1130, `no simulated account named ${account}`);
    acct.deposit(asset, amount);
  }

  /** Stops answering REST requests (on) or drops the connections of the held ones and answers again (off). */
  hangRest(on: boolean): void {
    this.faults.hangRest = on;
    if (!on) this.rest.releaseHeld();
  }

  /** Drops every WebSocket API connection at once, as a network failure would. Returns how many. */
  dropUserStreams(): number {
    return this.ws.dropAll();
  }

  clearFaults(): void {
    this.faults.clear();
    this.rest.releaseHeld();
  }

  resetRateLimits(): void {
    this.limits.reset();
  }

  state(): SimulatorState {
    const accounts: SimulatorState['accounts'] = {};
    let openOrders = 0;
    for (const a of this.exchange.accounts.values()) {
      accounts[a.name] = a.balancesJson(true);
      openOrders += this.exchange.ledger.openOrders(a).length;
    }
    return { serverTime: this.now(), accounts, openOrders, webSocketConnections: this.ws.connectionCount };
  }

  async close(): Promise<void> {
    this.ws.close();
    this.rest.releaseHeld();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Validates the config (raw JSON-like object, defaults filled in), starts the server, resolves when listening. */
export async function startBinanceSimulator(rawConfig: unknown): Promise<BinanceSimulator> {
  return new BinanceSimulator(parseSimulatorConfig(rawConfig)).listen();
}
