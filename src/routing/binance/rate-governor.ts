// Keeps our client inside Binance's limits so that Binance never has to ban us. It learns the limits from
// exchangeInfo.rateLimits and the current usage from the X-MBX-USED-WEIGHT-* / X-MBX-ORDER-COUNT-* headers
// of every answer, and refuses locally (without touching the network) when:
//  - a request would push the used weight of the current interval over the limit,
//  - an order would exceed an order-count limit,
//  - a 429 told us to back off (Retry-After), until then,
//  - a 418 banned the IP, until the ban ends.
// Intervals are aligned to the clock as Binance aligns them (a 1-minute interval starts at :00).

import type { ThrottledFailure } from './result.js';
import type { RateLimitJson } from './types.js';

interface Limiter {
  kind: 'weight' | 'orders';
  /** Header suffix, e.g. '1M', '10S', '1D'. */
  suffix: string;
  intervalMs: number;
  limit: number;
  used: number;
  /** Start of the interval `used` belongs to. */
  windowStart: number;
}

const UNIT_MS: Record<string, number> = { S: 1000, M: 60_000, H: 3_600_000, D: 86_400_000 };
const INTERVAL_LETTER: Record<RateLimitJson['interval'], string> = { SECOND: 'S', MINUTE: 'M', HOUR: 'H', DAY: 'D' };

/** Binance's published defaults (enums.md, web-socket-api.md), used until exchangeInfo says otherwise. */
export const DEFAULT_RATE_LIMITS: readonly RateLimitJson[] = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160000 },
];

export function intervalSuffix(limit: Pick<RateLimitJson, 'interval' | 'intervalNum'>): string {
  return `${limit.intervalNum}${INTERVAL_LETTER[limit.interval]}`;
}

function suffixMs(suffix: string): number {
  const unit = UNIT_MS[suffix.slice(-1).toUpperCase()];
  const n = Number.parseInt(suffix.slice(0, -1), 10);
  return unit === undefined || !Number.isFinite(n) ? 0 : n * unit;
}

export interface GovernorSnapshot {
  limits: { kind: 'weight' | 'orders'; interval: string; limit: number; used: number }[];
  backoffUntil: number;
  ordersBackoffUntil: number;
  bannedUntil: number;
}

export class RateGovernor {
  private limiters: Limiter[] = [];
  private backoffUntil = 0;
  private ordersBackoffUntil = 0;
  private bannedUntil = 0;

  constructor(
    limits: readonly RateLimitJson[] = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.setLimits(limits);
  }

  /** Adopts the limits from exchangeInfo (keeps the usage already observed for matching intervals). */
  setLimits(limits: readonly RateLimitJson[]): void {
    const old = this.limiters;
    this.limiters = [];
    for (const l of limits) {
      if (l.rateLimitType === 'RAW_REQUESTS') continue;
      const kind = l.rateLimitType === 'REQUEST_WEIGHT' ? 'weight' : 'orders';
      const suffix = intervalSuffix(l);
      const prev = old.find((o) => o.kind === kind && o.suffix === suffix);
      this.limiters.push({
        kind,
        suffix,
        intervalMs: suffixMs(suffix),
        limit: l.limit,
        used: prev?.used ?? 0,
        windowStart: prev?.windowStart ?? 0,
      });
    }
  }

  /** null when a request of this weight (and an order, if it is one) may be sent now. */
  admit(weight: number, isOrder: boolean): ThrottledFailure | null {
    const now = this.now();
    if (now < this.bannedUntil) {
      return refusal(-1003, `IP banned by Binance until ${new Date(this.bannedUntil).toISOString()}; not sending`, this.bannedUntil, true);
    }
    if (now < this.backoffUntil) {
      return refusal(-1003, `backing off after HTTP 429 until ${new Date(this.backoffUntil).toISOString()}; not sending`, this.backoffUntil, false);
    }
    if (isOrder && now < this.ordersBackoffUntil) {
      return refusal(-1015, `order rate limit hit; no new orders until ${new Date(this.ordersBackoffUntil).toISOString()}`, this.ordersBackoffUntil, false);
    }
    for (const l of this.limiters) {
      const windowStart = now - (now % l.intervalMs);
      if (l.windowStart !== windowStart) continue; // a fresh interval: nothing used yet
      const end = windowStart + l.intervalMs;
      if (l.kind === 'weight' && l.used + weight > l.limit) {
        return refusal(-1003, `request weight ${l.used}+${weight} would exceed ${l.limit} per ${l.suffix}; wait until ${new Date(end).toISOString()}`, end, false);
      }
      if (l.kind === 'orders' && isOrder && l.used + 1 > l.limit) {
        return refusal(-1015, `order count ${l.used} is at the limit of ${l.limit} per ${l.suffix}; wait until ${new Date(end).toISOString()}`, end, false);
      }
    }
    return null;
  }

  /** Learns from an answer: its usage headers, and any 429/418 with Retry-After. */
  observe(status: number, usage: { usedWeight: Record<string, number>; orderCount: Record<string, number> }, retryAfterSeconds: number | undefined, code: number): void {
    const now = this.now();
    for (const l of this.limiters) {
      const value = (l.kind === 'weight' ? usage.usedWeight : usage.orderCount)[l.suffix];
      if (value === undefined) continue;
      const windowStart = now - (now % l.intervalMs);
      l.used = l.windowStart === windowStart ? Math.max(l.used, value) : value;
      l.windowStart = windowStart;
    }
    if (status !== 429 && status !== 418) return;
    const until = now + (retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : 60_000);
    if (status === 418) this.bannedUntil = Math.max(this.bannedUntil, until);
    else if (code === -1015) this.ordersBackoffUntil = Math.max(this.ordersBackoffUntil, until);
    else this.backoffUntil = Math.max(this.backoffUntil, until);
  }

  snapshot(): GovernorSnapshot {
    return {
      limits: this.limiters.map((l) => ({ kind: l.kind, interval: l.suffix, limit: l.limit, used: l.used })),
      backoffUntil: this.backoffUntil,
      ordersBackoffUntil: this.ordersBackoffUntil,
      bannedUntil: this.bannedUntil,
    };
  }
}

function refusal(code: number, msg: string, retryAt: number, banned: boolean): ThrottledFailure {
  return { ok: false, kind: 'throttled', status: 0, code, msg, retryAt, banned, local: true };
}
