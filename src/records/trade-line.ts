// A binary trade record rendered straight to its v1 text line: the line clearing's job payloads carry. The same
// bytes formatRecordLine(decodeTrade(...)) gives, without the entry objects and decimal strings in between (the
// enqueuer renders every trade once, and those were most of what the venue process allocated per trade).

import { RECORD_COMMAND_SEQ_AT, RECORD_HEAD_BYTES, RECORD_SEQ_AT, RECORD_TIME_AT, RECORD_TYPE_AT, ROLE_MAKER, ROLE_TAKER, TYPE_CODES, getI64, typeNameOf } from './binary-format.js';
import { FieldReader } from './binary-decoder.js';
import { LineBuffer } from './line-buffer.js';
import { sideWord, statusWord } from './record-format.js';

const line = new LineBuffer(4096);
const STATUS_CHARS: string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** The trade layout's fields (binary-encoder.ts), strings as byte ranges of the record. */
class TradeFields {
  private readonly r = new FieldReader();
  matchId = 0;
  price = 0;
  qty = 0;
  aggressorSide = 0;
  priceDecimals = 0;
  qtyDecimals = 0;
  readonly buy = new PartyFields();
  readonly sell = new PartyFields();
  symbolStart = 0;
  symbolEnd = 0;

  read(buf: Buffer, start: number, end: number): void {
    const r = this.r.at(buf, start + RECORD_HEAD_BYTES, end);
    this.matchId = r.i64();
    this.price = r.i64();
    this.qty = r.i64();
    this.aggressorSide = r.u8();
    this.priceDecimals = r.u8();
    this.qtyDecimals = r.u8();
    this.buy.readFixed(r);
    this.sell.readFixed(r);
    this.symbolStart = r.skipStr();
    this.symbolEnd = r.pos;
    this.buy.readStrings(r);
    this.sell.readStrings(r);
    const padding = end - r.pos; // 0 to 3 zero bytes make a record a multiple of 4 bytes long
    if (padding < 0 || padding > 3) throw new Error(`trade record is ${end - start} bytes, its fields take ${r.pos - start}`);
  }
}

class PartyFields {
  orderId = 0;
  cumQty = 0;
  leavesQty = 0;
  role = 0;
  status = 0;
  /** Start and end of session, firm, account, clOrdId, in pairs. */
  readonly strings = new Int32Array(8);

  readFixed(r: FieldReader): void {
    this.orderId = r.i64();
    this.cumQty = r.i64();
    this.leavesQty = r.i64();
    this.role = r.u8();
    this.status = r.u8();
  }

  readStrings(r: FieldReader): void {
    for (let i = 0; i < 8; i += 2) {
      this.strings[i] = r.skipStr();
      this.strings[i + 1] = r.pos;
    }
  }
}

const fields = new TradeFields();

function party(p: PartyFields, src: Buffer, qtyDecimals: number, out: LineBuffer): void {
  if (p.role !== ROLE_MAKER && p.role !== ROLE_TAKER) throw new Error(`trade role code ${p.role} is not maker or taker`);
  out.int(p.orderId);
  for (let i = 0; i < 8; i += 2) {
    out.tab();
    out.escapedBytes(src, p.strings[i]!, p.strings[i + 1]!);
  }
  out.tab();
  out.word(p.role === ROLE_MAKER ? 'maker' : 'taker');
  out.tab();
  out.dec(p.cumQty, qtyDecimals);
  out.tab();
  out.dec(p.leavesQty, qtyDecimals);
  out.tab();
  out.word(statusWord(STATUS_CHARS[p.status]!));
}

/** The v1 text line (with its newline) of the trade record buf[start, end) filed under tradeDate. */
export function tradeLineFromBinary(buf: Buffer, start: number, end: number, tradeDate: string): string {
  const code = buf[start + RECORD_TYPE_AT]!;
  if (code !== TYPE_CODES.trade) throw new Error(`expected a trade record, got ${typeNameOf(code) ?? `type code ${code}`}`);
  const f = fields;
  f.read(buf, start, end);
  const out = line;
  out.reset();
  out.begin(tradeDate);
  out.word('trade');
  out.tab();
  const seq = getI64(buf, start + RECORD_SEQ_AT);
  out.int(seq);
  out.tab();
  out.int(getI64(buf, start + RECORD_COMMAND_SEQ_AT));
  out.tab();
  out.isoTime(getI64(buf, start + RECORD_TIME_AT));
  out.tab();
  out.escapedBytes(buf, f.symbolStart, f.symbolEnd);
  out.tab();
  out.int(f.matchId);
  out.tab();
  out.dec(f.price, f.priceDecimals);
  out.tab();
  out.dec(f.qty, f.qtyDecimals);
  out.tab();
  out.word(sideWord(f.aggressorSide));
  out.tab();
  party(f.buy, buf, f.qtyDecimals, out);
  out.tab();
  party(f.sell, buf, f.qtyDecimals, out);
  out.end(seq);
  return out.lineText();
}
