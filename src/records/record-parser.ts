// Reads record lines back into entries (record-entries.ts). The inverse of the v1 text encoder (scripts/bench/record-text-v1-encoder.ts); a line that
// does not follow the format is an error naming what is wrong, never a silently skipped event.

import type { CancelReason, RejectReason, Side, TradingStatus } from '../venue/model/enums.js';
import type { RecordEntry, RecordedOrder, RoutedEntry, TradeEntry, TradeParty } from './record-entries.js';
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
  routed: HEAD + ORDER + 7,
};

const ROUTED_KINDS: ReadonlySet<string> = new Set(['new', 'fill', 'pendingCancel', 'pendingReplace', 'rejected', 'restated']);

function int(text: string, what: string): number {
  const n = Number(text);
  if (text === '' || !Number.isSafeInteger(n)) throw new Error(`${what} is not an integer: "${text}"`);
  return n;
}

let lastTimeText = '';
let lastTimeMs = NaN;

/** Consecutive lines mostly share a time (the events of one command): parse each distinct text once. */
function time(text: string, what: string): number {
  if (text === lastTimeText) return lastTimeMs;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${what} is not an ISO time: "${text}"`);
  lastTimeText = text;
  lastTimeMs = ms;
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
  // Object literals with every field spelled out (no spreads): readers parse millions of these.
  const seq = int(f[1]!, 'seq');
  const commandSeq = int(f[2]!, 'commandSeq');
  const t = time(f[3]!, 'time');
  switch (type) {
    case 'trade':
      return {
        type, seq, commandSeq, time: t, tradeDate, symbol: un(f[4]!), matchId: int(f[5]!, 'matchId'), price: f[6]!, qty: f[7]!,
        aggressorSide: sideOf(f[8]!), buy: party(f, 9), sell: party(f, 9 + PARTY),
      };
    case 'accepted':
    case 'expired':
    case 'triggered':
      return { type, seq, commandSeq, time: t, tradeDate, order: order(f, HEAD) };
    case 'replaced':
      return { type, seq, commandSeq, time: t, tradeDate, order: order(f, HEAD), keptPriority: f[HEAD + ORDER] === '1' };
    case 'cancelled':
      return {
        type, seq, commandSeq, time: t, tradeDate, order: order(f, HEAD), reason: f[HEAD + ORDER] as CancelReason,
        requestId: un(f[HEAD + ORDER + 1]!),
      };
    case 'restated': {
      const reason = f[HEAD + ORDER];
      if (reason !== 'iceberg-refresh' && reason !== 'self-trade-decrement') throw new Error(`unknown restatement reason "${reason}"`);
      return { type, seq, commandSeq, time: t, tradeDate, order: order(f, HEAD), reason };
    }
    case 'rejected': {
      const side = rejectSide(f[11]!);
      return {
        type, seq, commandSeq, time: t, tradeDate, command: f[4]!, session: un(f[5]!), firm: un(f[6]!), account: un(f[7]!),
        clOrdId: un(f[8]!), origClOrdId: un(f[9]!), symbol: un(f[10]!), side: side.side, sideCode: side.sideCode,
        reason: f[12] as RejectReason, text: un(f[13]!), orderId: int(f[14]!, 'orderId'),
      };
    }
    case 'massCancelDone':
      return { type, seq, commandSeq, time: t, tradeDate, requestedBy: un(f[4]!), requestId: un(f[5]!), cancelled: int(f[6]!, 'cancelled count') };
    case 'tradingStatus':
      return { type, seq, commandSeq, time: t, tradeDate, symbol: un(f[4]!), status: f[5] as TradingStatus, reason: un(f[6]!) };
    case 'routed': {
      const at = HEAD + ORDER;
      const kind = f[at]!;
      if (!ROUTED_KINDS.has(kind)) throw new Error(`unknown routed step "${kind}"`);
      return {
        type, seq, commandSeq, time: t, tradeDate, order: order(f, HEAD), kind: kind as RoutedEntry['kind'], route: un(f[at + 1]!),
        price: f[at + 2]!, qty: f[at + 3]!, execId: un(f[at + 4]!), requestId: un(f[at + 5]!), text: un(f[at + 6]!),
      };
    }
  }
}

/** Parses a trade line; throws if the line is not a well-formed trade. */
export function parseTradeLine(line: string, tradeDate: string): TradeEntry {
  const entry = parseRecordLine(line, tradeDate);
  if (entry.type !== 'trade') throw new Error(`expected a trade line, got ${entry.type}`);
  return entry;
}

/** The fields of a trade line that settlement needs. */
export interface SettlementTrade {
  seq: number;
  symbol: string;
  price: string;
  qty: string;
  buy: { firm: string; account: string; role: 'maker' | 'taker' };
  sell: { firm: string; account: string; role: 'maker' | 'taker' };
}

// Field numbers in a trade line: 1 seq, 4 symbol, 6 price, 7 qty, then the buy party from 9 and the sell
// party from 18 (firm +2, account +3, role +5).
const TRADE_FIELDS = HEAD + 5 + 2 * PARTY;

/**
 * Reads only what settlement needs from a trade line, walking the tabs once instead of splitting every
 * field: settlement reads every trade of the venue, and this is most of its parsing cost.
 */
export function parseSettlementTrade(line: string): SettlementTrade {
  // Offsets of the tabs; field n runs from cuts[n] + 1 to cuts[n + 1].
  const cuts = TAB_CUTS;
  let n = 0;
  cuts[0] = -1;
  for (let i = line.indexOf('\t'); i >= 0 && n < TRADE_FIELDS; i = line.indexOf('\t', i + 1)) cuts[++n] = i;
  if (n !== TRADE_FIELDS - 1 || !line.startsWith('trade\t') || line.indexOf('\t', cuts[n]! + 1) >= 0) {
    throw new Error(`not a trade line with ${TRADE_FIELDS} fields: ${line.slice(0, 60)}`);
  }
  cuts[TRADE_FIELDS] = line.length;
  return {
    seq: int(line.slice(cuts[1]! + 1, cuts[2]), 'seq'),
    symbol: un(line.slice(cuts[4]! + 1, cuts[5])),
    price: line.slice(cuts[6]! + 1, cuts[7]),
    qty: line.slice(cuts[7]! + 1, cuts[8]),
    buy: { firm: un(line.slice(cuts[11]! + 1, cuts[12])), account: un(line.slice(cuts[12]! + 1, cuts[13])), role: roleOf(line.slice(cuts[14]! + 1, cuts[15])) },
    sell: { firm: un(line.slice(cuts[20]! + 1, cuts[21])), account: un(line.slice(cuts[21]! + 1, cuts[22])), role: roleOf(line.slice(cuts[23]! + 1, cuts[24])) },
  };
}

const TAB_CUTS: number[] = new Array<number>(TRADE_FIELDS + 1).fill(0);

function roleOf(r: string): 'maker' | 'taker' {
  if (r !== 'maker' && r !== 'taker') throw new Error(`trade role is not maker or taker: "${r}"`);
  return r;
}
