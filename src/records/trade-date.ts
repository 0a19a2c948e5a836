// Trade dates are UTC calendar dates ("2025-01-31") of the event time, the same rule the gateway uses for
// TradeDate(75). Times print as ISO 8601 UTC with milliseconds.

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** UTC date of an epoch-ms time. */
export function tradeDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00:00.000 UTC on a trade date; NaN for a malformed date. */
export function dateStartMs(date: string): number {
  const m = DATE_RE.exec(date);
  if (m === null) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return tradeDateOf(ms) === date ? ms : NaN; // refuses 2025-02-30
}

export function isTradeDate(text: string): boolean {
  return !Number.isNaN(dateStartMs(text));
}

export function addDays(date: string, days: number): string {
  return tradeDateOf(dateStartMs(date) + days * DAY_MS);
}

/** Parses an ISO time written by the record; NaN when malformed. */
export function parseIsoMs(text: string): number {
  return Date.parse(text);
}

/**
 * The trade date of event times, remembering the last day: the string is made once per UTC day, not per event
 * (the binary record stores times as numbers and needs only the date to pick its file).
 */
export class TradeDateCache {
  private day = NaN;
  private date = '';

  of(ms: number): string {
    // A time outside what Date can print (NaN, ±8.64e15) is filed as 1970-01-01, as the text format printed it.
    const t = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : 0;
    const day = Math.floor(t / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.date = tradeDateOf(day * DAY_MS);
    }
    return this.date;
  }
}
