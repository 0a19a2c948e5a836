// Reads binary records (layouts in binary-encoder.ts) back into the entries readers get (record-entries.ts): the
// same objects the text parser gives for the same event, prices and quantities as exact decimal strings at the
// decimals stored in the record. Runs on the read side only (queries, reports, clearing's batches), never per event.

import type { CancelReason, OrderStatus, OrdType, RejectReason, Side, TimeInForce, TradingStatus } from '../venue/model/enums.js';
import { RECORD_COMMAND_SEQ_AT, RECORD_HEAD_BYTES, RECORD_SEQ_AT, RECORD_TIME_AT, RECORD_TYPE_AT, ROLE_MAKER, ROLE_TAKER, getI64, typeNameOf } from './binary-format.js';
import type { RecordEntry, RecordedOrder, RoutedEntry, TradeEntry, TradeParty } from './record-entries.js';

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A scaled integer as an exact decimal with exactly `decimals` places ("-12.50"), as the text format prints it. */
export function decimalText(v: number, decimals: number): string {
  const neg = v < 0;
  if (neg) v = -v;
  if (decimals === 0) return neg ? `-${v}` : String(v);
  const scale = POW10[decimals] ?? 10 ** decimals;
  const intPart = Math.floor(v / scale);
  const frac = String(v - intPart * scale).padStart(decimals, '0');
  return `${neg ? '-' : ''}${intPart}.${frac}`;
}

/** A decimal, or '' for 0 (none: no limit price, no stop, no floor). */
function optDecimal(v: number, decimals: number): string {
  return v === 0 ? '' : decimalText(v, decimals);
}

const CHARS: string[] = Array.from({ length: 256 }, (_, i) => (i === 0 ? '' : String.fromCharCode(i)));

/** A cursor over one record's fields, in the order the encoder wrote them. */
export class FieldReader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;

  at(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  i64(): number {
    const v = getI64(this.buf, this.pos);
    this.pos += 8;
    return v;
  }

  u8(): number {
    return this.buf[this.pos++]!;
  }

  str(): string {
    const start = this.skipStr();
    return start === this.pos ? '' : this.buf.toString('utf8', start, this.pos);
  }

  /** Steps over a length-prefixed string; returns where its bytes start (they end at pos). */
  skipStr(): number {
    const b = this.buf;
    let n = b[this.pos++]!;
    if (n === 255) {
      n = b.readUInt32LE(this.pos);
      this.pos += 4;
    }
    const start = this.pos;
    this.pos += n;
    if (this.pos > this.end) throw new Error('a string runs past the end of its record');
    return start;
  }
}

const reader = new FieldReader();

/** The type, seq and time of a record without decoding the rest. */
export function recordTypeCode(buf: Buffer, start: number): number {
  return buf[start + RECORD_TYPE_AT]!;
}

export function recordSeq(buf: Buffer, start: number): number {
  return getI64(buf, start + RECORD_SEQ_AT);
}

export function recordTime(buf: Buffer, start: number): number {
  return getI64(buf, start + RECORD_TIME_AT);
}

interface OrderFixed {
  orderId: number;
  price: number;
  stopPx: number;
  qty: number;
  cumQty: number;
  leavesQty: number;
  maxFloor: number;
  minQty: number;
  expireTime: number;
  side: number;
  ordType: number;
  tif: number;
  status: number;
  priceDecimals: number;
  qtyDecimals: number;
  postOnly: number;
}

function orderFixed(r: FieldReader): OrderFixed {
  const f: OrderFixed = {
    orderId: r.i64(), price: r.i64(), stopPx: r.i64(), qty: r.i64(), cumQty: r.i64(), leavesQty: r.i64(), maxFloor: r.i64(),
    minQty: r.i64(), expireTime: r.i64(), side: r.u8(), ordType: r.u8(), tif: r.u8(), status: r.u8(), priceDecimals: r.u8(),
    qtyDecimals: r.u8(), postOnly: r.u8(),
  };
  r.u8();
  return f;
}

function order(f: OrderFixed, r: FieldReader): RecordedOrder {
  const p = f.priceDecimals;
  const q = f.qtyDecimals;
  return {
    orderId: f.orderId, session: r.str(), firm: r.str(), account: r.str(), clOrdId: r.str(), origClOrdId: r.str(), symbol: r.str(),
    side: f.side as Side, ordType: f.ordType as OrdType, timeInForce: f.tif as TimeInForce,
    price: optDecimal(f.price, p), stopPx: optDecimal(f.stopPx, p), qty: decimalText(f.qty, q), cumQty: decimalText(f.cumQty, q),
    leavesQty: decimalText(f.leavesQty, q), status: CHARS[f.status] as OrderStatus, maxFloor: optDecimal(f.maxFloor, q),
    minQty: optDecimal(f.minQty, q), expireTime: f.expireTime, postOnly: f.postOnly === 1,
  };
}

interface PartyFixed {
  orderId: number;
  cumQty: number;
  leavesQty: number;
  role: number;
  status: number;
}

function partyFixed(r: FieldReader): PartyFixed {
  return { orderId: r.i64(), cumQty: r.i64(), leavesQty: r.i64(), role: r.u8(), status: r.u8() };
}

function party(f: PartyFixed, qtyDecimals: number, r: FieldReader): TradeParty {
  if (f.role !== ROLE_MAKER && f.role !== ROLE_TAKER) throw new Error(`trade role code ${f.role} is not maker or taker`);
  return {
    orderId: f.orderId, session: r.str(), firm: r.str(), account: r.str(), clOrdId: r.str(), role: f.role === ROLE_MAKER ? 'maker' : 'taker',
    cumQty: decimalText(f.cumQty, qtyDecimals), leavesQty: decimalText(f.leavesQty, qtyDecimals), status: CHARS[f.status] as OrderStatus,
  };
}

/** Decodes the record buf[start, end) filed under tradeDate. Throws an Error saying what is wrong. */
export function decodeRecord(buf: Buffer, start: number, end: number, tradeDate: string): RecordEntry {
  const code = buf[start + RECORD_TYPE_AT]!;
  const type = typeNameOf(code);
  if (type === undefined) throw new Error(`unknown record type code ${code}`);
  const seq = getI64(buf, start + RECORD_SEQ_AT);
  const commandSeq = getI64(buf, start + RECORD_COMMAND_SEQ_AT);
  const time = getI64(buf, start + RECORD_TIME_AT);
  const r = reader.at(buf, start + RECORD_HEAD_BYTES, end);
  const entry = decodeBody(type, r, seq, commandSeq, time, tradeDate);
  const padding = end - r.pos; // 0 to 3 zero bytes make a record a multiple of 4 bytes long
  if (padding < 0 || padding > 3) throw new Error(`${type} record ${seq} is ${end - start} bytes, its fields take ${r.pos - start}`);
  return entry;
}

function decodeBody(type: RecordEntry['type'], r: FieldReader, seq: number, commandSeq: number, time: number, tradeDate: string): RecordEntry {
  switch (type) {
    case 'trade': {
      const matchId = r.i64();
      const price = r.i64();
      const qty = r.i64();
      const aggressorSide = r.u8() as Side;
      const p = r.u8();
      const q = r.u8();
      const buyFixed = partyFixed(r);
      const sellFixed = partyFixed(r);
      const symbol = r.str();
      const buy = party(buyFixed, q, r);
      const sell = party(sellFixed, q, r);
      return { type, seq, commandSeq, time, tradeDate, symbol, matchId, price: decimalText(price, p), qty: decimalText(qty, q), aggressorSide, buy, sell };
    }
    case 'accepted':
    case 'expired':
    case 'triggered':
      return { type, seq, commandSeq, time, tradeDate, order: order(orderFixed(r), r) };
    case 'replaced': {
      const f = orderFixed(r);
      const keptPriority = r.u8() === 1;
      return { type, seq, commandSeq, time, tradeDate, order: order(f, r), keptPriority };
    }
    case 'cancelled': {
      const o = order(orderFixed(r), r);
      return { type, seq, commandSeq, time, tradeDate, order: o, reason: r.str() as CancelReason, requestId: r.str() };
    }
    case 'restated': {
      const o = order(orderFixed(r), r);
      const reason = r.str();
      if (reason !== 'iceberg-refresh' && reason !== 'self-trade-decrement') throw new Error(`unknown restatement reason "${reason}"`);
      return { type, seq, commandSeq, time, tradeDate, order: o, reason };
    }
    case 'rejected': {
      const orderId = r.i64();
      const side = r.u8();
      const command = r.str();
      const session = r.str();
      const firm = r.str();
      const account = r.str();
      const clOrdId = r.str();
      const origClOrdId = r.str();
      const symbol = r.str();
      const sideCode = side === 0 ? r.str() : String(side);
      return {
        type, seq, commandSeq, time, tradeDate, command, session, firm, account, clOrdId, origClOrdId, symbol, side: side as Side | 0,
        sideCode, reason: r.str() as RejectReason, text: r.str(), orderId,
      };
    }
    case 'massCancelDone': {
      const cancelled = r.i64();
      return { type, seq, commandSeq, time, tradeDate, requestedBy: r.str(), requestId: r.str(), cancelled };
    }
    case 'tradingStatus':
      return { type, seq, commandSeq, time, tradeDate, symbol: r.str(), status: r.str() as TradingStatus, reason: r.str() };
    case 'routed': {
      const f = orderFixed(r);
      const price = r.i64();
      const qty = r.i64();
      const o = order(f, r);
      const kind = r.str() as RoutedEntry['kind'];
      return {
        type, seq, commandSeq, time, tradeDate, order: o, kind, route: r.str(), price: optDecimal(price, f.priceDecimals),
        qty: optDecimal(qty, f.qtyDecimals), execId: r.str(), requestId: r.str(), text: r.str(),
      };
    }
  }
}

/** Decodes a trade record; throws if it is not one. */
export function decodeTrade(buf: Buffer, start: number, end: number, tradeDate: string): TradeEntry {
  const e = decodeRecord(buf, start, end, tradeDate);
  if (e.type !== 'trade') throw new Error(`expected a trade record, got ${e.type}`);
  return e;
}
