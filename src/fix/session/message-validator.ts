// The dictionary check the session runs on every incoming message before its own sequence and CompID checks, in
// QuickFIX's order. The result names the SessionRejectReason(373), the RefTagID(371) when there is one, and the
// Text(58) of the Reject.

import type { FixMessageView } from '../codec/message-view.js';

export interface ValidationFailure {
  reason: number;
  /** RefTagID; null when the Reject carries none. */
  tag: number | null;
  text: string;
}

export type MessageValidator = (view: FixMessageView) => ValidationFailure | null;
