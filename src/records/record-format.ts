// The execution record's text format (v1): one event per line, tab-separated, so a compliance officer can read it
// with `less` or load it into a spreadsheet, and a program can split it without a JSON parser. The venue stores
// binary records now (binary-format.ts) and renders this text only when read (record-text.ts, npm run record:text);
// day files that earlier versions wrote in it stay readable (record-parser.ts).
//
//   <type> <seq> <commandSeq> <time> <fields of the type...>
//
// Free text (ids, reasons, reject text) is escaped: backslash, tab, newline and carriage return become
// \\ \t \n \r, so a line never contains a raw tab or newline inside a field. Prices and quantities are exact
// decimal strings printed at the instrument's decimals ("60000.00", "0.50000"); an empty field means "none"
// (no limit price on a market order, no stop price, no expiry). Times are UTC ISO 8601 with milliseconds.
// Enumerations are words (buy/sell, limit, gtc, filled ...) rather than FIX codes.

import { OrderStatus, OrdType, Side, TimeInForce } from '../venue/model/enums.js';

export const FORMAT_VERSION = 1;

/** Fields of the order block that accepted, replaced, cancelled, expired, triggered and restated lines carry. */
export const ORDER_FIELDS = [
  'orderId', 'session', 'firm', 'account', 'clOrdId', 'origClOrdId', 'symbol', 'side', 'ordType', 'tif',
  'price', 'stopPx', 'qty', 'cumQty', 'leavesQty', 'status', 'maxFloor', 'minQty', 'expireTime', 'postOnly',
] as const;

/** Fields of one side (buy, then sell) of a trade line. */
export const PARTY_FIELDS = ['orderId', 'session', 'firm', 'account', 'clOrdId', 'role', 'cumQty', 'leavesQty', 'status'] as const;

/** Written at the top of every day file so that the file explains itself. */
export function fileHeader(date: string): string {
  const order = `<order> = ${ORDER_FIELDS.join(' ')}`;
  const party = `<party> = ${PARTY_FIELDS.join(' ')}`;
  return [
    `# venue execution record, trade date ${date} (UTC), format v${FORMAT_VERSION}`,
    '# one event per line, tab-separated; \\\\ \\t \\n \\r are escaped; prices and quantities are exact decimals, empty = none; times UTC',
    '# accepted|expired|triggered  seq commandSeq time <order>',
    '# replaced                    seq commandSeq time <order> keptPriority(1|0)',
    '# cancelled                   seq commandSeq time <order> reason requestId',
    '# restated                    seq commandSeq time <order> reason',
    '# rejected                    seq commandSeq time command session firm account clOrdId origClOrdId symbol side reason text orderId',
    '# trade                       seq commandSeq time symbol matchId price qty aggressorSide <buy party> <sell party>',
    '# massCancelDone              seq commandSeq time requestedBy requestId cancelledCount',
    '# tradingStatus               seq commandSeq time symbol status reason',
    '# routed                      seq commandSeq time <order> kind route price qty execId requestId text  (an order routed out: new, fill, pendingCancel, pendingReplace, rejected, restated)',
    `# ${order}`,
    `# ${party}`,
    '',
  ].join('\n');
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** Escapes free text for a field. Most ids need nothing, and the test is cheap. */
export function escapeField(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') out += '\\\\';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else out += c;
  }
  return out;
}

export function unescapeField(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 === text.length) {
      out += c;
      continue;
    }
    const n = text[++i];
    out += n === 't' ? '\t' : n === 'n' ? '\n' : n === 'r' ? '\r' : n;
  }
  return out;
}

// Enumeration words, indexed by the venue's codes. Lookups are array/object reads: nothing is built per event.

const SIDE_WORDS: Record<number, string> = { [Side.Buy]: 'buy', [Side.Sell]: 'sell' };
const ORD_TYPE_WORDS: Record<number, string> = {
  [OrdType.Market]: 'market', [OrdType.Limit]: 'limit', [OrdType.Stop]: 'stop', [OrdType.StopLimit]: 'stop-limit',
};
const TIF_WORDS: Record<number, string> = {
  [TimeInForce.Day]: 'day', [TimeInForce.GTC]: 'gtc', [TimeInForce.IOC]: 'ioc', [TimeInForce.FOK]: 'fok', [TimeInForce.GTD]: 'gtd',
  [TimeInForce.AtTheOpening]: 'opg', [TimeInForce.AtTheClose]: 'atc',
};
const STATUS_WORDS: Record<string, string> = {
  [OrderStatus.New]: 'new', [OrderStatus.PartiallyFilled]: 'partially-filled', [OrderStatus.Filled]: 'filled',
  [OrderStatus.Cancelled]: 'cancelled', [OrderStatus.Replaced]: 'replaced', [OrderStatus.PendingCancel]: 'pending-cancel',
  [OrderStatus.Rejected]: 'rejected', [OrderStatus.PendingNew]: 'pending-new', [OrderStatus.Expired]: 'expired',
  [OrderStatus.PendingReplace]: 'pending-replace',
};

function invert<K extends string | number>(words: Record<K, string>, numeric: boolean): Map<string, K> {
  const m = new Map<string, K>();
  for (const [k, w] of Object.entries(words) as Array<[string, string]>) m.set(w, (numeric ? Number(k) : k) as K);
  return m;
}

const SIDES = invert<Side>(SIDE_WORDS as Record<Side, string>, true);
const ORD_TYPES = invert<OrdType>(ORD_TYPE_WORDS as Record<OrdType, string>, true);
const TIFS = invert<TimeInForce>(TIF_WORDS as Record<TimeInForce, string>, true);
const STATUSES = invert<OrderStatus>(STATUS_WORDS as Record<OrderStatus, string>, false);

/** Unknown codes print as "?<code>" rather than failing: the record must never refuse an event. */
export const sideWord = (s: number): string => SIDE_WORDS[s] ?? `?${s}`;
export const ordTypeWord = (t: number): string => ORD_TYPE_WORDS[t] ?? `?${t}`;
export const tifWord = (t: number): string => TIF_WORDS[t] ?? `?${t}`;
export const statusWord = (s: string): string => STATUS_WORDS[s] ?? `?${s}`;

function lookup<T>(map: Map<string, T>, word: string, what: string): T {
  const v = map.get(word);
  if (v === undefined) throw new Error(`unknown ${what} "${word}"`);
  return v;
}

export const sideOf = (w: string): Side => lookup(SIDES, w, 'side');
export const ordTypeOf = (w: string): OrdType => lookup(ORD_TYPES, w, 'order type');
export const tifOf = (w: string): TimeInForce => lookup(TIFS, w, 'time in force');
export const statusOf = (w: string): OrderStatus => lookup(STATUSES, w, 'order status');
