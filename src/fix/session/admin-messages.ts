// The session-level (admin) messages one session builds, as QuickFIX's Session::generate* do: Logon and its
// reply, Heartbeat, TestRequest, Logout, ResendRequest, Reject (with the rejected message's routing reversed),
// BusinessMessageReject and the SequenceReset-GapFill of a resend. Each is numbered, stored and queued through the
// session's output; what it changes in the protocol state (sentLogon, sentLogout, the ResendRequest range) is set
// here too, next to the message that implies it.

import type { FixMessageView } from '../codec/message-view.js';
import type { BodyWriter } from './application.js';
import type { FieldWriter } from './field-writer.js';
import { SessionRejectReason, businessRejectText, sessionRejectText } from './reject-reasons.js';
import type { SessionCore } from './session-core.js';
import type { SessionOutput } from './session-output.js';

/** Reverse routing of a reject (QuickFIX Message::reverseRoute): incoming tag → tag on our reply. */
const REVERSE_ROUTE: readonly (readonly [number, number])[] = [
  [115, 128],
  [116, 129],
  [128, 115],
  [129, 116],
];
const REVERSE_ROUTE_LOCATION: readonly (readonly [number, number])[] = [
  [144, 145],
  [145, 144],
];

export class AdminMessages {
  constructor(
    private readonly core: SessionCore,
    private readonly output: SessionOutput,
  ) {}

  generateLogon(now: number): void {
    const s = this.core.state;
    const reset = this.core.config.resetOnLogon || this.core.config.sendResetSeqNumFlag;
    if (reset) {
      this.core.resetStore(now);
      s.sentReset = true;
    }
    s.heartBtInt = this.core.config.heartBtIntSeconds;
    const { username, password } = this.core.config;
    this.sendAdmin('A', now, (w) => {
      w.int(98, 0);
      w.int(108, this.core.config.heartBtIntSeconds);
      if (reset) w.bool(141, true);
      if (username !== '') w.str(553, username);
      if (password !== '') w.str(554, password);
    });
    s.sentLogon = true;
    s.lastReceivedAt = now;
    this.core.setStatus('logon-sent');
  }

  generateLogonReply(peerLogon: FixMessageView, now: number): void {
    const hb = peerLogon.indexOf(108);
    const reset = this.core.state.receivedReset;
    this.sendAdmin('A', now, (w) => {
      w.int(98, 0);
      if (hb >= 0) w.bytes(108, peerLogon.buffer, peerLogon.valueStartAt(hb), peerLogon.valueEndAt(hb));
      if (reset) w.bool(141, true);
    });
    this.core.state.sentLogon = true;
  }

  generateHeartbeat(testRequest: FixMessageView | null, now: number): void {
    const id = testRequest ? testRequest.indexOf(112) : -1;
    this.sendAdmin('0', now, (w) => {
      if (id >= 0) w.bytes(112, testRequest!.buffer, testRequest!.valueStartAt(id), testRequest!.valueEndAt(id));
    });
  }

  generateTestRequest(id: string, now: number): void {
    this.core.counters.testRequestsSent++;
    this.sendAdmin('1', now, (w) => w.str(112, id));
  }

  generateLogout(text = '', now = Date.now()): void {
    this.sendAdmin('5', now, (w) => {
      if (text !== '') w.str(58, text);
    });
    this.core.state.sentLogout = true;
    if (this.core.link) this.core.setStatus('logout-sent');
  }

  generateResendRequest(seq: number, now: number): void {
    const begin = this.core.store.nextTargetSeq;
    const end = this.core.protocolAtLeast42 ? 0 : 999999;
    this.sendAdmin('2', now, (w) => {
      w.int(7, begin);
      w.int(16, end);
    });
    this.core.state.setResendRange(begin, seq - 1);
    this.core.counters.resendRequestsSent++;
    this.core.host.emit('resendRequest', this.core.key, begin, seq - 1, 'sent');
    this.core.log?.event(`Sent ResendRequest FROM: ${begin} TO: ${end}`, now);
  }

  /**
   * Session-level Reject of `view` (QuickFIX Session::generateReject). Returns false when there is no logged-on
   * session to send it on: the connection is then dropped, as QuickFIX does.
   */
  generateReject(view: FixMessageView, reason: number, refTag: number | null, text: string | undefined, now: number): boolean {
    const msgType = view.msgType;
    const seqField = view.indexOf(34);
    const seq = seqField >= 0 ? view.intAt(seqField) : 0;
    if (msgType !== 'A' && msgType !== '4' && seq === this.core.store.nextTargetSeq) this.core.incrTarget();
    const reasonText = text ?? sessionRejectText(reason);
    if (!this.core.state.receivedLogon) {
      this.core.session.disconnect(`Tried to send a reject while not logged on: ${reasonText ?? `reason ${reason}`}`);
      return false;
    }
    const withTag = refTag !== null && (refTag !== 0 || reason === SessionRejectReason.InvalidTagNumber);
    this.core.counters.rejectsSent[reason] = (this.core.counters.rejectsSent[reason] ?? 0) + 1;
    this.core.host.emit('sessionReject', this.core.key, reason, msgType, 'sent');
    this.core.log?.event(`Message ${seq} Rejected: ${reasonText ?? reason}${withTag ? `:${refTag}` : ''}`, now);
    this.sendAdmin('3', now, (w) => {
      this.reverseRoute(view, w);
      if (seqField >= 0 && view.valueLengthAt(seqField) > 0) {
        w.bytes(45, view.buffer, view.valueStartAt(seqField), view.valueEndAt(seqField));
      }
      if (reasonText !== undefined) w.str(58, reasonText);
      if (withTag) w.int(371, refTag);
      if (this.core.protocolAtLeast42 && msgType !== '') w.str(372, msgType);
      if (this.core.id.beginString > 'FIX.4.2' || (this.core.protocolAtLeast42 && reason <= SessionRejectReason.InvalidMsgType)) {
        w.int(373, reason);
      }
    });
    return true;
  }

  /** BusinessMessageReject (QuickFIX Session::generateBusinessReject): always consumes the incoming seq. */
  generateBusinessReject(view: FixMessageView, reason: number, refTag: number, text: string | undefined, now: number): void {
    const seqField = view.indexOf(34);
    const msgType = view.msgType;
    this.core.incrTarget();
    const base = text ?? businessRejectText(reason);
    const fullText = base !== undefined && refTag !== 0 ? `${base} (${refTag})` : base;
    this.core.counters.businessRejectsSent++;
    const seq = this.core.store.nextSenderSeq;
    const bytes = this.output.encode(
      'j',
      seq,
      now,
      (w) => {
        if (seqField >= 0) w.bytes(45, view.buffer, view.valueStartAt(seqField), view.valueEndAt(seqField));
        if (fullText !== undefined) w.str(58, fullText);
        w.str(372, msgType);
        w.int(380, reason);
      },
      false,
      false,
    );
    this.output.commit('j', seq, bytes, false, this.core.state.isLoggedOn, now);
  }

  /** OnBehalfOf.. and DeliverTo.. fields of the rejected message are swapped onto the reject; empty ones are not. */
  private reverseRoute(view: FixMessageView, w: FieldWriter): void {
    const routes = this.core.protocolAtLeast41 ? [REVERSE_ROUTE, REVERSE_ROUTE_LOCATION] : [REVERSE_ROUTE];
    for (const table of routes) {
      for (const [from, to] of table) {
        const i = view.indexOf(from);
        if (i >= 0 && view.valueLengthAt(i) > 0) w.bytes(to, view.buffer, view.valueStartAt(i), view.valueEndAt(i));
      }
    }
  }

  /** Admin messages go out only when logged on, except Logon, Logout, ResendRequest and SequenceReset. */
  private sendAdmin(msgType: string, now: number, body: BodyWriter): void {
    const seq = this.core.store.nextSenderSeq;
    const bytes = this.output.encode(msgType, seq, now, body, true, false);
    const alwaysSent = msgType === 'A' || msgType === '5' || msgType === '2' || msgType === '4';
    this.output.commit(msgType, seq, bytes, true, alwaysSent || this.core.state.isLoggedOn, now);
  }

  /** A SequenceReset-GapFill in a resend: numbered `begin`, not stored (it stands for messages that are). */
  encodeGapFill(begin: number, newSeqNo: number, now: number): Buffer {
    const bytes = this.output.encode(
      '4',
      begin,
      now,
      (w) => {
        w.bool(43, true);
        w.timestamp(122, now);
        w.int(36, newSeqNo);
        w.bool(123, true);
      },
      true,
      false,
    );
    this.core.countOut('4');
    return bytes;
  }
}
