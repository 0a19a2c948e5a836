// The test application of QuickFIX's reference acceptor (at_application.h), rebuilt on our Application interface:
// NewOrderSingle is echoed back unless PossResend=Y and its ClOrdID was already seen on this session since logon;
// SecurityDefinition and Email are echoed; every other application message gets BusinessMessageReject
// "Unsupported Message Type". An echo keeps the header fields QuickFIX's Session::send keeps (everything but the
// ones the session fills, and PossDupFlag/OrigSendingTime) and the body byte for byte.

import type { FixMessageView } from '../../src/fix/codec/message-view.js';
import { Section } from '../../src/fix/dictionary/model.js';
import type { Application, InboundContext, SessionHandle } from '../../src/fix/index.js';
import { BusinessRejectReason } from '../../src/fix/index.js';

/** Header and trailer tags the session itself writes on every message it sends. */
const FILLED_BY_SESSION = new Set([8, 9, 10, 34, 35, 43, 49, 52, 56, 122]);

export class EchoApplication implements Application {
  private readonly seenClOrdIds = new Map<string, Set<string>>();

  onLogout(session: SessionHandle): void {
    this.seenClOrdIds.delete(session.key);
  }

  fromApp(session: SessionHandle, message: FixMessageView, ctx: InboundContext): void {
    switch (message.msgType) {
      case 'D': {
        const clOrdId = message.getString(11) ?? '';
        let seen = this.seenClOrdIds.get(session.key);
        if (!seen) {
          seen = new Set();
          this.seenClOrdIds.set(session.key, seen);
        }
        if (message.getBoolean(97) === true && seen.has(clOrdId)) return;
        seen.add(clOrdId);
        echo(session, message);
        return;
      }
      case 'd':
      case 'C':
        echo(session, message);
        return;
      default:
        ctx.businessReject(BusinessRejectReason.UnsupportedMessageType);
    }
  }
}

function echo(session: SessionHandle, message: FixMessageView): void {
  session.send(message.msgType, (w) => {
    for (let i = 0; i < message.fieldCount; i++) {
      if (message.ownerAt(i) !== -1 || message.sectionAt(i) === Section.Body) continue;
      if (!FILLED_BY_SESSION.has(message.tagAt(i))) w.copyField(message, i);
    }
    w.copyBody(message);
  });
}
