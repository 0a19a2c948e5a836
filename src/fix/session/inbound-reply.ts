// The InboundContext handed to fromApp: remembers the first reject the application asks for, so the session can
// send it after the callback with QuickFIX's sequence-number rules (the reject, not the normal path, consumes the
// incoming MsgSeqNum). One instance per session, reset per message.

import type { InboundContext } from './application.js';

export class InboundReply implements InboundContext {
  kind: 'none' | 'reject' | 'business' = 'none';
  reason = 0;
  refTagId: number | null = null;
  text: string | undefined = undefined;

  reset(): this {
    this.kind = 'none';
    this.refTagId = null;
    this.text = undefined;
    return this;
  }

  reject(reason: number, refTagId?: number, text?: string): void {
    this.set('reject', reason, refTagId, text);
  }

  businessReject(reason: number, text?: string, refTagId?: number): void {
    this.set('business', reason, refTagId, text);
  }

  private set(kind: 'reject' | 'business', reason: number, refTagId: number | undefined, text: string | undefined): void {
    if (this.kind !== 'none') return;
    this.kind = kind;
    this.reason = reason;
    this.refTagId = refTagId ?? null;
    this.text = text;
  }
}
