// Binance's limits as the simulator enforces them (rest-api.md "LIMITS", web-socket-api.md "Rate limits"):
//  - REQUEST_WEIGHT per IP, in clock-aligned intervals, shared by REST and the WebSocket API. Going over
//    answers 429 with Retry-After (seconds to the end of the interval). An IP that keeps sending while it
//    is being told 429 is banned: 418, for banBaseSeconds, doubling for repeat offenders up to 3 days.
//  - ORDERS per account (unfilled order count): over the limit, new orders get 429 / -1015.

import { ApiError } from './api-error.js';
import { intervalSuffix } from '../../routing/binance/rate-governor.js';
import type { RateLimitJson } from '../../routing/binance/types.js';

const INTERVAL_MS: Record<RateLimitJson['interval'], number> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
const MAX_BAN_MS = 3 * 86_400_000;

interface Window {
  readonly limit: RateLimitJson;
  readonly suffix: string;
  readonly ms: number;
}

interface Counter {
  start: number;
  used: number;
}

function windowsOf(limits: readonly RateLimitJson[], type: RateLimitJson['rateLimitType']): Window[] {
  return limits
    .filter((l) => l.rateLimitType === type)
    .map((l) => ({ limit: l, suffix: intervalSuffix(l), ms: INTERVAL_MS[l.interval] * l.intervalNum }));
}

function counterAt(counters: Map<string, Counter>, w: Window, now: number): Counter {
  const start = now - (now % w.ms);
  let c = counters.get(w.suffix);
  if (c === undefined || c.start !== start) {
    c = { start, used: 0 };
    counters.set(w.suffix, c);
  }
  return c;
}

function intervalText(l: RateLimitJson): string {
  return `${l.intervalNum} ${l.interval}`;
}

interface IpState {
  counters: Map<string, Counter>;
  /** Set by a 429: until then every request is a violation. */
  limitedUntil: number;
  violations: number;
  bannedUntil: number;
  bans: number;
}

export class RateLimits {
  private readonly weight: Window[];
  private readonly orders: Window[];
  private readonly ips = new Map<string, IpState>();
  private readonly accounts = new Map<string, Map<string, Counter>>();

  constructor(
    limits: readonly RateLimitJson[],
    private readonly banAfterViolations: number,
    private readonly banBaseSeconds: number,
  ) {
    this.weight = windowsOf(limits, 'REQUEST_WEIGHT');
    this.orders = windowsOf(limits, 'ORDERS');
  }

  reset(): void {
    this.ips.clear();
    this.accounts.clear();
  }

  private ip(address: string): IpState {
    let s = this.ips.get(address);
    if (s === undefined) {
      s = { counters: new Map(), limitedUntil: 0, violations: 0, bannedUntil: 0, bans: 0 };
      this.ips.set(address, s);
    }
    return s;
  }

  /** Charges a request's weight to its IP, or throws the 429/418 Binance would answer instead. */
  charge(address: string, weight: number, now: number): void {
    const s = this.ip(address);
    if (now < s.bannedUntil) throw banned(s.bannedUntil, now);
    if (now < s.limitedUntil) {
      s.violations++;
      if (s.violations > this.banAfterViolations) {
        const ms = Math.min(this.banBaseSeconds * 1000 * 2 ** s.bans, MAX_BAN_MS);
        s.bans++;
        s.bannedUntil = now + ms;
        s.limitedUntil = 0;
        s.violations = 0;
        throw banned(s.bannedUntil, now);
      }
      throw tooMuchWeight(this.weight[0]?.limit, s.limitedUntil, now);
    }
    for (const w of this.weight) {
      const c = counterAt(s.counters, w, now);
      if (c.used + weight > w.limit.limit) {
        c.used += weight; // Binance counts the refused request too
        s.limitedUntil = c.start + w.ms;
        s.violations = 0;
        throw tooMuchWeight(w.limit, s.limitedUntil, now);
      }
    }
    for (const w of this.weight) counterAt(s.counters, w, now).used += weight;
  }

  /** Gives back weight charged up front (successful order placement and cancels cost 0 since 2026-04-02). */
  refund(address: string, weight: number, now: number): void {
    const s = this.ip(address);
    for (const w of this.weight) {
      const c = counterAt(s.counters, w, now);
      c.used = Math.max(0, c.used - weight);
    }
  }

  /** X-MBX-USED-WEIGHT-<interval> values for this IP. */
  usedWeight(address: string, now: number): { suffix: string; used: number; limit: RateLimitJson }[] {
    const s = this.ip(address);
    return this.weight.map((w) => ({ suffix: w.suffix, used: counterAt(s.counters, w, now).used, limit: w.limit }));
  }

  /** Throws 429/-1015 when the account may not place another order now. */
  checkOrder(account: string, now: number): void {
    const counters = this.accountCounters(account);
    for (const w of this.orders) {
      const c = counterAt(counters, w, now);
      if (c.used + 1 > w.limit.limit) {
        const err: RateLimitError = new ApiError(429, -1015, `Too many new orders; current limit is ${w.limit.limit} orders per ${intervalText(w.limit)}.`);
        err.retryAfterMs = c.start + w.ms - now;
        throw err;
      }
    }
  }

  countOrder(account: string, now: number): void {
    const counters = this.accountCounters(account);
    for (const w of this.orders) counterAt(counters, w, now).used++;
  }

  /** X-MBX-ORDER-COUNT-<interval> values for this account. */
  orderCounts(account: string, now: number): { suffix: string; used: number; limit: RateLimitJson }[] {
    const counters = this.accountCounters(account);
    return this.orders.map((w) => ({ suffix: w.suffix, used: counterAt(counters, w, now).used, limit: w.limit }));
  }

  private accountCounters(account: string): Map<string, Counter> {
    let m = this.accounts.get(account);
    if (m === undefined) {
      m = new Map();
      this.accounts.set(account, m);
    }
    return m;
  }
}

/** A rate-limit answer carries how long to wait; REST puts it in Retry-After, the WebSocket API in data. */
export type RateLimitError = ApiError & { retryAfterMs?: number; bannedUntil?: number };

function tooMuchWeight(limit: RateLimitJson | undefined, until: number, now: number): RateLimitError {
  const msg =
    limit === undefined
      ? 'Too much request weight used. Please use WebSocket Streams for live updates to avoid polling the API.'
      : `Too much request weight used; current limit is ${limit.limit} request weight per ${intervalText(limit)}. Please use WebSocket Streams for live updates to avoid polling the API.`;
  const err: RateLimitError = new ApiError(429, -1003, msg);
  err.retryAfterMs = until - now;
  return err;
}

function banned(until: number, now: number): RateLimitError {
  const err: RateLimitError = new ApiError(
    418,
    -1003,
    `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
  );
  err.retryAfterMs = until - now;
  err.bannedUntil = until;
  return err;
}
