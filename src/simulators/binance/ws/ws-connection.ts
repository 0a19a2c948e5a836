// One WebSocket API connection (web-socket-api.md): JSON requests in text frames, answered with the same
// id, a status and a result or error, plus the rateLimits array. Supports the methods a user-data client
// needs: ping, time, session.logon/status/logout, userDataStream.subscribe(.signature)/unsubscribe and
// session.subscriptions. Events for subscribed accounts arrive as {"subscriptionId": N, "event": {...}}.
// The server pings every pingIntervalMs and drops a connection that has not answered with a pong within
// pongTimeoutMs.

import type { WebSocket } from 'ws';
import { wsSignaturePayload } from '../../../routing/binance/signing.js';
import type { UserDataEvent } from '../../../routing/binance/types.js';
import { ApiError, badRequest } from '../api-error.js';
import { authenticate, lookupKey } from '../auth.js';
import type { SimAccount } from '../exchange/accounts.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Faults } from '../faults.js';
import type { RateLimitError, RateLimits } from '../rate-limits.js';

export interface WsDeps {
  exchange: Exchange;
  limits: RateLimits;
  faults: Faults;
  now: () => number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
}

type RequestId = string | number | null;

interface Subscription {
  account: SimAccount;
  /** Opened by userDataStream.subscribe on a logged-on session (session.logout ends it). */
  viaLogon: boolean;
}

const WEIGHTS: Record<string, number> = {
  ping: 1,
  time: 1,
  'session.logon': 2,
  'session.status': 2,
  'session.logout': 2,
  'session.subscriptions': 2,
  'userDataStream.subscribe': 2,
  'userDataStream.subscribe.signature': 2,
  'userDataStream.unsubscribe': 2,
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function paramText(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  return v === undefined || v === null ? undefined : String(v);
}

export class WsConnection {
  private readonly connectedSince: number;
  private session: { apiKey: string; account: SimAccount; since: number } | null = null;
  private readonly subscriptions = new Map<number, Subscription>();
  private nextSubscriptionId = 0;
  private lastPong: number;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly ip: string,
    private readonly deps: WsDeps,
    private readonly returnRateLimits: boolean,
  ) {
    this.connectedSince = deps.now();
    this.lastPong = Date.now();
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    ws.on('pong', () => {
      this.lastPong = Date.now();
    });
    ws.on('ping', (data) => {
      if (!deps.faults.hangWebSocket) ws.pong(data);
    });
    ws.on('error', () => ws.terminate());
    this.pinger = setInterval(() => this.heartbeat(), deps.pingIntervalMs);
    this.pinger.unref();
    ws.on('close', () => clearInterval(this.pinger));
  }

  private heartbeat(): void {
    if (this.deps.faults.hangWebSocket) {
      // A hung server is silent, but it does not hang up either: the client has to notice by itself.
      this.lastPong = Date.now();
      return;
    }
    if (Date.now() - this.lastPong > this.deps.pongTimeoutMs) {
      this.ws.terminate();
      return;
    }
    this.ws.ping(Buffer.from(String(this.deps.now())));
  }

  terminate(): void {
    this.ws.terminate();
  }

  /** Sends an account's event on every subscription this connection has for it. */
  deliver(account: SimAccount, event: UserDataEvent): void {
    if (this.deps.faults.hangWebSocket || this.ws.readyState !== this.ws.OPEN) return;
    for (const [id, sub] of this.subscriptions) {
      if (sub.account === account) this.ws.send(JSON.stringify({ subscriptionId: id, event }));
    }
  }

  private send(frame: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private rateLimits(now: number): unknown[] {
    return this.deps.limits.usedWeight(this.ip, now).map((w) => ({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: w.limit.interval,
      intervalNum: w.limit.intervalNum,
      limit: w.limit.limit,
      count: w.used,
    }));
  }

  private onMessage(text: string): void {
    if (this.deps.faults.hangWebSocket) return;
    const now = this.deps.now();
    let id: RequestId = null;
    let wantLimits = this.returnRateLimits;
    try {
      let req: unknown;
      try {
        req = JSON.parse(text);
      } catch {
        throw badRequest(-1135, 'Invalid JSON Request');
      }
      if (!isRecord(req)) throw badRequest(-1135, 'Invalid JSON Request');
      const rawId = req['id'];
      if (typeof rawId === 'string' || typeof rawId === 'number') id = rawId;
      const params = req['params'] === undefined ? {} : req['params'];
      if (!isRecord(params)) throw badRequest(-1135, "JSON sent for parameter 'params' is not valid");
      if (typeof params['returnRateLimits'] === 'boolean') wantLimits = params['returnRateLimits'];
      if (typeof req['method'] !== 'string') throw badRequest(-1102, "Mandatory parameter 'method' was not sent, was empty/null, or malformed.");
      const method = req['method'].replace(/^v3\//, '');
      const weight = WEIGHTS[method];
      if (weight === undefined) throw badRequest(-1020, 'This operation is not supported.');
      this.deps.limits.charge(this.ip, weight, now);
      const result = this.dispatch(method, params, now);
      this.send({ id, status: 200, result, ...(wantLimits ? { rateLimits: this.rateLimits(now) } : {}) });
    } catch (err) {
      if (!(err instanceof ApiError)) {
        this.send({ id, status: 500, error: { code: -1000, msg: 'An unknown error occurred while processing the request.' } });
        console.error('binance-sim: WebSocket request failed', err);
        return;
      }
      const error: Record<string, unknown> = err.toJson();
      const retryAfterMs = (err as RateLimitError).retryAfterMs;
      if (retryAfterMs !== undefined) error['data'] = { serverTime: now, retryAfter: now + retryAfterMs };
      this.send({ id, status: err.status, error, ...(wantLimits ? { rateLimits: this.rateLimits(now) } : {}) });
    }
  }

  private dispatch(method: string, params: Record<string, unknown>, now: number): unknown {
    switch (method) {
      case 'ping':
        return {};
      case 'time':
        return { serverTime: now };
      case 'session.logon':
        return this.logon(params, now);
      case 'session.status':
        return this.status(now);
      case 'session.logout':
        this.endSubscriptions((s) => s.viaLogon, now);
        this.session = null;
        return this.status(now);
      case 'session.subscriptions':
        return [...this.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
      case 'userDataStream.subscribe':
        if (this.session === null) throw new ApiError(401, -1002, 'You are not authorized to execute this request.');
        return this.subscribe(this.session.account, true);
      case 'userDataStream.subscribe.signature':
        return this.subscribe(this.authenticate(params, now), false);
      case 'userDataStream.unsubscribe':
        return this.unsubscribe(params, now);
      default:
        throw badRequest(-1020, 'This operation is not supported.');
    }
  }

  private authenticate(params: Record<string, unknown>, now: number): SimAccount {
    return authenticate(
      this.deps.exchange.apiKeys,
      {
        apiKey: paramText(params, 'apiKey'),
        payload: wsSignaturePayload(params),
        signature: paramText(params, 'signature'),
        timestamp: paramText(params, 'timestamp'),
        recvWindow: paramText(params, 'recvWindow'),
      },
      now,
    );
  }

  private logon(params: Record<string, unknown>, now: number): unknown {
    const apiKey = paramText(params, 'apiKey');
    const entry = lookupKey(this.deps.exchange.apiKeys, apiKey);
    if (entry.key.type !== 'ed25519') throw new ApiError(401, -1002, 'You are not authorized to execute this request.');
    const account = this.authenticate(params, now);
    this.session = { apiKey: apiKey!, account, since: now };
    return this.status(now);
  }

  private status(now: number): unknown {
    return {
      apiKey: this.session?.apiKey ?? null,
      authorizedSince: this.session?.since ?? null,
      connectedSince: this.connectedSince,
      returnRateLimits: this.returnRateLimits,
      serverTime: now,
      userDataStream: this.subscriptions.size > 0,
    };
  }

  private subscribe(account: SimAccount, viaLogon: boolean): { subscriptionId: number } {
    for (const s of this.subscriptions.values()) {
      if (s.account === account) throw badRequest(-2035, 'User Data Stream subscription already active.');
    }
    if (this.nextSubscriptionId > 65535) throw badRequest(-2042, 'Maximum subscription ID reached for this connection.');
    const subscriptionId = this.nextSubscriptionId++;
    this.subscriptions.set(subscriptionId, { account, viaLogon });
    return { subscriptionId };
  }

  private unsubscribe(params: Record<string, unknown>, now: number): unknown {
    const raw = params['subscriptionId'];
    if (raw === undefined) {
      this.endSubscriptions(() => true, now);
      return {};
    }
    const id = Number(raw);
    if (!this.subscriptions.has(id)) throw badRequest(-2036, 'User Data Stream subscription not active.');
    this.endSubscriptions((_s, sid) => sid === id, now);
    return {};
  }

  private endSubscriptions(which: (s: Subscription, id: number) => boolean, now: number): void {
    for (const [id, s] of [...this.subscriptions]) {
      if (!which(s, id)) continue;
      this.subscriptions.delete(id);
      this.send({ subscriptionId: id, event: { e: 'eventStreamTerminated', E: now } });
    }
  }
}
