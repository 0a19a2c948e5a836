// What every client call returns: a value, or a failure that says which kind of failure it is, because a
// router must act differently on each. Every failure carries Binance's code and msg (or ours, for local
// refusals) so the venue can put them in a FIX Text.
//
//  rejected         Binance answered 4xx: the request was refused and changed nothing (409 partials excepted;
//                   their details are in `data`).
//  outcome-unknown  A mutating request (order, cancel, replace, amend) got 5xx, -1006/-1007, or no answer after
//                   it was sent. It may have executed. Never re-send it: query by client order id.
//  unavailable      A read failed without an answer (5xx, timeout, connection refused); safe to retry later.
//  throttled        429/418 from Binance, or refused locally by the governor while a backoff or ban runs.
//  invalid          Refused locally before sending: the decimal format, a mandatory parameter, or a symbol
//                   filter, with the code and message Binance would have used.

/** Rate-limit counters from the last response's X-MBX-USED-WEIGHT-* and X-MBX-ORDER-COUNT-* headers. */
export interface RateUsage {
  /** e.g. { '1M': 42 } from X-MBX-USED-WEIGHT-1M. */
  usedWeight: Record<string, number>;
  /** e.g. { '10S': 3, '1D': 120 } from X-MBX-ORDER-COUNT-10S / -1D. */
  orderCount: Record<string, number>;
}

export interface BinanceOk<T> {
  ok: true;
  value: T;
  status: number;
  usage: RateUsage;
}

interface FailureBase {
  ok: false;
  /** HTTP status, 0 when there was no answer. */
  status: number;
  /** Binance error code; 0 when Binance gave none (transport failure, non-JSON body). */
  code: number;
  msg: string;
}

export interface RejectedFailure extends FailureBase {
  kind: 'rejected';
  /** Extra payload Binance attached (cancel-replace results). */
  data?: unknown;
}

export interface OutcomeUnknownFailure extends FailureBase {
  kind: 'outcome-unknown';
}

export interface UnavailableFailure extends FailureBase {
  kind: 'unavailable';
}

export interface ThrottledFailure extends FailureBase {
  kind: 'throttled';
  /** Epoch ms before which no such request should be sent. */
  retryAt: number;
  /** An IP ban (418) rather than a backoff (429). */
  banned: boolean;
  /** Refused by our governor without reaching Binance. */
  local: boolean;
}

export interface InvalidFailure extends FailureBase {
  kind: 'invalid';
}

export type BinanceFailure = RejectedFailure | OutcomeUnknownFailure | UnavailableFailure | ThrottledFailure | InvalidFailure;
export type BinanceResult<T> = BinanceOk<T> | BinanceFailure;

/** A short text for FIX Text(58): Binance's code and message. */
export function failureText(f: BinanceFailure): string {
  const origin = f.kind === 'invalid' || (f.kind === 'throttled' && f.local) ? 'refused locally' : 'Binance';
  return f.code !== 0 ? `${origin} ${f.code}: ${f.msg}` : `${origin}: ${f.msg}`;
}

export function invalid(code: number, msg: string): InvalidFailure {
  return { ok: false, kind: 'invalid', status: 0, code, msg };
}
