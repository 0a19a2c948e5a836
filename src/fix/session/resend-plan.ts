// Which messages a ResendRequest gets back, following QuickFIX's Session::nextResendRequest: application messages
// are resent (unless the application declines), runs of admin messages and holes in the store become one
// SequenceReset-GapFill each, and when the request reaches past the last stored message a final gap fill from the
// request's BeginSeqNo covers the rest (QuickFIX's exact behaviour, kept for conformance). The planner takes the
// stored messages in order, a chunk at a time, so a long resend can be streamed from disk.

import type { StoredMessage } from '../store/message-store.js';

export type ResendStep =
  | { kind: 'gapFill'; begin: number; newSeqNo: number }
  | { kind: 'resend'; message: StoredMessage };

export class ResendPlanner {
  private gapBegin = 0;
  private current: number;
  private lastSeq = 0;

  constructor(
    private readonly begin: number,
    private readonly end: number,
    private readonly nextSenderSeq: number,
    private readonly canResend: (message: StoredMessage) => boolean,
  ) {
    this.current = begin;
  }

  /** The steps a stored message (given in seq order) leads to. */
  add(message: StoredMessage, steps: ResendStep[] = []): ResendStep[] {
    const seq = message.seq;
    if (this.current !== seq && this.gapBegin === 0) this.gapBegin = this.current;
    if (message.admin || !this.canResend(message)) {
      if (this.gapBegin === 0) this.gapBegin = seq;
    } else {
      if (this.gapBegin !== 0) steps.push({ kind: 'gapFill', begin: this.gapBegin, newSeqNo: seq });
      steps.push({ kind: 'resend', message });
      this.gapBegin = 0;
    }
    this.current = seq + 1;
    this.lastSeq = seq;
    return steps;
  }

  /** The closing steps, once every stored message of the range was added. */
  finish(steps: ResendStep[] = []): ResendStep[] {
    if (this.gapBegin !== 0) steps.push({ kind: 'gapFill', begin: this.gapBegin, newSeqNo: this.lastSeq + 1 });
    if (this.end > this.lastSeq) {
      steps.push({ kind: 'gapFill', begin: this.begin, newSeqNo: Math.min(this.end + 1, this.nextSenderSeq) });
    }
    return steps;
  }
}

export function planResend(
  begin: number,
  end: number,
  stored: readonly StoredMessage[],
  nextSenderSeq: number,
  canResend: (message: StoredMessage) => boolean,
): ResendStep[] {
  const planner = new ResendPlanner(begin, end, nextSenderSeq, canResend);
  const steps: ResendStep[] = [];
  for (const message of stored) planner.add(message, steps);
  return planner.finish(steps);
}

/** The EndSeqNo a ResendRequest really means: 0 (FIX 4.2+) or anything past what we sent is "up to the last". */
export function effectiveResendEnd(end: number, nextSenderSeq: number): number {
  return end === 0 || end >= nextSenderSeq ? nextSenderSeq - 1 : end;
}
