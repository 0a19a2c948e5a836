// The checks every incoming message passes before the session acts on it, as QuickFIX's Session::verify: a MsgSeqNum
// where one is needed, a message that fits the logon state, SendingTime within the allowed latency, the right
// CompIDs, then the sequence number against the one expected (too high: held and the gap asked for; too low: a
// PossDup is checked, anything else ends the session), and the application's fromAdmin, which may refuse a Logon.

import type { FixMessageView } from '../codec/message-view.js';
import type { AdminMessages } from './admin-messages.js';
import { SessionRejectReason } from './reject-reasons.js';
import { isAdminMsgType, type SessionCore } from './session-core.js';

export class InboundVerifier {
  constructor(
    private readonly core: SessionCore,
    private readonly admin: AdminMessages,
    /** The session's messages held behind a sequence gap, by MsgSeqNum. */
    private readonly queue: Map<number, FixMessageView>,
  ) {}

  /**
   * True when the session may act on `view`. Otherwise the check that failed has done what QuickFIX does (a Reject,
   * a Logout, a ResendRequest, a disconnect). checkTooHigh / checkTooLow: whether a MsgSeqNum above / below the
   * expected one counts against the message (each message type's handler says, as in QuickFIX's Session::next*).
   */
  verify(view: FixMessageView, now: number, checkTooHigh: boolean, checkTooLow: boolean): boolean {
    const msgType = view.msgType;
    let seq = 0;
    if (checkTooHigh || checkTooLow) {
      const value = view.getInt(34);
      if (value === undefined || Number.isNaN(value)) {
        this.core.session.disconnect('MsgSeqNum missing or malformed');
        return false;
      }
      seq = value;
    }
    if (!this.validLogonState(msgType)) {
      this.core.session.disconnect(`Logon state is not valid for message (MsgType=${msgType})`);
      return false;
    }
    if (!this.isGoodTime(view, now)) {
      this.doBadTime(view, now);
      return false;
    }
    if (!this.isCorrectCompId(view)) {
      this.doBadCompId(view, now);
      return false;
    }
    const expected = this.core.store.nextTargetSeq;
    if (checkTooHigh && seq > expected) {
      this.doTargetTooHigh(view, seq);
      return false;
    } else if (checkTooLow && seq < expected) {
      this.doTargetTooLow(view, seq, now);
      return false;
    }
    const s = this.core.state;
    if ((checkTooHigh || checkTooLow) && s.resendRequested && seq >= s.resendEnd) {
      this.core.log?.event(`ResendRequest for messages FROM: ${s.resendBegin} TO: ${s.resendEnd} has been satisfied.`, now);
      s.setResendRange(0, 0);
    }
    s.lastReceivedAt = now;
    s.testRequests = 0;
    if (isAdminMsgType(msgType) && this.core.app.fromAdmin) {
      const fromAdmin = this.core.app.fromAdmin.bind(this.core.app);
      const verdict = this.core.callApp('fromAdmin', () => fromAdmin(this.core.session, view), undefined);
      if (verdict && msgType === 'A') {
        this.admin.generateLogout(verdict.refuseLogon, now);
        this.core.session.disconnect(`logon refused by the application: ${verdict.refuseLogon}`);
        return false;
      }
    }
    return true;
  }

  private validLogonState(msgType: string): boolean {
    const s = this.core.state;
    if ((msgType === 'A' && s.sentReset) || s.receivedReset) return true;
    if ((msgType === 'A' && !s.receivedLogon) || (msgType !== 'A' && s.receivedLogon)) return true;
    if (msgType === '5' && s.sentLogon) return true;
    if (msgType !== '5' && s.sentLogout) return true;
    if (msgType === '4' || msgType === '3') return true;
    return false;
  }

  private isGoodTime(view: FixMessageView, now: number): boolean {
    if (!this.core.config.checkLatency) return true;
    const sendingTime = view.getTimestamp(52);
    if (sendingTime === undefined || Number.isNaN(sendingTime)) return false;
    return Math.abs(now - sendingTime) <= this.core.config.maxLatencySeconds * 1000;
  }

  private isCorrectCompId(view: FixMessageView): boolean {
    return view.valueEquals(49, this.core.id.targetCompId) && view.valueEquals(56, this.core.id.senderCompId);
  }

  private doBadTime(view: FixMessageView, now: number): void {
    if (!this.admin.generateReject(view, SessionRejectReason.SendingTimeAccuracyProblem, null, undefined, now)) return;
    this.admin.generateLogout('', now);
  }

  private doBadCompId(view: FixMessageView, now: number): void {
    if (!this.admin.generateReject(view, SessionRejectReason.CompIdProblem, null, undefined, now)) return;
    this.admin.generateLogout('', now);
  }

  /** A message ahead of the expected MsgSeqNum: held in the queue, and the gap asked for (once). */
  doTargetTooHigh(view: FixMessageView, seq: number): void {
    const now = Date.now();
    this.core.log?.event(`MsgSeqNum too high, expecting ${this.core.store.nextTargetSeq} but received ${seq}`, now);
    if (!this.queue.has(seq)) {
      if (this.queue.size >= this.core.config.maxQueuedMessages) {
        const reason = `more than ${this.core.config.maxQueuedMessages} messages queued behind a sequence gap`;
        this.admin.generateLogout(reason, now);
        this.core.session.disconnect(reason);
        return;
      }
      this.queue.set(seq, view.detach());
    }
    const s = this.core.state;
    if (s.resendRequested && seq >= s.resendBegin) {
      this.core.log?.event(`Already sent ResendRequest FROM: ${s.resendBegin} TO: ${s.resendEnd}.  Not sending another.`, now);
      return;
    }
    this.admin.generateResendRequest(seq, now);
  }

  private doTargetTooLow(view: FixMessageView, seq: number, now: number): void {
    if (view.getBoolean(43) !== true) {
      const text = `MsgSeqNum too low, expecting ${this.core.store.nextTargetSeq} but received ${seq}`;
      this.admin.generateLogout(text, now);
      this.core.session.disconnect(text);
      return;
    }
    this.doPossDup(view, now);
  }

  private doPossDup(view: FixMessageView, now: number): void {
    if (view.msgType === '4') return;
    const orig = view.getTimestamp(122);
    if (orig === undefined) {
      this.admin.generateReject(view, SessionRejectReason.RequiredTagMissing, 122, undefined, now);
      return;
    }
    const sendingTime = view.getTimestamp(52) ?? Number.NaN;
    if (orig > sendingTime) {
      if (!this.admin.generateReject(view, SessionRejectReason.SendingTimeAccuracyProblem, null, undefined, now)) return;
      this.admin.generateLogout('', now);
    }
  }

  /** An acceptor's check of a Logon's Username(553) and Password(554), made before the Logon changes anything. */
  credentialsProblem(view: FixMessageView): string | null {
    const { password, username } = this.core.config;
    if (username !== '' && !view.valueEquals(553, username)) return 'Invalid username or password';
    if (password !== '' && !view.valueEquals(554, password)) return 'Invalid username or password';
    return null;
  }
}
