// OrderMassCancelReport(r): the answer to an OrderMassCancelRequest(q). The cancels themselves are ordinary
// ExecutionReports; this report says how many orders the request affected, or why it was refused.

import { type FieldWriter, MsgType, type SessionHandle, Tag } from '../../fix/index.js';
import type { MassCancelDoneEvent } from '../../venue/model/events.js';
import type { MassCancelReporter } from '../reports/report-publisher.js';
import type { SessionDirectory } from '../session-directory.js';

interface PendingRequest {
  type: string;
  symbol: string;
  sideCode: string;
}

export class MassCancelReports implements MassCancelReporter {
  /** Requests submitted and not yet answered, by requesting session and request id. */
  private readonly pending = new Map<string, PendingRequest>();
  private readonly content = {
    clOrdId: '',
    type: '',
    response: '',
    rejectReason: -1,
    affected: 0,
    symbol: '',
    sideCode: '',
    text: '',
    reportId: '',
  };
  private readonly prefix = `M${Date.now().toString(36)}-`;

  constructor(private readonly directory: SessionDirectory) {}

  private readonly write = (w: FieldWriter): void => {
    const c = this.content;
    w.str(Tag.ClOrdID, c.clOrdId);
    w.str(Tag.OrderID, c.reportId);
    if (c.symbol !== '') w.str(Tag.Symbol, c.symbol);
    if (c.sideCode !== '') w.char(Tag.Side, c.sideCode);
    if (c.text !== '') w.str(Tag.Text, c.text);
    w.char(Tag.MassCancelRequestType, c.type);
    w.char(Tag.MassCancelResponse, c.response);
    if (c.rejectReason >= 0) w.int(Tag.MassCancelRejectReason, c.rejectReason);
    w.int(Tag.TotalAffectedOrders, c.affected);
  };

  /** The handler is about to submit this request; its done-event will come back synchronously. */
  expect(requestId: string, type: string, symbol: string, sideCode: string): void {
    this.pending.set(requestId, { type, symbol, sideCode });
  }

  onMassCancelDone(e: MassCancelDoneEvent): void {
    const request = this.pending.get(e.requestId);
    if (request === undefined) return; // ops, kill switch or disconnect: nobody asked over FIX
    this.pending.delete(e.requestId);
    const handle = this.directory.get(e.requestedBy)?.handle;
    if (!handle) return;
    const c = this.content;
    c.clOrdId = e.requestId;
    c.reportId = String(e.seq);
    c.type = request.type;
    c.response = request.type; // MassCancelResponse echoes the kind of request honoured
    c.rejectReason = -1;
    c.affected = e.cancelled;
    c.symbol = request.symbol;
    c.sideCode = request.sideCode;
    c.text = '';
    handle.send(MsgType.OrderMassCancelReport, this.write);
  }

  rejected(session: SessionHandle, requestId: string, type: string, symbol: string, sideCode: string, reason: number, text: string): void {
    const c = this.content;
    c.clOrdId = requestId;
    c.reportId = this.prefix + requestId;
    c.type = /^[1-7]$/.test(type) ? type : '7';
    c.response = '0';
    c.rejectReason = reason;
    c.affected = 0;
    c.symbol = symbol;
    c.sideCode = sideCode;
    c.text = text;
    session.send(MsgType.OrderMassCancelReport, this.write);
  }
}
