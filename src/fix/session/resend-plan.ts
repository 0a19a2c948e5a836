// Which messages a ResendRequest gets back, following QuickFIX's Session::nextResendRequest: application messages
// are resent (unless the application declines), runs of admin messages and holes in the store become one
// SequenceReset-GapFill each, and when the request reaches past the last stored message a final gap fill from the
// request's BeginSeqNo covers the rest (QuickFIX's exact behaviour, kept for conformance).

import type { StoredMessage } from '../store/message-store.js';

export type ResendStep =
  | { kind: 'gapFill'; begin: number; newSeqNo: number }
  | { kind: 'resend'; message: StoredMessage };

export function planResend(
  begin: number,
  end: number,
  stored: readonly StoredMessage[],
  nextSenderSeq: number,
  canResend: (message: StoredMessage) => boolean,
): ResendStep[] {
  const steps: ResendStep[] = [];
  let gapBegin = 0;
  let current = begin;
  let lastSeq = 0;
  for (const message of stored) {
    const seq = message.seq;
    if (current !== seq && gapBegin === 0) gapBegin = current;
    if (message.admin || !canResend(message)) {
      if (gapBegin === 0) gapBegin = seq;
    } else {
      if (gapBegin !== 0) steps.push({ kind: 'gapFill', begin: gapBegin, newSeqNo: seq });
      steps.push({ kind: 'resend', message });
      gapBegin = 0;
    }
    current = seq + 1;
    lastSeq = seq;
  }
  if (gapBegin !== 0) steps.push({ kind: 'gapFill', begin: gapBegin, newSeqNo: lastSeq + 1 });
  if (end > lastSeq) steps.push({ kind: 'gapFill', begin, newSeqNo: Math.min(end + 1, nextSenderSeq) });
  return steps;
}

/** The EndSeqNo a ResendRequest really means: 0 (FIX 4.2+) or anything past what we sent is "up to the last". */
export function effectiveResendEnd(end: number, nextSenderSeq: number): number {
  return end === 0 || end >= nextSenderSeq ? nextSenderSeq - 1 : end;
}
