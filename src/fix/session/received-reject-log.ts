// A session Reject from the counterparty means it could not process something we sent (often a field its
// dictionary lacks): an ops event, logged at warn with what the Reject says, so it is seen without the dashboard.
// A counterparty that rejects everything would flood the log: per session, at most BURST lines per minute, then
// one line saying how many were left out when the minute ends.

import type { FixMessageView } from '../codec/message-view.js';
import type { FixLogger } from '../transport/fix-logger.js';
import { sessionRejectText } from './reject-reasons.js';

const BURST = 20;
const WINDOW_MS = 60_000;

export class ReceivedRejectLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;

  constructor(
    private readonly logger: FixLogger,
    private readonly session: string,
  ) {}

  record(view: FixMessageView, now: number): void {
    if (now - this.windowStart >= WINDOW_MS) {
      if (this.suppressed > 0) {
        this.logger.warn('FIX session Rejects received and not logged', { session: this.session, count: this.suppressed });
      }
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged >= BURST) {
      this.suppressed++;
      return;
    }
    this.logged++;
    const reason = view.getInt(373);
    this.logger.warn('FIX session Reject received', {
      session: this.session,
      text: view.getString(58) ?? '',
      refSeqNum: view.getInt(45) ?? null,
      refTagId: view.getInt(371) ?? null,
      refMsgType: view.getString(372) ?? '',
      rejectReason: reason ?? null,
      rejectReasonText: reason === undefined ? '' : sessionRejectText(reason),
    });
  }
}
