// Reads record lines back into entries (record-entries.ts). The inverse of record-encoder.ts; a line that
// does not follow the format is an error naming what is wrong, never a silently skipped event.

import type { CancelReason, RejectReason, Side, TradingStatus } from '../venue/model/enums.js';
import type { RecordEntry, RecordedOrder, TradeEntry, TradeParty } from './record-entries.js';
import { ORDER_FIELDS, PARTY_FIELDS, ordTypeOf, sideOf, statusOf, tifOf, unescapeField as un } from './record-format.js';

const HEAD = 4;
const ORDER = ORDER_FIELDS.length;
const PARTY = PARTY_FIELDS.length;

/** Field counts per line type (the type word included). */
const FIELD_COUNTS: Record<RecordEntry['type'], number> = {
  accepted: HEAD + ORDER,
  expired: HEAD + ORDER,
  triggered: HEAD + ORDER,
  replaced: HEAD + ORDER + 1,
  cancelled: HEAD + ORDER + 2,
  restated: HEAD + ORDER + 1,
  rejected: HEAD + 11,
  trade: HEAD + 5 + 2 * PARTY,
  massCancelDone: HEAD + 3,
  tradingStatus: HEAD + 3,
};

function int(text: string, what: string): number {
  const n = Number(text);
  if (text === '' || !Number.isSafeInteger(n)) throw new Error(`${what} is not an integer: "${text}"`);
  return n;
}

function time(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${what} is not an ISO time: "${text}"`);
  return ms;
}

function order(f: string[], at: number): RecordedOrder {
  return {
    orderId: int(f[at]!, 'orderId'),
    session: un(f[at + 1]!),
    firm: un(f[at + 2]!),
    account: un(f[at + 3]!),
    clOrdId: un(f[at + 4]!),
    origClOrdId: un(f[at + 5]!),
    symbol: un(f[at + 6]!),
    side: sideOf(f[at + 7]!),
    ordType: ordTypeOf(f[at + 8]!),
    timeInForce: tifOf(f[at + 9]!),
    price: f[at + 10]!,
    stopPx: f[at + 11]!,
    qty: f[at + 12]!,
    cumQty: f[at + 13]!,
    leavesQty: f[at + 14]!,
    status: statusOf(f[at + 15]!),
    maxFloor: f[at + 16]!,
    minQty: f[at + 17]!,
    expireTime: f[at + 18] === '' ? 0 : time(f[at + 18]!, 'expireTime'),
    postOnly: f[at + 19] === '1',
  };
}

function party(f: string[], at: number): TradeParty {
  const role = f[at + 5];
  if (role !== 'maker' && role !== 'taker') throw new Error(`trade role is not maker or taker: "${role}"`);
  return {
    orderId: int(f[at]!, 'orderId'),
    session: un(f[at + 1]!),
    firm: un(f[at + 2]!),
    account: un(f[at + 3]!),
    clOrdId: un(f[at + 4]!),
    role,
    cumQty: f[at + 6]!,
    leavesQty: f[at + 7]!,
    status: statusOf(f[at + 8]!),
  };
}

/** A reject's side: a word, or "?" and the side code that was sent when the venue does not know it. */
function rejectSide(word: string): { side: Side | 0; sideCode: string } {
  if (word.startsWith('?')) return { side: 0, sideCode: un(word.slice(1)) };
  const side = sideOf(word);
  return { side, sideCode: String(side) };
}

/** True for lines that carry no event (the header comments, a blank line). */
export function isCommentLine(line: string): boolean {
  return line.length === 0 || line.charCodeAt(0) === 35; /* # */
}

/** The type word of an event line, without splitting the rest. */
export function lineType(line: string): string {
  const tab = line.indexOf('\t');
  return tab < 0 ? line : line.slice(0, tab);
}

/** The seq of an event line (its second field), without splitting the rest. */
export function lineSeq(line: string): number {
  const a = line.indexOf('\t');
  const b = line.indexOf('\t', a + 1);
  return a < 0 || b < 0 ? NaN : Number(line.slice(a + 1, b));
}

/** The time of an event line (its fourth field), epoch ms; NaN when malformed. */
export function lineTime(line: string): number {
  const a = line.indexOf('\t');
  const b = line.indexOf('\t', a + 1);
  const c = line.indexOf('\t', b + 1);
  const d = line.indexOf('\t', c + 1);
  return a < 0 || b < 0 || c < 0 || d < 0 ? NaN : Date.parse(line.slice(c + 1, d));
}

/** Parses one event line (without its newline). Throws an Error saying what is wrong. */
export function parseRecordLine(line: string, tradeDate: string): RecordEntry {
  const f = line.split('\t');
  const type = f[0] as RecordEntry['type'];
  const expected = FIELD_COUNTS[type];
  if (expected === undefined) throw new Error(`unknown record type "${f[0]}"`);
  if (f.length !== expected) throw new Error(`${type} line has ${f.length} fields, expected ${expected}`);
  const base = { seq: int(f[1]!, 'seq'), commandSeq: int(f[2]!, 'commandSeq'), time: time(f[3]!, 'time'), tradeDate };
  switch (type) {
    case 'accepted':
    case 'expired':
    case 'triggered':
      return { ...base, type, order: order(f, HEAD) };
    case 'replaced':
      return { ...base, type, order: order(f, HEAD), keptPriority: f[HEAD + ORDER] === '1' };
    case 'cancelled':
      return { ...base, type, order: order(f, HEAD), reason: f[HEAD + ORDER] as CancelReason, requestId: un(f[HEAD + ORDER + 1]!) };
    case 'restated': {
      const reason = f[HEAD + ORDER];
      if (reason !== 'iceberg-refresh' && reason !== 'self-trade-decrement') throw new Error(`unknown restatement reason "${reason}"`);
      return { ...base, type, order: order(f, HEAD), reason };
    }
    case 'rejected':
      return {
        ...base, type, command: f[4]!, session: un(f[5]!), firm: un(f[6]!), account: un(f[7]!), clOrdId: un(f[8]!),
        origClOrdId: un(f[9]!), symbol: un(f[10]!), ...rejectSide(f[11]!), reason: f[12] as RejectReason, text: un(f[13]!),
        orderId: int(f[14]!, 'orderId'),
      };
    case 'trade':
      return parseTradeFields(f, base);
    case 'massCancelDone':
      return { ...base, type, requestedBy: un(f[4]!), requestId: un(f[5]!), cancelled: int(f[6]!, 'cancelled count') };
    case 'tradingStatus':
      return { ...base, type, symbol: un(f[4]!), status: f[5] as TradingStatus, reason: un(f[6]!) };
  }
}

function parseTradeFields(f: string[], base: { seq: number; commandSeq: number; time: number; tradeDate: string }): TradeEntry {
  return {
    ...base,
    type: 'trade',
    symbol: un(f[4]!),
    matchId: int(f[5]!, 'matchId'),
    price: f[6]!,
    qty: f[7]!,
    aggressorSide: sideOf(f[8]!),
    buy: party(f, 9),
    sell: party(f, 9 + PARTY),
  };
}

/** Parses a trade line; throws if the line is not a well-formed trade. */
export function parseTradeLine(line: string, tradeDate: string): TradeEntry {
  const entry = parseRecordLine(line, tradeDate);
  if (entry.type !== 'trade') throw new Error(`expected a trade line, got ${entry.type}`);
  return entry;
}
