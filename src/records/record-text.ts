// Renders record entries as the text lines of format v1 (record-format.ts): exactly the line the venue used to
// write for the same event, so a binary day file reads, prints and feeds clearing's job payloads as the text files
// did. Read side only: trade capture, clearing's batches, the record:text script.

import { Side } from '../venue/model/enums.js';
import { LineBuffer } from './line-buffer.js';
import type { RecordEntry, RecordedOrder, TradeParty } from './record-entries.js';
import { ordTypeWord, sideWord, statusWord, tifWord } from './record-format.js';

const line = new LineBuffer(4096);

function order(o: RecordedOrder, out: LineBuffer): void {
  out.int(o.orderId);
  for (const s of [o.session, o.firm, o.account, o.clOrdId, o.origClOrdId, o.symbol]) {
    out.tab();
    out.text(s);
  }
  for (const w of [sideWord(o.side), ordTypeWord(o.ordType), tifWord(o.timeInForce), o.price, o.stopPx, o.qty, o.cumQty, o.leavesQty, statusWord(o.status), o.maxFloor, o.minQty]) {
    out.tab();
    out.text(w);
  }
  out.tab();
  if (o.expireTime !== 0) out.word(new Date(o.expireTime).toISOString());
  out.tab();
  out.word(o.postOnly ? '1' : '0');
}

function party(p: TradeParty, out: LineBuffer): void {
  out.int(p.orderId);
  for (const s of [p.session, p.firm, p.account, p.clOrdId, p.role, p.cumQty, p.leavesQty, statusWord(p.status)]) {
    out.tab();
    out.text(s);
  }
}

function texts(out: LineBuffer, ...fields: string[]): void {
  for (const f of fields) {
    out.tab();
    out.text(f);
  }
}

/** The v1 text line of an entry, with its newline. */
export function formatRecordLine(e: RecordEntry): string {
  const out = line;
  out.reset();
  out.begin(e.tradeDate);
  out.word(e.type);
  out.tab();
  out.int(e.seq);
  out.tab();
  out.int(e.commandSeq);
  out.tab();
  out.word(new Date(e.time).toISOString());
  out.tab();
  switch (e.type) {
    case 'trade':
      out.text(e.symbol);
      out.tab();
      out.int(e.matchId);
      texts(out, e.price, e.qty, sideWord(e.aggressorSide));
      out.tab();
      party(e.buy, out);
      out.tab();
      party(e.sell, out);
      break;
    case 'accepted':
    case 'expired':
    case 'triggered':
      order(e.order, out);
      break;
    case 'replaced':
      order(e.order, out);
      texts(out, e.keptPriority ? '1' : '0');
      break;
    case 'cancelled':
      order(e.order, out);
      texts(out, e.reason, e.requestId);
      break;
    case 'restated':
      order(e.order, out);
      texts(out, e.reason);
      break;
    case 'rejected':
      out.text(e.command);
      texts(out, e.session, e.firm, e.account, e.clOrdId, e.origClOrdId, e.symbol);
      out.tab();
      if (e.side === Side.Buy || e.side === Side.Sell) {
        out.word(sideWord(e.side));
      } else {
        out.word('?');
        out.text(e.sideCode);
      }
      texts(out, e.reason, e.text);
      out.tab();
      out.int(e.orderId);
      break;
    case 'massCancelDone':
      out.text(e.requestedBy);
      texts(out, e.requestId);
      out.tab();
      out.int(e.cancelled);
      break;
    case 'tradingStatus':
      out.text(e.symbol);
      texts(out, e.status, e.reason);
      break;
    case 'routed':
      order(e.order, out);
      texts(out, e.kind, e.route, e.price, e.qty, e.execId, e.requestId, e.text);
      break;
  }
  out.end(e.seq);
  return out.lineText();
}
