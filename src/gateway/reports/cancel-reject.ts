// OrderCancelReject(9) for a refused cancel or cancel/replace, written from a reused content object.

import { type FieldWriter, Tag } from '../../fix/index.js';

export class CancelRejectContent {
  account = '';
  clOrdId = '';
  origClOrdId = '';
  orderId = '';
  ordStatus = '';
  responseTo = '';
  reason = 0;
  text = '';
  transactTime = 0;
  copy = false;
}

export class CancelRejectWriter {
  readonly content = new CancelRejectContent();

  readonly write = (w: FieldWriter): void => {
    const c = this.content;
    if (c.account !== '') w.str(Tag.Account, c.account);
    w.str(Tag.ClOrdID, c.clOrdId);
    w.str(Tag.OrderID, c.orderId || 'NONE');
    w.char(Tag.OrdStatus, c.ordStatus);
    w.str(Tag.OrigClOrdID, c.origClOrdId);
    if (c.text !== '') w.str(Tag.Text, c.text);
    w.timestamp(Tag.TransactTime, c.transactTime);
    w.int(Tag.CxlRejReason, c.reason);
    w.char(Tag.CxlRejResponseTo, c.responseTo);
    // FIX 4.4 has no CopyMsgIndicator on MsgType 9: only a session whose dictionary adds it (the venue extension) gets it.
    if (c.copy && w.allows(Tag.CopyMsgIndicator)) w.bool(Tag.CopyMsgIndicator, true);
  };
}
