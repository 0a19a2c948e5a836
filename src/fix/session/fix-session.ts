// One FIX session: the session-level protocol of FIX 4.x as QuickFIX's Session implements it (logon, sequence
// numbers, gap detection and resend, heartbeats and test requests, logout, session-level rejects), bound to at most
// one connection at a time. The flow of `next()` / `verify()` and every reject/logout rule mirror QuickFIX so that
// the acceptance suite reaches the same verdicts; see the conformance README for the list of behaviours.
//
// Outgoing messages are encoded into a reused buffer, staged in the message store and queued on the connection's
// outbound queue; the engine's flush scheduler writes them to the socket once the store write of the turn (and any
// external durability barrier) has completed.

import type { FixEncoder } from '../codec/encoder.js';
import type { FixMessageView } from '../codec/message-view.js';
import { FixParser, ParseStatus, parseStatusText } from '../codec/parser.js';
import { Section } from '../dictionary/model.js';
import type { MessageLog } from '../store/message-log.js';
import { StoreFailedError, type MessageStore, type StoredMessage } from '../store/message-store.js';
import { StagingBuffer } from '../store/staging-buffer.js';
import type { PendingDurability } from '../../io/write-thread.js';
import type { FixConnection, FrameHandler } from '../transport/fix-connection.js';
import type { FixLogger } from '../transport/fix-logger.js';
import { ReceivedRejectLog } from './received-reject-log.js';
import {
  SessionStoreError,
  type Application,
  type BodyWriter,
  type SessionHandle,
} from './application.js';
import type { FieldWriter } from './field-writer.js';
import { InboundReply } from './inbound-reply.js';
import type { MessageValidator } from './message-validator.js';
import { OutboundQueue, type HeldPosition } from './outbound-queue.js';
import { identifyMsgType } from '../codec/identify.js';
import { BusinessRejectReason, SessionRejectReason, businessRejectText, sessionRejectText } from './reject-reasons.js';
import { ResendPlanner, effectiveResendEnd, planResend, type ResendStep } from './resend-plan.js';
import {
  resolveSessionConfig,
  sessionKey,
  type ResolvedSessionConfig,
  type SessionConfig,
  type SessionId,
} from './session-config.js';
import { emptyCounters, type FixEngineEvents, type SessionInfo, type SessionStatus } from './session-events.js';
import { SessionState } from './session-state.js';

/** What the engine provides to its sessions. */
export interface SessionHost {
  /** Something was staged (store or socket output): include this session in the turn's flush. */
  markDirty(session: FixSession): void;
  /** Resolves when the flush taking what is staged now has completed. */
  flushed(): Promise<void>;
  emit<K extends keyof FixEngineEvents>(event: K, ...args: FixEngineEvents[K]): void;
  /** A message was read (every message: no event object or argument array per call). */
  messageIn(session: string, msgType: string): void;
  readonly logger: FixLogger;
}

/** One turn's output of a session, captured when the flush starts and completed when it is durable. */
export interface FlushTicket {
  persist: Promise<void> | null;
  complete(storeError: Error | null, barrierError: Error | null): void;
}

interface Link {
  conn: FixConnection;
  out: OutboundQueue;
  /** Set once the session let go of the connection: close it after its queued bytes are written. */
  closing: string | null;
}

/** Room made in the store's staging for a message encoded in place (a larger one continues elsewhere and is copied). */
const PLACED_ROOM = 4096;
/** Messages read from disk per step of a long resend. */
const RESEND_CHUNK = 1000;

const ADMIN_TYPES = new Set(['0', 'A', '1', '2', '3', '4', '5']);
const LOGON_MARK = Buffer.from('\x0135=A\x01', 'latin1');
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

export function isAdminMsgType(msgType: string): boolean {
  return ADMIN_TYPES.has(msgType);
}

export class FixSession implements SessionHandle, FrameHandler {
  readonly id: SessionId;
  readonly key: string;
  readonly config: ResolvedSessionConfig;
  readonly counters = emptyCounters();
  /** Set by the flush scheduler while this session waits in its dirty list. */
  flushQueued = false;

  private readonly state = new SessionState();
  private status: SessionStatus = 'disconnected';
  private link: Link | null = null;
  private readonly closingLinks: Link[] = [];
  private readonly parser: FixParser;
  /** Parses our own stored or just-encoded messages (resends, toApp) without disturbing the inbound view. */
  private readonly ownParser: FixParser;
  private readonly reply = new InboundReply();
  private readonly queue = new Map<number, FixMessageView>();
  private reportedStoreFailure: Error | null = null;
  /** Disk-read resends, one after another. */
  private resendChain: Promise<void> = Promise.resolve();
  private connectedAt: number | null = null;
  private loggedOnAt: number | null = null;
  private readonly protocolAtLeast42: boolean;
  private readonly protocolAtLeast41: boolean;
  private rejectLog: ReceivedRejectLog | null = null;

  constructor(
    config: SessionConfig,
    readonly role: 'acceptor' | 'initiator',
    private store: MessageStore,
    private readonly host: SessionHost,
    private readonly app: Application,
    /** The session's reused encoder, in 'sorted' order (QuickFIX's output order) with the session's dictionary. */
    private readonly encoder: FixEncoder,
    private readonly validate: MessageValidator,
    private readonly log: MessageLog | null,
    /** Folder of the session's store and logs. */
    readonly storeDir = '',
  ) {
    this.config = resolveSessionConfig(config);
    this.id = { beginString: config.beginString, senderCompId: config.senderCompId, targetCompId: config.targetCompId };
    this.key = sessionKey(this.id);
    this.parser = new FixParser({ dictionary: config.dictionary });
    this.ownParser = new FixParser({ dictionary: config.dictionary });
    this.protocolAtLeast42 = config.beginString >= 'FIX.4.2';
    this.protocolAtLeast41 = config.beginString >= 'FIX.4.1';
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
    const now = Date.now();
    const seq = this.store.nextSenderSeq;
    if (this.app.toApp || this.isAdmin(msgType)) return this.sendCopied(msgType, seq, now, body);
    const store = this.store;
    const enc = this.encoder;
    // Encoded once, in the store's staging, header first so the fields come in output order: the store keeps these
    // bytes and the socket gets the same ones.
    store.prepareAppend(PLACED_ROOM);
    enc.beginInto(store.placeBuffer, store.placeOffset, this.id.beginString, msgType);
    enc.int(34, seq).str(49, this.id.senderCompId).timestamp(52, now).str(56, this.id.targetCompId).markHeaderEnd();
    body(enc);
    if (enc.headerChanged) {
      // As QuickFIX's Session::send: PossDupFlag and OrigSendingTime belong to resends; the header is ours.
      enc.remove(43).remove(122);
      enc.setInt(34, seq).setStr(49, this.id.senderCompId).setTimestamp(52, now).setStr(56, this.id.targetCompId);
    }
    const length = enc.finishInto();
    if (length >= 0) store.appendPlaced(seq, length, false);
    else store.append(seq, enc.finishedElsewhere, false);
    this.host.markDirty(this);
    const sendNow = this.state.isLoggedOn;
    if (!sendNow) return seq;
    const link = this.link;
    if (link !== null) {
      link.out.appendView(store.lastBuffer, store.lastOffset, length >= 0 ? length : enc.finishedElsewhere.length);
      this.state.lastSentAt = now;
    }
    this.countOut(msgType);
    return seq;
  }

  /** send() for admin messages and for applications with a toApp callback (which sees the message first). */
  private sendCopied(msgType: string, seq: number, now: number, body: BodyWriter): number {
    let bytes = this.encode(msgType, seq, now, body, false, true);
    if (this.app.toApp && !this.isAdmin(msgType)) {
      // The encoder's output is only valid until its next message: keep a copy across the callback.
      bytes = Buffer.from(bytes);
      this.ownParser.parse(bytes);
      if (this.app.toApp(this, this.ownParser.view, false) === false) return 0;
    }
    this.commit(msgType, seq, bytes, this.isAdmin(msgType), this.state.isLoggedOn, now);
    return seq;
  }

  logout(reason = ''): void {
    if (!this.link) return;
    if (!this.state.isLoggedOn) {
      this.disconnect(reason || 'logout requested before logon completed');
      return;
    }
    if (!this.state.sentLogout) {
      this.state.logoutReason = reason;
      this.generateLogout(reason);
    }
  }

  /** Lets go of the connection (after its queued bytes are written) and resets the connection state. */
  disconnect(reason: string): void {
    const link = this.link;
    if (link) {
      this.link = null;
      link.closing = reason;
      this.closingLinks.push(link);
      this.host.markDirty(this);
      this.counters.disconnects++;
      this.host.emit('disconnect', this.key, reason);
      this.log?.event(`Disconnecting: ${reason}`, Date.now());
    }
    const wasLoggedOn = this.state.receivedLogon || this.state.sentLogon;
    this.state.clearConnectionFlags();
    this.queue.clear();
    this.loggedOnAt = null;
    this.connectedAt = null;
    if (this.config.resetOnDisconnect) this.resetStore(Date.now());
    this.setStatus('disconnected');
    if (wasLoggedOn) {
      this.host.emit('logout', this.key, reason);
      this.callApp('onLogout', () => this.app.onLogout?.(this, reason), undefined);
    }
  }

  // ------------------------------------------------------------------ connection binding

  /** Binds a connection. An initiator sends its Logon right away. */
  attach(conn: FixConnection): void {
    if (this.link) this.disconnect('replaced by a new connection');
    const link: Link = { conn, out: new OutboundQueue(), closing: null };
    this.link = link;
    conn.handler = this;
    conn.onClose((reason) => {
      if (this.link === link) this.disconnect(reason);
    });
    const now = Date.now();
    this.state.lastReceivedAt = now;
    this.state.lastSentAt = now;
    this.connectedAt = now;
    this.setStatus('connected');
    this.log?.event(`Connected: ${conn.remoteAddress}:${conn.remotePort}`, now);
    if (this.role === 'initiator') this.generateLogon(now);
  }

  /** A new store (the old one failed, was closed, and the store was reopened from disk). */
  replaceStore(store: MessageStore): void {
    this.store = store;
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
    if (this.state.isLoggedOn && !this.state.sentLogout) this.generateLogout(reason);
    this.disconnect(reason);
  }

  // ------------------------------------------------------------------ timers

  /** Heartbeat, TestRequest, logon and logout timeouts; the engine calls this about once a second. */
  tick(now: number): void {
    if (!this.link) return;
    const s = this.state;
    if (!s.receivedLogon) {
      if (s.sentLogon && s.logonTimedOut(now, this.config.logonTimeoutSeconds * 1000)) {
        this.disconnect('Timed out waiting for logon response');
      }
      return;
    }
    if (s.heartBtInt === 0) return;
    if (s.logoutTimedOut(now, this.config.logoutTimeoutSeconds * 1000)) {
      this.disconnect('Timed out waiting for logout response');
      return;
    }
    if (s.withinHeartbeat(now)) return;
    if (s.timedOut(now)) {
      this.counters.heartbeatTimeouts++;
      this.disconnect('Timed out waiting for heartbeat');
    } else if (s.needTestRequest(now)) {
      this.host.emit('heartbeatLate', this.key, now - s.lastReceivedAt - s.heartBtInt * 1000);
      this.generateTestRequest('TEST', now);
      s.testRequests++;
    } else if (s.needHeartbeat(now)) {
      this.generateHeartbeat(null, now);
    }
  }

  // ------------------------------------------------------------------ flush

  /** True when this turn's store batch can be written synchronously (the page-cache level; see FlushScheduler). */
  get canFlushInline(): boolean {
    return !this.store.hasStagedChanges || this.store.writesInline;
  }

  /**
   * The inline flush of the page-cache level (called by the flush scheduler, after the turn's barriers wrote): the
   * store's batch is written now, then the connection's output. With `barrierError` (the journal's write failed)
   * the batch is withheld and nothing goes out. Returns true when it wrote the store.
   */
  flushNow(barrierError: Error | null): boolean {
    this.flushQueued = false;
    const store = this.store;
    const staged = store.hasStagedChanges;
    let storeError: Error | null = null;
    if (barrierError !== null) {
      if (staged) store.withhold(barrierError);
    } else if (staged) {
      storeError = store.writeNow();
    }
    if (barrierError !== null || storeError !== null) {
      const links = this.link ? [this.link, ...this.closingLinks] : [...this.closingLinks];
      this.failOutputs(links, storeError, barrierError);
      return staged && barrierError === null;
    }
    if (this.link) this.writeOut(this.link);
    for (let i = this.closingLinks.length - 1; i >= 0; i--) this.writeOut(this.closingLinks[i]!);
    return staged;
  }

  /**
   * Captures this turn's store write and socket output (called by the flush scheduler on its asynchronous path).
   * The store batch is written once `barriers` (the turn's external durability, e.g. the venue's journal) resolve,
   * or right behind the barriers' write on the write thread, so the store never holds a message about something the
   * journal may not have.
   */
  prepareFlush(barriers?: Promise<void> | PendingDurability): FlushTicket {
    this.flushQueued = false;
    const persist = this.store.hasStagedChanges ? this.store.flush(barriers) : null;
    const outputs: { link: Link; bytes: Buffer[] }[] = [];
    if (this.link) outputs.push({ link: this.link, bytes: this.link.out.takeReady() });
    for (const link of this.closingLinks) outputs.push({ link, bytes: link.out.takeReady() });
    return {
      persist,
      complete: (storeError, barrierError) => this.completeFlush(outputs, storeError, barrierError),
    };
  }

  private completeFlush(outputs: { link: Link; bytes: Buffer[] }[], storeError: Error | null, barrierError: Error | null): void {
    if (storeError ?? barrierError) {
      this.failOutputs(outputs.map((o) => o.link), storeError, barrierError);
      return;
    }
    const now = Date.now();
    for (const { link, bytes } of outputs) {
      for (const b of bytes) {
        link.conn.write(b);
        this.log?.outgoing(b, 0, b.length, now);
      }
      if (link.closing !== null && link.out.isEmpty) {
        link.conn.end(link.closing);
        this.dropClosing(link);
      }
    }
  }

  private writeOut(link: Link): void {
    link.out.writeTo(link.conn, this.log, Date.now());
    if (link.closing !== null && link.out.isEmpty) {
      link.conn.end(link.closing);
      this.dropClosing(link);
    }
  }

  /** A turn whose store or barrier write failed: its output is dropped and the connections go. */
  private failOutputs(links: Link[], storeError: Error | null, barrierError: Error | null): void {
    // A failed barrier also fails the store write it held back: report the cause, the barrier.
    const reason = barrierError
      ? `durability barrier failed: ${barrierError.message}`
      : `message store write failed: ${storeError!.message}`;
    for (const link of links) {
      link.out.clear();
      link.conn.destroy(reason);
      this.dropClosing(link);
    }
    if (storeError && !barrierError) this.persistFailed(storeError);
    else this.disconnect(reason);
  }

  private dropClosing(link: Link): void {
    const i = this.closingLinks.indexOf(link);
    if (i >= 0) this.closingLinks.splice(i, 1);
  }

  private persistFailed(error: Error): void {
    // Flushes already in flight fail with the same cause: report it once.
    const cause = error instanceof StoreFailedError ? error.cause : error;
    if (cause === this.reportedStoreFailure) return;
    this.reportedStoreFailure = cause;
    this.counters.storeErrors++;
    this.host.logger.error('FIX session store write failed; session disconnected', {
      session: this.key,
      reason: error.message,
    });
    this.host.emit('storeError', this.key, error);
    this.callApp('onStoreError', () => this.app.onStoreError?.(this, error), undefined);
    this.disconnect(`message store write failed: ${error.message}`);
  }

  // ------------------------------------------------------------------ observability

  info(): SessionInfo {
    return {
      key: this.key,
      beginString: this.id.beginString,
      senderCompId: this.id.senderCompId,
      targetCompId: this.id.targetCompId,
      role: this.role,
      status: this.status,
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
      if (failure) this.generateReject(view, failure.reason, failure.tag, failure.text, now);
      else this.dispatch(view, now);
    }
    if (!queued) this.nextQueued(now);
    if (this.state.isLoggedOn) this.tick(now);
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
    if (!this.isAdmin(view.msgType)) {
      this.generateBusinessReject(view, BusinessRejectReason.ConditionallyRequiredFieldMissing, tag, undefined, now);
      return;
    }
    this.generateReject(view, SessionRejectReason.RequiredTagMissing, tag, undefined, now);
    if (view.msgType === 'A') this.disconnect('Required field missing from logon');
  }

  private unsupportedVersion(view: FixMessageView, now: number): void {
    if (view.msgType === '5') {
      this.nextLogout(view, now);
      return;
    }
    this.generateLogout('Incorrect BeginString', now);
    this.incrTarget();
  }

  private nextLogon(view: FixMessageView, now: number): void {
    const s = this.state;
    // Checked before anything changes: a wrong password must not be able to reset a session's sequence numbers.
    if (this.role === 'acceptor') {
      const refusal = this.credentialsProblem(view);
      if (refusal) {
        this.host.logger.warn('FIX logon refused', { session: this.key, remote: this.remoteAddress, reason: refusal });
        this.generateLogout(refusal, now);
        this.disconnect(`logon refused: ${refusal}`);
        return;
      }
    }
    const resetFlag = view.getBoolean(141) === true;
    s.receivedReset = resetFlag;
    if (resetFlag && !s.sentReset) this.resetStore(now);
    if (this.role === 'initiator' && !s.sentLogon && !resetFlag) {
      this.disconnect('Received logon response before sending request');
      return;
    }
    if (this.role === 'acceptor' && this.config.resetOnLogon) this.resetStore(now);
    if (!this.verify(view, now, false, true)) return;
    s.receivedLogon = true;
    if (this.role === 'acceptor' || (s.receivedReset && !s.sentReset)) {
      s.heartBtInt = view.getInt(108) ?? 0;
      this.generateLogonReply(view, now);
    }
    s.sentReset = false;
    s.receivedReset = false;
    const seq = view.getInt(34) ?? 0;
    if (seq > this.store.nextTargetSeq && !resetFlag) this.doTargetTooHigh(view, seq);
    else {
      this.incrTarget();
      this.nextQueued(now);
    }
    if (s.isLoggedOn) {
      this.loggedOnAt = now;
      this.counters.logons++;
      this.setStatus('logged-on');
      this.log?.event('Logon completed', now);
      this.host.emit('logon', this.key, this.remoteAddress);
      this.callApp('onLogon', () => this.app.onLogon?.(this), undefined);
    }
  }

  private credentialsProblem(view: FixMessageView): string | null {
    const { password, username } = this.config;
    if (username !== '' && !view.valueEquals(553, username)) return 'Invalid username or password';
    if (password !== '' && !view.valueEquals(554, password)) return 'Invalid username or password';
    return null;
  }

  private nextHeartbeat(view: FixMessageView, now: number): void {
    if (!this.verify(view, now, true, true)) return;
    this.incrTarget();
    this.nextQueued(now);
  }

  private nextTestRequest(view: FixMessageView, now: number): void {
    if (!this.verify(view, now, true, true)) return;
    this.generateHeartbeat(view, now);
    this.incrTarget();
    this.nextQueued(now);
  }

  private nextLogout(view: FixMessageView, now: number): void {
    if (!this.verify(view, now, false, false)) return;
    const weAsked = this.state.sentLogout;
    if (!weAsked) this.generateLogout('', now);
    this.incrTarget();
    if (this.config.resetOnLogout) this.resetStore(now);
    this.disconnect(weAsked ? 'logout handshake completed' : 'counterparty logged out');
  }

  private nextReject(view: FixMessageView, now: number): void {
    if (!this.verify(view, now, false, true)) return;
    this.counters.rejectsReceived++;
    this.host.emit('sessionReject', this.key, view.getInt(373) ?? -1, view.getString(372) ?? '', 'received');
    (this.rejectLog ??= new ReceivedRejectLog(this.host.logger, this.key)).record(view, now);
    this.incrTarget();
    this.nextQueued(now);
  }

  private nextSequenceReset(view: FixMessageView, now: number): void {
    const gapFill = view.getBoolean(123) === true;
    if (!this.verify(view, now, gapFill, gapFill)) return;
    this.counters.sequenceResetsReceived++;
    const newSeqNo = view.getInt(36);
    if (newSeqNo === undefined || Number.isNaN(newSeqNo)) return;
    const expected = this.store.nextTargetSeq;
    if (newSeqNo > expected) {
      this.setTarget(newSeqNo);
      // A gap fill past the end of our ResendRequest satisfies it. Left standing, a later gap (a garbled message
      // dropped right after) would get no new ResendRequest ("already sent") and the session would wait forever.
      const s = this.state;
      if (s.resendRequested && s.resendEnd !== 0 && newSeqNo > s.resendEnd) {
        this.log?.event(`ResendRequest for messages FROM: ${s.resendBegin} TO: ${s.resendEnd} has been satisfied.`, now);
        s.setResendRange(0, 0);
      }
    } else if (newSeqNo < expected) this.generateReject(view, SessionRejectReason.ValueIsIncorrect, null, undefined, now);
  }

  private nextResendRequest(view: FixMessageView, now: number): void {
    if (!this.verify(view, now, false, false)) return;
    const begin = view.getInt(7) ?? 0;
    const end = effectiveResendEnd(view.getInt(16) ?? 0, this.store.nextSenderSeq);
    this.counters.resendRequestsReceived++;
    this.host.emit('resendRequest', this.key, begin, end, 'received');
    this.log?.event(`Received ResendRequest FROM: ${begin} TO: ${end}`, now);
    const link = this.link;
    if (link) {
      const cached = this.store.cachedRange(begin, end);
      if (cached && cachedBytes(cached) <= resendSlice(link.conn)) {
        const steps = planResend(begin, end, cached, this.store.nextSenderSeq, (m) => this.mayResend(m));
        this.emitResendSteps(steps, now, (bytes) => this.queueOut(bytes, now));
      } else {
        // Older messages come from disk (or there are many): stream them, holding their place in the output.
        const held = link.out.placeholder();
        this.resendChain = this.resendChain.then(() => this.streamResend(begin, end, link, held));
      }
    }
    const seq = view.getInt(34) ?? 0;
    if (seq === this.store.nextTargetSeq) this.incrTarget();
  }

  private nextApp(view: FixMessageView, now: number): void {
    if (!this.verify(view, now, true, true)) return;
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
    if (reply.kind === 'reject') this.generateReject(view, reply.reason, reply.refTagId, reply.text, now);
    else if (reply.kind === 'business') {
      this.generateBusinessReject(view, reply.reason, reply.refTagId ?? 0, reply.text, now);
    } else this.incrTarget();
  }

  private nextQueued(now: number): void {
    while (this.link && this.queue.size > 0) {
      const expected = this.store.nextTargetSeq;
      const message = this.queue.get(expected);
      if (!message) return;
      this.queue.delete(expected);
      this.log?.event(`Processing QUEUED message: ${expected}`, now);
      if (message.msgType === 'A' || message.msgType === '2') this.incrTarget();
      else this.next(message, now, true);
    }
  }

  // ------------------------------------------------------------------ verify (QuickFIX Session::verify)

  private verify(view: FixMessageView, now: number, checkTooHigh: boolean, checkTooLow: boolean): boolean {
    const msgType = view.msgType;
    let seq = 0;
    if (checkTooHigh || checkTooLow) {
      const value = view.getInt(34);
      if (value === undefined || Number.isNaN(value)) {
        this.disconnect('MsgSeqNum missing or malformed');
        return false;
      }
      seq = value;
    }
    if (!this.validLogonState(msgType)) {
      this.disconnect(`Logon state is not valid for message (MsgType=${msgType})`);
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
    const expected = this.store.nextTargetSeq;
    if (checkTooHigh && seq > expected) {
      this.doTargetTooHigh(view, seq);
      return false;
    } else if (checkTooLow && seq < expected) {
      this.doTargetTooLow(view, seq, now);
      return false;
    }
    const s = this.state;
    if ((checkTooHigh || checkTooLow) && s.resendRequested && seq >= s.resendEnd) {
      this.log?.event(`ResendRequest for messages FROM: ${s.resendBegin} TO: ${s.resendEnd} has been satisfied.`, now);
      s.setResendRange(0, 0);
    }
    s.lastReceivedAt = now;
    s.testRequests = 0;
    if (this.isAdmin(msgType) && this.app.fromAdmin) {
      const fromAdmin = this.app.fromAdmin.bind(this.app);
      const verdict = this.callApp('fromAdmin', () => fromAdmin(this, view), undefined);
      if (verdict && msgType === 'A') {
        this.generateLogout(verdict.refuseLogon, now);
        this.disconnect(`logon refused by the application: ${verdict.refuseLogon}`);
        return false;
      }
    }
    return true;
  }

  private validLogonState(msgType: string): boolean {
    const s = this.state;
    if ((msgType === 'A' && s.sentReset) || s.receivedReset) return true;
    if ((msgType === 'A' && !s.receivedLogon) || (msgType !== 'A' && s.receivedLogon)) return true;
    if (msgType === '5' && s.sentLogon) return true;
    if (msgType !== '5' && s.sentLogout) return true;
    if (msgType === '4' || msgType === '3') return true;
    return false;
  }

  private isGoodTime(view: FixMessageView, now: number): boolean {
    if (!this.config.checkLatency) return true;
    const sendingTime = view.getTimestamp(52);
    if (sendingTime === undefined || Number.isNaN(sendingTime)) return false;
    return Math.abs(now - sendingTime) <= this.config.maxLatencySeconds * 1000;
  }

  private isCorrectCompId(view: FixMessageView): boolean {
    return view.valueEquals(49, this.id.targetCompId) && view.valueEquals(56, this.id.senderCompId);
  }

  private doBadTime(view: FixMessageView, now: number): void {
    if (!this.generateReject(view, SessionRejectReason.SendingTimeAccuracyProblem, null, undefined, now)) return;
    this.generateLogout('', now);
  }

  private doBadCompId(view: FixMessageView, now: number): void {
    if (!this.generateReject(view, SessionRejectReason.CompIdProblem, null, undefined, now)) return;
    this.generateLogout('', now);
  }

  private doTargetTooHigh(view: FixMessageView, seq: number): void {
    const now = Date.now();
    this.log?.event(`MsgSeqNum too high, expecting ${this.store.nextTargetSeq} but received ${seq}`, now);
    if (!this.queue.has(seq)) {
      if (this.queue.size >= this.config.maxQueuedMessages) {
        const reason = `more than ${this.config.maxQueuedMessages} messages queued behind a sequence gap`;
        this.generateLogout(reason, now);
        this.disconnect(reason);
        return;
      }
      this.queue.set(seq, view.detach());
    }
    const s = this.state;
    if (s.resendRequested && seq >= s.resendBegin) {
      this.log?.event(`Already sent ResendRequest FROM: ${s.resendBegin} TO: ${s.resendEnd}.  Not sending another.`, now);
      return;
    }
    this.generateResendRequest(seq, now);
  }

  private doTargetTooLow(view: FixMessageView, seq: number, now: number): void {
    if (view.getBoolean(43) !== true) {
      const text = `MsgSeqNum too low, expecting ${this.store.nextTargetSeq} but received ${seq}`;
      this.generateLogout(text, now);
      this.disconnect(text);
      return;
    }
    this.doPossDup(view, now);
  }

  private doPossDup(view: FixMessageView, now: number): void {
    if (view.msgType === '4') return;
    const orig = view.getTimestamp(122);
    if (orig === undefined) {
      this.generateReject(view, SessionRejectReason.RequiredTagMissing, 122, undefined, now);
      return;
    }
    const sendingTime = view.getTimestamp(52) ?? Number.NaN;
    if (orig > sendingTime) {
      if (!this.generateReject(view, SessionRejectReason.SendingTimeAccuracyProblem, null, undefined, now)) return;
      this.generateLogout('', now);
    }
  }

  // ------------------------------------------------------------------ sequence numbers and store

  private incrTarget(): void {
    this.setTarget(this.store.nextTargetSeq + 1);
  }

  private setTarget(seq: number): void {
    this.store.setNextTargetSeq(seq);
    this.host.markDirty(this);
  }

  private resetStore(now: number): void {
    this.store.reset(now);
    this.host.markDirty(this);
    this.log?.event('Sequence numbers reset to 1', now);
  }

  // ------------------------------------------------------------------ outbound: admin messages

  private generateLogon(now: number): void {
    const s = this.state;
    const reset = this.config.resetOnLogon || this.config.sendResetSeqNumFlag;
    if (reset) {
      this.resetStore(now);
      s.sentReset = true;
    }
    s.heartBtInt = this.config.heartBtIntSeconds;
    const { username, password } = this.config;
    this.sendAdmin('A', now, (w) => {
      w.int(98, 0);
      w.int(108, this.config.heartBtIntSeconds);
      if (reset) w.bool(141, true);
      if (username !== '') w.str(553, username);
      if (password !== '') w.str(554, password);
    });
    s.sentLogon = true;
    s.lastReceivedAt = now;
    this.setStatus('logon-sent');
  }

  private generateLogonReply(peerLogon: FixMessageView, now: number): void {
    const hb = peerLogon.indexOf(108);
    const reset = this.state.receivedReset;
    this.sendAdmin('A', now, (w) => {
      w.int(98, 0);
      if (hb >= 0) w.bytes(108, peerLogon.buffer, peerLogon.valueStartAt(hb), peerLogon.valueEndAt(hb));
      if (reset) w.bool(141, true);
    });
    this.state.sentLogon = true;
  }

  private generateHeartbeat(testRequest: FixMessageView | null, now: number): void {
    const id = testRequest ? testRequest.indexOf(112) : -1;
    this.sendAdmin('0', now, (w) => {
      if (id >= 0) w.bytes(112, testRequest!.buffer, testRequest!.valueStartAt(id), testRequest!.valueEndAt(id));
    });
  }

  private generateTestRequest(id: string, now: number): void {
    this.counters.testRequestsSent++;
    this.sendAdmin('1', now, (w) => w.str(112, id));
  }

  private generateLogout(text = '', now = Date.now()): void {
    this.sendAdmin('5', now, (w) => {
      if (text !== '') w.str(58, text);
    });
    this.state.sentLogout = true;
    if (this.link) this.setStatus('logout-sent');
  }

  private generateResendRequest(seq: number, now: number): void {
    const begin = this.store.nextTargetSeq;
    const end = this.protocolAtLeast42 ? 0 : 999999;
    this.sendAdmin('2', now, (w) => {
      w.int(7, begin);
      w.int(16, end);
    });
    this.state.setResendRange(begin, seq - 1);
    this.counters.resendRequestsSent++;
    this.host.emit('resendRequest', this.key, begin, seq - 1, 'sent');
    this.log?.event(`Sent ResendRequest FROM: ${begin} TO: ${end}`, now);
  }

  /**
   * Session-level Reject of `view` (QuickFIX Session::generateReject). Returns false when there is no logged-on
   * session to send it on: the connection is then dropped, as QuickFIX does.
   */
  private generateReject(view: FixMessageView, reason: number, refTag: number | null, text: string | undefined, now: number): boolean {
    const msgType = view.msgType;
    const seqField = view.indexOf(34);
    const seq = seqField >= 0 ? view.intAt(seqField) : 0;
    if (msgType !== 'A' && msgType !== '4' && seq === this.store.nextTargetSeq) this.incrTarget();
    const reasonText = text ?? sessionRejectText(reason);
    if (!this.state.receivedLogon) {
      this.disconnect(`Tried to send a reject while not logged on: ${reasonText ?? `reason ${reason}`}`);
      return false;
    }
    const withTag = refTag !== null && (refTag !== 0 || reason === SessionRejectReason.InvalidTagNumber);
    this.counters.rejectsSent[reason] = (this.counters.rejectsSent[reason] ?? 0) + 1;
    this.host.emit('sessionReject', this.key, reason, msgType, 'sent');
    this.log?.event(`Message ${seq} Rejected: ${reasonText ?? reason}${withTag ? `:${refTag}` : ''}`, now);
    this.sendAdmin('3', now, (w) => {
      this.reverseRoute(view, w);
      if (seqField >= 0 && view.valueLengthAt(seqField) > 0) {
        w.bytes(45, view.buffer, view.valueStartAt(seqField), view.valueEndAt(seqField));
      }
      if (reasonText !== undefined) w.str(58, reasonText);
      if (withTag) w.int(371, refTag);
      if (this.protocolAtLeast42 && msgType !== '') w.str(372, msgType);
      if (this.id.beginString > 'FIX.4.2' || (this.protocolAtLeast42 && reason <= SessionRejectReason.InvalidMsgType)) {
        w.int(373, reason);
      }
    });
    return true;
  }

  /** BusinessMessageReject (QuickFIX Session::generateBusinessReject): always consumes the incoming seq. */
  private generateBusinessReject(view: FixMessageView, reason: number, refTag: number, text: string | undefined, now: number): void {
    const seqField = view.indexOf(34);
    const msgType = view.msgType;
    this.incrTarget();
    const base = text ?? businessRejectText(reason);
    const fullText = base !== undefined && refTag !== 0 ? `${base} (${refTag})` : base;
    this.counters.businessRejectsSent++;
    const seq = this.store.nextSenderSeq;
    const bytes = this.encode(
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
    this.commit('j', seq, bytes, false, this.state.isLoggedOn, now);
  }

  /** OnBehalfOf.. and DeliverTo.. fields of the rejected message are swapped onto the reject; empty ones are not. */
  private reverseRoute(view: FixMessageView, w: FieldWriter): void {
    const routes = this.protocolAtLeast41 ? [REVERSE_ROUTE, REVERSE_ROUTE_LOCATION] : [REVERSE_ROUTE];
    for (const table of routes) {
      for (const [from, to] of table) {
        const i = view.indexOf(from);
        if (i >= 0 && view.valueLengthAt(i) > 0) w.bytes(to, view.buffer, view.valueStartAt(i), view.valueEndAt(i));
      }
    }
  }

  /** Admin messages go out only when logged on, except Logon, Logout, ResendRequest and SequenceReset. */
  private sendAdmin(msgType: string, now: number, body: BodyWriter): void {
    const seq = this.store.nextSenderSeq;
    const bytes = this.encode(msgType, seq, now, body, true, false);
    const alwaysSent = msgType === 'A' || msgType === '5' || msgType === '2' || msgType === '4';
    this.commit(msgType, seq, bytes, true, alwaysSent || this.state.isLoggedOn, now);
  }

  // ------------------------------------------------------------------ outbound: resend

  private emitResendSteps(steps: readonly ResendStep[], now: number, sink: (bytes: Buffer) => void): void {
    for (const step of steps) {
      if (step.kind === 'gapFill') {
        sink(this.encodeGapFill(step.begin, step.newSeqNo, now));
        this.counters.gapFillsSent++;
        this.host.emit('gapFill', this.key, step.begin, step.newSeqNo);
        this.log?.event(`Sent SequenceReset TO: ${step.newSeqNo}`, now);
      } else {
        sink(this.encodeResent(step.message, now));
        this.counters.messagesResent++;
        this.log?.event(`Resending Message: ${step.message.seq}`, now);
      }
    }
  }

  /**
   * A resend read from disk RESEND_CHUNK messages at a time and sent in slices of a quarter of the connection's
   * outbound limit; the next slice is produced only once it was flushed and the peer has read most of the previous
   * one, so a long recovery neither holds it all in memory nor trips the slow-consumer limit.
   */
  private async streamResend(begin: number, end: number, link: Link, held: HeldPosition): Promise<void> {
    const planner = new ResendPlanner(begin, end, this.store.nextSenderSeq, (m) => this.mayResend(m));
    const slice = resendSlice(link.conn);
    const staging = new StagingBuffer(slice + 4096);
    const sink = (bytes: Buffer): void => {
      const { buf, at } = staging.reserve(bytes.length);
      bytes.copy(buf, at);
      staging.commit(bytes.length);
    };
    const steps: ResendStep[] = [];
    /** Hands the slice over and waits for the peer; false when the connection went away meanwhile. */
    const handOver = async (): Promise<boolean> => {
      held.push(staging.take());
      this.host.markDirty(this);
      await this.host.flushed();
      await link.conn.drained(slice / 2);
      return this.link === link;
    };
    try {
      for (let from = begin; ; from += RESEND_CHUNK) {
        const to = Math.min(end, from + RESEND_CHUNK - 1);
        const messages = await this.store.range(from, to);
        if (this.link !== link) return;
        for (const m of messages) {
          planner.add(m, steps);
          this.emitResendSteps(steps, Date.now(), sink);
          steps.length = 0;
          if (staging.length >= slice && !(await handOver())) return;
        }
        if (to >= end) break;
      }
      this.emitResendSteps(planner.finish(steps), Date.now(), sink);
      held.push(staging.take());
    } catch (err) {
      this.host.logger.error('FIX resend could not read the store', {
        session: this.key,
        reason: err instanceof Error ? err.message : String(err),
      });
      if (this.link === link) this.disconnect('resend failed: store unreadable');
    } finally {
      held.end();
      this.host.markDirty(this);
    }
  }

  private mayResend(message: StoredMessage): boolean {
    const skip = this.config.gapFillOnResend;
    if (skip.length > 0) {
      const msgType = identifyMsgType(message.bytes);
      if (msgType !== undefined && skip.includes(msgType)) return false;
    }
    if (!this.app.toApp) return true;
    this.ownParser.parse(message.bytes);
    const toApp = this.app.toApp.bind(this.app);
    return this.callApp('toApp', () => toApp(this, this.ownParser.view, true), true) !== false;
  }

  private encodeGapFill(begin: number, newSeqNo: number, now: number): Buffer {
    const bytes = this.encode(
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
    this.countOut('4');
    return bytes;
  }

  /** A stored application message again: PossDupFlag=Y, OrigSendingTime = its SendingTime, a new SendingTime. */
  private encodeResent(message: StoredMessage, now: number): Buffer {
    const v = this.ownParser.view;
    this.ownParser.parse(message.bytes);
    const enc = this.encoder;
    enc.begin(this.id.beginString, v.msgType);
    for (let i = 0; i < v.fieldCount; i++) {
      if (v.ownerAt(i) !== -1) continue;
      const tag = v.tagAt(i);
      if (tag === 8 || tag === 9 || tag === 10 || tag === 35 || tag === 43 || tag === 122) continue;
      if (tag === 52 && v.sectionAt(i) === Section.Header) enc.bytes(122, v.buffer, v.valueStartAt(i), v.valueEndAt(i));
      else enc.copyField(v, i);
    }
    enc.bool(43, true);
    enc.setTimestamp(52, now);
    const bytes = enc.finish();
    this.countOut(v.msgType);
    return bytes;
  }

  // ------------------------------------------------------------------ outbound: common path

  /**
   * Encodes a message into the reused encoder buffer: the body (and any header fields the writer adds), then the
   * session's header. The encoder puts everything in QuickFIX's order.
   */
  private encode(msgType: string, seq: number, now: number, body: BodyWriter | null, admin: boolean, fromApplication: boolean): Buffer {
    const enc = this.encoder;
    enc.begin(this.id.beginString, msgType);
    body?.(enc);
    if (admin && this.app.toAdmin) {
      const toAdmin = this.app.toAdmin.bind(this.app);
      this.callApp('toAdmin', () => toAdmin(this, msgType, enc), undefined);
    }
    if (fromApplication) {
      // As QuickFIX's Session::send: PossDupFlag and OrigSendingTime belong to resends; the header is ours.
      enc.remove(43).remove(122);
      enc.setInt(34, seq).setStr(49, this.id.senderCompId).setTimestamp(52, now).setStr(56, this.id.targetCompId);
    } else {
      enc.int(34, seq).str(49, this.id.senderCompId).timestamp(52, now).str(56, this.id.targetCompId);
    }
    return enc.finish();
  }

  /**
   * Stores a freshly numbered message and, if it may go out now, queues it for the connection: the very bytes the
   * store staged (its batch is what the socket gets, no second copy).
   */
  private commit(msgType: string, seq: number, bytes: Buffer, admin: boolean, sendNow: boolean, now: number): void {
    const store = this.store;
    store.append(seq, bytes, admin);
    this.host.markDirty(this);
    if (!sendNow) return;
    const link = this.link;
    if (link !== null) {
      link.out.appendView(store.lastBuffer, store.lastOffset, bytes.length);
      this.state.lastSentAt = now;
    }
    this.countOut(msgType);
  }

  private queueOut(bytes: Buffer, now: number): void {
    const link = this.link;
    if (!link) return;
    link.out.append(bytes);
    this.state.lastSentAt = now;
    this.host.markDirty(this);
  }

  private countOut(msgType: string): void {
    this.counters.messagesOut[msgType] = (this.counters.messagesOut[msgType] ?? 0) + 1;
  }

  /** Application callbacks run inside the session's input handling: a throwing one is logged, never fatal. */
  private callApp<T>(callback: string, call: () => T, fallback: T): T {
    try {
      return call();
    } catch (err) {
      this.host.logger.error(`FIX application ${callback} failed`, {
        session: this.key,
        reason: err instanceof Error ? err.message : String(err),
      });
      return fallback;
    }
  }

  private isAdmin(msgType: string): boolean {
    return ADMIN_TYPES.has(msgType);
  }

  private setStatus(to: SessionStatus): void {
    const from = this.status;
    if (from === to) return;
    this.status = to;
    this.host.emit('status', this.key, from, to);
  }
}

/** How much of a resend goes to a connection at once: a quarter of its outbound limit. */
function resendSlice(conn: FixConnection): number {
  return Math.max(16 * 1024, Math.floor(conn.maxOutboundBytes / 4));
}

function cachedBytes(messages: readonly StoredMessage[]): number {
  let n = 0;
  for (const m of messages) n += m.bytes.length;
  return n;
}

function isLogonFrame(buf: Buffer, start: number, end: number): boolean {
  const at = buf.indexOf(LOGON_MARK, start);
  return at >= 0 && at + LOGON_MARK.length <= end;
}
