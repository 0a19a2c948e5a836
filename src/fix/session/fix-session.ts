// One FIX session: the session-level protocol of FIX 4.x as QuickFIX's Session implements it (logon, sequence
// numbers, gap detection and resend, heartbeats and test requests, logout, session-level rejects), bound to at most
// one connection at a time. This file is the state machine: what each incoming message does (QuickFIX's next*),
// connection binding and disconnect. The flow of `next()` and `verify()` and every reject/logout rule mirror
// QuickFIX so that the acceptance suite reaches the same verdicts; see the conformance README for the list of
// behaviours.
//
// Its parts: what they all share (session-core.ts); the checks every incoming message passes first, QuickFIX's
// verify (inbound-verifier.ts); the admin messages (admin-messages.ts); the answer to a ResendRequest
// (resender.ts); staging in the store and the per-turn flush (session-output.ts); the timeouts (session-timers.ts);
// the session schedule's window and its period resets (session-window.ts).

import type { FixEncoder } from '../codec/encoder.js';
import type { FixMessageView } from '../codec/message-view.js';
import { isLogonFrame } from '../codec/identify.js';
import { FixParser, ParseStatus, parseStatusText } from '../codec/parser.js';
import type { MessageLog } from '../store/message-log.js';
import type { MessageStore } from '../store/message-store.js';
import type { PendingDurability } from '../../io/write-thread.js';
import type { FixConnection, FrameHandler } from '../transport/fix-connection.js';
import { AdminMessages } from './admin-messages.js';
import { ReceivedRejectLog } from './received-reject-log.js';
import { SessionStoreError, type Application, type BodyWriter, type SessionHandle } from './application.js';
import { InboundReply } from './inbound-reply.js';
import { InboundVerifier } from './inbound-verifier.js';
import type { MessageValidator } from './message-validator.js';
import { OutboundQueue } from './outbound-queue.js';
import { BusinessRejectReason, SessionRejectReason } from './reject-reasons.js';
import { effectiveResendEnd } from './resend-plan.js';
import { Resender } from './resender.js';
import {
  resolveSessionConfig,
  sessionKey,
  type ResolvedSessionConfig,
  type SessionConfig,
  type SessionId,
} from './session-config.js';
import { isAdminMsgType, SessionCore, type Link, type SessionHost } from './session-core.js';
import { emptyCounters, type SessionInfo } from './session-events.js';
import { SessionOutput, type FlushTicket } from './session-output.js';
import { SessionTimers } from './session-timers.js';
import { SessionWindow, systemScheduleClock } from './session-window.js';
import type { SessionState } from './session-state.js';

export class FixSession implements SessionHandle, FrameHandler {
  readonly id: SessionId;
  readonly key: string;
  readonly config: ResolvedSessionConfig;
  readonly counters = emptyCounters();
  /** Set by the flush scheduler while this session waits in its dirty list. */
  flushQueued = false;

  private readonly core: SessionCore;
  private readonly state: SessionState;
  private readonly output: SessionOutput;
  private readonly admin: AdminMessages;
  private readonly resender: Resender;
  private readonly verifier: InboundVerifier;
  private readonly timers: SessionTimers;
  /** The session's schedule at work; null: always open. */
  private readonly window: SessionWindow | null;
  private readonly parser: FixParser;
  private readonly reply = new InboundReply();
  /** Messages that arrived ahead of a sequence gap, by MsgSeqNum, until the gap is filled. */
  private readonly queue = new Map<number, FixMessageView>();
  private connectedAt: number | null = null;
  private loggedOnAt: number | null = null;
  private rejectLog: ReceivedRejectLog | null = null;

  constructor(
    config: SessionConfig,
    readonly role: 'acceptor' | 'initiator',
    store: MessageStore,
    private readonly host: SessionHost,
    private readonly app: Application,
    /** The session's reused encoder, in 'sorted' order (QuickFIX's output order) with the session's dictionary. */
    encoder: FixEncoder,
    private readonly validate: MessageValidator,
    private readonly log: MessageLog | null,
    /** Folder of the session's store and logs. */
    readonly storeDir = '',
  ) {
    this.config = resolveSessionConfig(config);
    this.id = { beginString: config.beginString, senderCompId: config.senderCompId, targetCompId: config.targetCompId };
    this.key = sessionKey(this.id);
    this.parser = new FixParser({ dictionary: config.dictionary });
    this.core = new SessionCore(this, this.id, this.key, this.config, this.counters, store, host, app, log);
    this.state = this.core.state;
    this.output = new SessionOutput(this.core, encoder);
    this.admin = new AdminMessages(this.core, this.output);
    this.resender = new Resender(this.core, this.output, this.admin, encoder);
    this.verifier = new InboundVerifier(this.core, this.admin, this.queue);
    this.timers = new SessionTimers(this.core, this.admin);
    const schedule = this.config.schedule;
    this.window = schedule
      ? new SessionWindow(schedule, host.scheduleClock ?? systemScheduleClock, {
          closed: (reason) => this.windowClosed(reason),
          opened: (period, now) => {
            if (!this.link && this.store.creationTime < period.start) this.core.resetStore(now);
          },
        })
      : null;
  }

  private get store(): MessageStore {
    return this.core.store;
  }

  private get link(): Link | null {
    return this.core.link;
  }

  // ------------------------------------------------------------------ SessionHandle

  get isLoggedOn(): boolean {
    return this.state.isLoggedOn;
  }

  get remoteAddress(): string | null {
    return this.link?.conn.remoteAddress ?? null;
  }

  get nextSenderSeq(): number {
    return this.store.nextSenderSeq;
  }

  get nextTargetSeq(): number {
    return this.store.nextTargetSeq;
  }

  get hasConnection(): boolean {
    return this.link !== null;
  }

  get storeFailure(): Error | null {
    return this.store.failure;
  }

  send(msgType: string, body: BodyWriter): number {
    const failure = this.store.failure;
    if (failure) throw new SessionStoreError(this.key, failure);
    return this.output.send(msgType, body);
  }

  logout(reason = ''): void {
    if (!this.link) return;
    if (!this.state.isLoggedOn) {
      this.disconnect(reason || 'logout requested before logon completed');
      return;
    }
    if (!this.state.sentLogout) {
      this.state.logoutReason = reason;
      this.admin.generateLogout(reason);
    }
  }

  /** Lets go of the connection (after its queued bytes are written) and resets the connection state. */
  disconnect(reason: string): void {
    const link = this.link;
    if (link) {
      this.core.link = null;
      link.closing = reason;
      this.core.closingLinks.push(link);
      this.core.markDirty();
      this.counters.disconnects++;
      this.host.emit('disconnect', this.key, reason);
      this.log?.event(`Disconnecting: ${reason}`, Date.now());
    }
    const wasLoggedOn = this.state.receivedLogon || this.state.sentLogon;
    this.state.clearConnectionFlags();
    this.queue.clear();
    this.loggedOnAt = null;
    this.connectedAt = null;
    if (this.config.resetOnDisconnect) this.core.resetStore(Date.now());
    this.core.setStatus('disconnected');
    if (wasLoggedOn) {
      this.host.emit('logout', this.key, reason);
      this.core.callApp('onLogout', () => this.app.onLogout?.(this, reason), undefined);
    }
  }

  // ------------------------------------------------------------------ connection binding

  /** Binds a connection. An initiator sends its Logon right away. */
  attach(conn: FixConnection): void {
    if (this.link) this.disconnect('replaced by a new connection');
    const link: Link = { conn, out: new OutboundQueue(), closing: null };
    this.core.link = link;
    conn.handler = this;
    conn.onClose((reason) => {
      if (this.link === link) this.disconnect(reason);
    });
    const now = Date.now();
    this.state.lastReceivedAt = now;
    this.state.lastSentAt = now;
    this.connectedAt = now;
    this.core.setStatus('connected');
    this.log?.event(`Connected: ${conn.remoteAddress}:${conn.remotePort}`, now);
    if (this.role === 'initiator') this.admin.generateLogon(now);
  }

  /** A new store (the old one failed, was closed, and the store was reopened from disk). */
  replaceStore(store: MessageStore): void {
    this.core.store = store;
  }

  closeStore(): Promise<void> {
    return this.store.close();
  }

  // ------------------------------------------------------------------ FrameHandler

  onFrame(conn: FixConnection, buf: Buffer, start: number, end: number): void {
    if (this.link?.conn !== conn) return;
    const now = Date.now();
    this.log?.incoming(buf, start, end, now);
    const status = this.parser.parse(buf, start, end);
    if (status !== ParseStatus.Ok) {
      this.invalidMessage(parseStatusText(status), isLogonFrame(buf, start, end));
      return;
    }
    this.next(this.parser.view, now, false);
  }

  onReadEnd(conn: FixConnection): void {
    if (this.link?.conn === conn) this.log?.endOfInput();
  }

  onBadFrame(conn: FixConnection, reason: string, isLogon: boolean): void {
    if (this.link?.conn !== conn) return;
    this.invalidMessage(reason, isLogon);
  }

  onFatalFrame(conn: FixConnection, reason: string): void {
    if (this.link?.conn !== conn) return;
    this.counters.badFrames++;
    this.host.logger.warn('FIX session input cannot be framed', { session: this.key, reason });
    if (this.state.isLoggedOn && !this.state.sentLogout) this.admin.generateLogout(reason);
    this.disconnect(reason);
  }

  // ------------------------------------------------------------------ timers

  /** Follows the session's schedule (nothing without one): the engine calls this when it starts. */
  startSchedule(): void {
    this.window?.start();
  }

  stopSchedule(): void {
    this.window?.stop();
  }

  /** Inside the schedule's window now (always without a schedule): an initiator connects only then. */
  get inSessionTime(): boolean {
    return this.window === null || this.window.periodAt(this.window.now()) !== null;
  }

  private windowClosed(reason: string): void {
    if (!this.link) return;
    this.log?.event(reason, Date.now());
    if (this.state.isLoggedOn) this.logout(reason);
    else this.disconnect(reason);
  }

  /** Heartbeat, TestRequest, logon and logout timeouts; the engine calls this about once a second. */
  tick(now: number): void {
    this.timers.tick(now);
  }

  // ------------------------------------------------------------------ flush (see SessionOutput)

  get canFlushInline(): boolean {
    return this.output.canFlushInline;
  }

  flushNow(barrierError: Error | null): boolean {
    this.flushQueued = false;
    return this.output.flushNow(barrierError);
  }

  prepareFlush(barriers?: Promise<void> | PendingDurability): FlushTicket {
    this.flushQueued = false;
    return this.output.prepareFlush(barriers);
  }

  // ------------------------------------------------------------------ observability

  info(): SessionInfo {
    return {
      key: this.key,
      beginString: this.id.beginString,
      senderCompId: this.id.senderCompId,
      targetCompId: this.id.targetCompId,
      role: this.role,
      status: this.core.status,
      remoteAddress: this.remoteAddress,
      connectedAt: this.connectedAt,
      loggedOnAt: this.loggedOnAt,
      lastSentAt: this.state.lastSentAt > 0 ? this.state.lastSentAt : null,
      lastReceivedAt: this.state.lastReceivedAt > 0 ? this.state.lastReceivedAt : null,
      nextSenderSeq: this.store.nextSenderSeq,
      nextTargetSeq: this.store.nextTargetSeq,
      heartBtInt: this.state.heartBtInt,
      storeFailure: this.store.failure?.message ?? null,
      counters: this.counters,
    };
  }

  // ------------------------------------------------------------------ inbound (QuickFIX Session::next)

  private invalidMessage(reason: string, isLogon: boolean): void {
    this.counters.badFrames++;
    if (isLogon) this.disconnect(`Logon message is not valid: ${reason}`);
    else if (!this.state.isLoggedOn) this.disconnect(`invalid message before logon: ${reason}`);
    else this.log?.event(`Ignored invalid message: ${reason}`, Date.now());
  }

  private next(view: FixMessageView, now: number, queued: boolean): void {
    const msgType = view.msgType;
    this.counters.messagesIn[msgType] = (this.counters.messagesIn[msgType] ?? 0) + 1;
    this.host.messageIn(this.key, msgType);
    if (!view.has(49)) this.fieldNotFound(view, 49);
    else if (!view.has(56)) this.fieldNotFound(view, 56);
    else if (!view.valueEquals(8, this.id.beginString)) this.unsupportedVersion(view, now);
    else {
      const failure = this.validate(view);
      if (failure) this.admin.generateReject(view, failure.reason, failure.tag, failure.text, now);
      else this.dispatch(view, now);
    }
    if (!queued) this.nextQueued(now);
    if (this.state.isLoggedOn) this.timers.tick(now);
  }

  private dispatch(view: FixMessageView, now: number): void {
    switch (view.msgType) {
      case 'A':
        return this.nextLogon(view, now);
      case '0':
        return this.nextHeartbeat(view, now);
      case '1':
        return this.nextTestRequest(view, now);
      case '2':
        return this.nextResendRequest(view, now);
      case '3':
        return this.nextReject(view, now);
      case '4':
        return this.nextSequenceReset(view, now);
      case '5':
        return this.nextLogout(view, now);
      default:
        return this.nextApp(view, now);
    }
  }

  private fieldNotFound(view: FixMessageView, tag: number): void {
    const now = Date.now();
    if (!isAdminMsgType(view.msgType)) {
      this.admin.generateBusinessReject(view, BusinessRejectReason.ConditionallyRequiredFieldMissing, tag, undefined, now);
      return;
    }
    this.admin.generateReject(view, SessionRejectReason.RequiredTagMissing, tag, undefined, now);
    if (view.msgType === 'A') this.disconnect('Required field missing from logon');
  }

  private unsupportedVersion(view: FixMessageView, now: number): void {
    if (view.msgType === '5') {
      this.nextLogout(view, now);
      return;
    }
    this.admin.generateLogout('Incorrect BeginString', now);
    this.core.incrTarget();
  }

  private nextLogon(view: FixMessageView, now: number): void {
    const s = this.state;
    // Checked before anything changes: a wrong password must not be able to reset a session's sequence numbers.
    if (this.role === 'acceptor') {
      const refusal = this.verifier.credentialsProblem(view) ?? this.outsideWindow();
      if (refusal) {
        this.host.logger.warn('FIX logon refused', { session: this.key, remote: this.remoteAddress, reason: refusal });
        this.admin.generateLogout(refusal, now);
        this.disconnect(`logon refused: ${refusal}`);
        return;
      }
    }
    const resetFlag = view.getBoolean(141) === true;
    s.receivedReset = resetFlag;
    if (resetFlag && !s.sentReset) this.core.resetStore(now);
    if (this.role === 'initiator' && !s.sentLogon && !resetFlag) {
      this.disconnect('Received logon response before sending request');
      return;
    }
    if (this.role === 'acceptor' && this.config.resetOnLogon) this.core.resetStore(now);
    if (!this.verifier.verify(view, now, false, true)) return;
    s.receivedLogon = true;
    if (this.role === 'acceptor' || (s.receivedReset && !s.sentReset)) {
      s.heartBtInt = view.getInt(108) ?? 0;
      this.admin.generateLogonReply(view, now);
    }
    s.sentReset = false;
    s.receivedReset = false;
    const seq = view.getInt(34) ?? 0;
    if (seq > this.store.nextTargetSeq && !resetFlag) this.verifier.doTargetTooHigh(view, seq);
    else {
      this.core.incrTarget();
      this.nextQueued(now);
    }
    if (s.isLoggedOn) {
      this.loggedOnAt = now;
      this.counters.logons++;
      this.core.setStatus('logged-on');
      this.log?.event('Logon completed', now);
      this.host.emit('logon', this.key, this.remoteAddress);
      this.core.callApp('onLogon', () => this.app.onLogon?.(this), undefined);
    }
  }

  /**
   * The Logout text for a Logon outside the session's window, or null inside it. Inside, a store left from an
   * earlier period (created before this one began) is reset first: the session period starts from 1 (QuickFIX).
   */
  private outsideWindow(): string | null {
    if (!this.window) return null;
    const now = this.window.now();
    const period = this.window.periodAt(now);
    if (!period) return this.window.closedText(now);
    if (this.store.creationTime < period.start) this.core.resetStore(now);
    return null;
  }

  private nextHeartbeat(view: FixMessageView, now: number): void {
    if (!this.verifier.verify(view, now, true, true)) return;
    this.core.incrTarget();
    this.nextQueued(now);
  }

  private nextTestRequest(view: FixMessageView, now: number): void {
    if (!this.verifier.verify(view, now, true, true)) return;
    this.admin.generateHeartbeat(view, now);
    this.core.incrTarget();
    this.nextQueued(now);
  }

  private nextLogout(view: FixMessageView, now: number): void {
    if (!this.verifier.verify(view, now, false, false)) return;
    const weAsked = this.state.sentLogout;
    if (!weAsked) this.admin.generateLogout('', now);
    this.core.incrTarget();
    if (this.config.resetOnLogout) this.core.resetStore(now);
    this.disconnect(weAsked ? 'logout handshake completed' : 'counterparty logged out');
  }

  private nextReject(view: FixMessageView, now: number): void {
    if (!this.verifier.verify(view, now, false, true)) return;
    this.counters.rejectsReceived++;
    this.host.emit('sessionReject', this.key, view.getInt(373) ?? -1, view.getString(372) ?? '', 'received');
    (this.rejectLog ??= new ReceivedRejectLog(this.host.logger, this.key)).record(view, now);
    this.core.incrTarget();
    this.nextQueued(now);
  }

  private nextSequenceReset(view: FixMessageView, now: number): void {
    const gapFill = view.getBoolean(123) === true;
    if (!this.verifier.verify(view, now, gapFill, gapFill)) return;
    this.counters.sequenceResetsReceived++;
    const newSeqNo = view.getInt(36);
    if (newSeqNo === undefined || Number.isNaN(newSeqNo)) return;
    const expected = this.store.nextTargetSeq;
    if (newSeqNo > expected) {
      this.core.setTarget(newSeqNo);
      // A gap fill past the end of our ResendRequest satisfies it. Left standing, a later gap (a garbled message
      // dropped right after) would get no new ResendRequest ("already sent") and the session would wait forever.
      const s = this.state;
      if (s.resendRequested && s.resendEnd !== 0 && newSeqNo > s.resendEnd) {
        this.log?.event(`ResendRequest for messages FROM: ${s.resendBegin} TO: ${s.resendEnd} has been satisfied.`, now);
        s.setResendRange(0, 0);
      }
    } else if (newSeqNo < expected) this.admin.generateReject(view, SessionRejectReason.ValueIsIncorrect, null, undefined, now);
  }

  private nextResendRequest(view: FixMessageView, now: number): void {
    if (!this.verifier.verify(view, now, false, false)) return;
    const begin = view.getInt(7) ?? 0;
    const end = effectiveResendEnd(view.getInt(16) ?? 0, this.store.nextSenderSeq);
    this.counters.resendRequestsReceived++;
    this.host.emit('resendRequest', this.key, begin, end, 'received');
    this.log?.event(`Received ResendRequest FROM: ${begin} TO: ${end}`, now);
    this.resender.resend(begin, end, now);
    const seq = view.getInt(34) ?? 0;
    if (seq === this.store.nextTargetSeq) this.core.incrTarget();
  }

  private nextApp(view: FixMessageView, now: number): void {
    if (!this.verifier.verify(view, now, true, true)) return;
    const reply = this.reply.reset();
    try {
      this.app.fromApp(this, view, reply);
    } catch (err) {
      this.host.logger.error('FIX application failed on an incoming message', {
        session: this.key,
        msgType: view.msgType,
        reason: err instanceof Error ? err.message : String(err),
      });
      if (reply.kind === 'none') reply.businessReject(BusinessRejectReason.ApplicationNotAvailable);
    }
    if (reply.kind === 'reject') this.admin.generateReject(view, reply.reason, reply.refTagId, reply.text, now);
    else if (reply.kind === 'business') {
      this.admin.generateBusinessReject(view, reply.reason, reply.refTagId ?? 0, reply.text, now);
    } else this.core.incrTarget();
  }

  private nextQueued(now: number): void {
    while (this.link && this.queue.size > 0) {
      const expected = this.store.nextTargetSeq;
      const message = this.queue.get(expected);
      if (!message) return;
      this.queue.delete(expected);
      this.log?.event(`Processing QUEUED message: ${expected}`, now);
      if (message.msgType === 'A' || message.msgType === '2') this.core.incrTarget();
      else this.next(message, now, true);
    }
  }
}
