// The REST request pipeline: parameters, request weight and bans, API key / signature / timestamp,
// fault injection, the endpoint itself, and Binance's headers (X-MBX-USED-WEIGHT-*, X-MBX-ORDER-COUNT-*,
// Retry-After) on the answer. Every failure becomes Binance's JSON error with its HTTP status; nothing a
// client sends can crash the server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParamSource } from '../../../routing/binance/order-params.js';
import { ApiError } from '../api-error.js';
import { authenticate } from '../auth.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Faults, InjectedFailure } from '../faults.js';
import type { RateLimitError, RateLimits } from '../rate-limits.js';
import { checkAllRead, parseParams } from './request-params.js';
import { buildRoutes, type Route, type RouteAnswer } from './rest-routes.js';

const MAX_BODY = 64 * 1024;
const SIGNED_EXTRAS = ['timestamp', 'recvWindow', 'signature'];

export interface RestApiDeps {
  exchange: Exchange;
  limits: RateLimits;
  faults: Faults;
  now: () => number;
}

export function readBody(req: IncomingMessage, max = MAX_BODY): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class RestApi {
  private readonly routes = new Map<string, Route & { accepted: ReadonlySet<string> }>();
  private readonly held = new Set<ServerResponse>();

  constructor(private readonly deps: RestApiDeps) {
    for (const r of buildRoutes(deps.exchange, deps.limits)) {
      this.routes.set(`${r.method} ${r.path}`, { ...r, accepted: new Set([...r.params, ...(r.signed ? SIGNED_EXTRAS : [])]) });
    }
  }

  /** Answers nothing until released: the "hang" fault. */
  hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  /** Drops the connections of held requests (they never get an answer). */
  releaseHeld(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): Promise<void> {
    const deps = this.deps;
    if (deps.faults.hangRest) {
      this.hold(res);
      return;
    }
    const route = this.routes.get(`${req.method ?? ''} ${path}`);
    if (route === undefined) {
      sendJson(res, 404, undefined);
      return;
    }
    const rawBody = await readBody(req);
    if (rawBody === null) {
      sendJson(res, 413, undefined);
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const now = deps.now();
    const headers: Record<string, string> = {};
    let weight = 0;
    let charged = false;
    let accountName = '';
    let ordersPlaced = 0;
    try {
      const { params, payload } = parseParams(rawQuery, rawBody);
      const get: ParamSource = (name) => params.get(name);
      weight = route.weight(get);
      deps.limits.charge(ip, weight, now);
      charged = true;
      const account = route.signed
        ? authenticate(
            deps.exchange.apiKeys,
            { apiKey: headerValue(req, 'x-mbx-apikey'), payload, signature: get('signature'), timestamp: get('timestamp'), recvWindow: get('recvWindow') },
            now,
          )
        : null;
      accountName = account?.name ?? '';
      checkAllRead(params, route.accepted);
      if (route.placesOrders && account !== null) deps.limits.checkOrder(account.name, now);
      const failure = deps.faults.take(route.trading);
      if (failure !== undefined && !failure.execute) {
        this.sendFailure(res, failure, ip, now);
        return;
      }
      let answer: RouteAnswer;
      try {
        answer = route.handle({
          get,
          account: account!,
          now,
          orderPlaced: () => {
            ordersPlaced++;
            deps.limits.countOrder(accountName, now);
          },
        });
      } catch (err) {
        if (failure !== undefined) {
          this.sendFailure(res, failure, ip, now);
          return;
        }
        throw err;
      }
      if (route.trading !== undefined && answer.status === 200) deps.limits.refund(ip, weight, now);
      if (failure !== undefined) {
        this.sendFailure(res, failure, ip, now);
        return;
      }
      this.addWeightHeaders(headers, ip, now);
      if (ordersPlaced > 0) this.addOrderHeaders(headers, accountName, now);
      sendJson(res, answer.status, answer.body, headers);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        sendJson(res, 500, { code: -1000, msg: 'An unknown error occurred while processing the request.' });
        console.error('binance-sim: request failed', err);
        return;
      }
      const retryAfterMs = (err as RateLimitError).retryAfterMs;
      if (retryAfterMs !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
      if (charged || err.status === 429) this.addWeightHeaders(headers, ip, now);
      if (ordersPlaced > 0) this.addOrderHeaders(headers, accountName, now);
      sendJson(res, err.status, err.toJson(), headers);
    }
  }

  private sendFailure(res: ServerResponse, f: InjectedFailure, ip: string, now: number): void {
    const headers: Record<string, string> = {};
    this.addWeightHeaders(headers, ip, now);
    sendJson(res, f.status, { code: f.code, msg: f.msg }, headers);
  }

  private addWeightHeaders(headers: Record<string, string>, ip: string, now: number): void {
    for (const w of this.deps.limits.usedWeight(ip, now)) headers[`X-MBX-USED-WEIGHT-${w.suffix}`] = String(w.used);
  }

  private addOrderHeaders(headers: Record<string, string>, account: string, now: number): void {
    for (const w of this.deps.limits.orderCounts(account, now)) headers[`X-MBX-ORDER-COUNT-${w.suffix}`] = String(w.used);
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
