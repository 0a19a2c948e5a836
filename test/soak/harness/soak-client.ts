// A FIX 4.4 initiator for soak tests that survives the venue's crashes the way a member's engine would: it
// keeps its sequence numbers across connections, logs on again without resetting them, asks for a resend when
// the venue's numbers jump ahead, and answers the venue's resend requests with a gap fill (it never re-sends
// an order: an order the venue did not receive was never acknowledged, so it is simply not counted).
//
// It shares no code with the venue's engine (framing, checksum and parsing come from the independent test
// client), so it can catch the engine breaking a rule. It checks the venue's side of the protocol as it goes:
// every MsgSeqNum is processed exactly once and in order, a repeat is marked PossDup and says what the first
// copy said, nothing arrives below the expected number without PossDup, the venue never resets the numbers.

import { connect, type Socket } from 'node:net';
import { frame, parseMessage, SOH, stamp, type FixMsg } from '../../support/fix-test-client.js';

export interface SoakClientOptions {
  host?: string;
  port: number;
  senderCompId: string;
  targetCompId: string;
  password?: string;
  /** HeartBtInt(108) in seconds (default 30). */
  heartBtInt?: number;
  /** Local address to connect from (e.g. 127.0.0.2 for an allowlist test). */
  localAddress?: string;
  /** Keep a short trace of what arrives (seq:type), for diagnostics. */
  trace?: boolean;
}

export type ClientState = 'disconnected' | 'connecting' | 'logon-sent' | 'logged-on';

/** What the client processed at one sequence number, to compare with a PossDup repeat. */
interface SeenAt {
  type: string;
  execId: string;
}

export class SoakFixClient {
  nextOut = 1;
  nextIn = 1;
  state: ClientState = 'disconnected';
  /** Protocol rules the venue broke (seq too low, repeat differs, reset, bad checksum …). */
  readonly violations: string[] = [];
  /** Application messages, in MsgSeqNum order, each exactly once. */
  readonly onApp: Array<(m: FixMsg) => void> = [];
  /** Admin messages (Reject, Logout, …) as they arrive. */
  readonly onAdmin: Array<(m: FixMsg) => void> = [];
  /** Session-level Rejects (3) received. */
  readonly rejects: FixMsg[] = [];
  /** Logouts received (their Text). */
  readonly logouts: string[] = [];
  /** Counters for the report. */
  readonly stats = { processed: 0, possDupRepeats: 0, resendRequestsSent: 0, resendRequestsReceived: 0, gapFillsReceived: 0, logons: 0, heartbeatsReceived: 0, testRequestsAnswered: 0 };
  /** Receive times of the venue's Heartbeats (ms), for heartbeat-timing checks. */
  readonly heartbeatTimes: number[] = [];
  private readonly processedAt = new Map<number, SeenAt>();
  /** Messages that arrived beyond a gap, by MsgSeqNum, until the gap is filled. */
  private readonly queued = new Map<number, FixMsg>();
  private socket: Socket | null = null;
  private buffer = '';
  private resendUntil = 0;
  private venueLogonSeq = 0;
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stateWaiters: Array<() => void> = [];
  private readonly answeredTestReqs = new Set<string>();
  /** ResendRequests answered while held behind a gap (not answered again when processed in order). */
  private readonly answeredResends = new Set<number>();
  /** Longest time without any message from the venue while logged on (ms): heartbeats keep it near HeartBtInt. */
  maxSilenceMs = 0;
  private lastReceivedAt = 0;
  /** seq:MsgType of what arrived (when options.trace). */
  readonly trace: string[] = [];
  /** The MsgSeqNum the venue last said it expected (from a Logout's Text); 0 when none. */
  venueExpects = 0;
  /** MsgSeqNum:MsgType of messages still held behind a gap when the connection closed (diagnostics). */
  heldAtClose: string[] = [];
  private testReqCounter = 0;
  private closeReason = '';

  constructor(readonly options: SoakClientOptions) {}

  get id(): string {
    return this.options.senderCompId;
  }

  get loggedOn(): boolean {
    return this.state === 'logged-on';
  }

  /** True once logged on and every message the venue had sent before its Logon has been processed. */
  get caughtUp(): boolean {
    return this.loggedOn && this.nextIn > this.venueLogonSeq && this.resendUntil === 0;
  }

  /** Time since the venue's last message (ms). */
  get silenceMs(): number {
    return this.lastReceivedAt === 0 ? 0 : Date.now() - this.lastReceivedAt;
  }

  get lastCloseReason(): string {
    return this.closeReason;
  }

  /**
   * Connects and logs on with the current sequence numbers. Resolves true when logged on, false when the venue
   * refused (Logout or disconnect) or did not answer within timeoutMs.
   */
  async logon(timeoutMs = 5000, extraLogonFields = ''): Promise<boolean> {
    if (this.state !== 'disconnected') throw new Error(`${this.id}: logon while ${this.state}`);
    this.state = 'connecting';
    const o = this.options;
    try {
      await new Promise<void>((resolve, reject) => {
        const s = connect({ port: o.port, host: o.host ?? '127.0.0.1', localAddress: o.localAddress }, () => resolve());
        s.setNoDelay(true);
        s.setEncoding('latin1');
        s.once('error', reject);
        s.on('data', (d: string) => this.onData(d));
        s.on('close', () => this.onClose(s));
        this.socket = s;
      });
    } catch (err) {
      this.socket = null;
      this.setState('disconnected');
      this.closeReason = `connect failed: ${(err as Error).message}`;
      return false;
    }
    this.socket!.on('error', () => {});
    this.buffer = '';
    this.resendUntil = 0;
    this.queued.clear();
    this.answeredResends.clear();
    this.lastReceivedAt = 0;
    this.setState('logon-sent');
    this.send('A', `98=0${SOH}108=${o.heartBtInt ?? 30}${SOH}${o.password ? `554=${o.password}${SOH}` : ''}${extraLogonFields}`);
    await this.waitFor(() => this.state !== 'logon-sent', timeoutMs).catch(() => undefined);
    if (!this.loggedOn) {
      this.close();
      return false;
    }
    return true;
  }

  /** Resolves when the resend after logon has completed (every message sent before the venue's Logon processed). */
  async catchUp(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.caughtUp || this.state === 'disconnected', timeoutMs);
    if (!this.caughtUp) throw new Error(`${this.id}: disconnected while catching up`);
  }

  /** Sends a message with the next MsgSeqNum; returns it. `body` holds SOH-terminated fields after the header. */
  send(msgType: string, body: string, header = ''): number {
    const seq = this.nextOut++;
    const o = this.options;
    this.write(frame(`35=${msgType}${SOH}34=${seq}${SOH}49=${o.senderCompId}${SOH}52=${stamp()}${SOH}56=${o.targetCompId}${SOH}${header}${body}`));
    return seq;
  }

  /** Writes bytes as they are (the fuzzer's malformed frames); the caller manages sequence numbers. */
  write(bytes: string): void {
    if (this.socket === null || this.socket.destroyed) return;
    this.socket.write(bytes, 'latin1');
    this.lastSentAt = Date.now();
  }

  /**
   * A TestRequest and the venue's Heartbeat answering it: resolves with the round trip in ms. Every message the
   * venue sent before that Heartbeat has been processed by then (the venue answers in order).
   */
  async roundTrip(timeoutMs = 10_000): Promise<number> {
    const id = `RT-${this.id}-${++this.testReqCounter}`;
    const started = performance.now();
    this.send('1', `112=${id}${SOH}`);
    await this.waitFor(() => this.answeredTestReqs.has(id), timeoutMs);
    this.answeredTestReqs.delete(id);
    return performance.now() - started;
  }

  async logout(timeoutMs = 3000): Promise<void> {
    if (this.state !== 'logged-on') return this.close();
    this.send('5', '');
    await this.waitFor(() => this.state === 'disconnected', timeoutMs).catch(() => undefined);
    this.close();
  }

  close(): void {
    const s = this.socket;
    if (s === null) return;
    s.destroy();
    this.onClose(s);
  }

  /** Resolves when the connection is gone. */
  async disconnected(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.state === 'disconnected', timeoutMs);
  }

  waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!cond()) return;
        clearTimeout(timer);
        this.stateWaiters = this.stateWaiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.stateWaiters = this.stateWaiters.filter((w) => w !== check);
        reject(new Error(`${this.id}: condition not met within ${timeoutMs} ms (state ${this.state}, nextIn ${this.nextIn})`));
      }, timeoutMs);
      this.stateWaiters.push(check);
    });
  }

  private setState(s: ClientState): void {
    this.state = s;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.stateWaiters]) w();
  }

  private onClose(s: Socket): void {
    if (this.socket !== s) return;
    this.socket = null;
    // A Logout held behind a gap still tells why the venue closed the session.
    for (const m of this.queued.values()) if (m.type === '5') this.logouts.push(m.get(58) ?? '');
    if (this.queued.size > 0) this.heldAtClose = [...this.queued.values()].map((m) => `${m.get(34)}:${m.type}`);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.setState('disconnected');
  }

  private onData(d: string): void {
    this.buffer += d;
    for (;;) {
      const m = /\x0110=\d{3}\x01/.exec(this.buffer);
      if (!m) return;
      const end = m.index + m[0].length;
      const raw = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      const start = raw.indexOf('8=FIX');
      const text = raw.slice(Math.max(0, start));
      this.checkFrame(text);
      this.onMessage(parseMessage(text));
      this.notify();
    }
  }

  private checkFrame(text: string): void {
    const sumAt = text.lastIndexOf(`${SOH}10=`) + 1;
    let sum = 0;
    for (let i = 0; i < sumAt; i++) sum += text.charCodeAt(i);
    const stated = Number(text.slice(sumAt + 3, sumAt + 6));
    if (sum % 256 !== stated) this.violations.push(`bad checksum from venue: ${text.replaceAll(SOH, '|')}`);
    const bodyStart = text.indexOf(SOH, text.indexOf(`${SOH}9=`) + 1) + 1;
    const bodyLength = Number(/\x019=(\d+)\x01/.exec(text)?.[1] ?? -1);
    if (sumAt - bodyStart !== bodyLength) this.violations.push(`bad BodyLength from venue: ${text.replaceAll(SOH, '|')}`);
  }

  private onMessage(msg: FixMsg): void {
    const seq = Number(msg.get(34));
    const now = Date.now();
    if (this.loggedOn && this.lastReceivedAt > 0 && now - this.lastReceivedAt > this.maxSilenceMs) this.maxSilenceMs = now - this.lastReceivedAt;
    this.lastReceivedAt = now;
    if (this.options.trace) this.trace.push(`${seq}:${msg.type}${msg.get(43) === 'Y' ? '*' : ''}${msg.type === '2' ? `(${msg.get(7)}-${msg.get(16)})` : msg.type === '4' ? `(${msg.get(36)})` : msg.type === '8' ? `[${msg.get(17)} ${msg.get(37)} ${msg.get(39)}]` : ''}`);
    const possDup = msg.get(43) === 'Y';
    const type = msg.type;
    if (type === 'A' && this.state === 'logon-sent') {
      this.state = 'logged-on';
      this.stats.logons++;
      this.venueLogonSeq = seq;
      this.startTimer();
    }
    if (type === '5') {
      this.logouts.push(msg.get(58) ?? '');
      // "MsgSeqNum too low, expecting N": what a member's engine would be told to resync to (the fuzzer needs it).
      const expecting = /expecting (\d+)/.exec(msg.get(58) ?? '');
      if (expecting !== null) this.venueExpects = Number(expecting[1]);
      this.closeReason = `logout: ${msg.get(58) ?? ''}`;
      if (this.state === 'logon-sent') {
        this.close();
        return;
      }
    }
    if (type === '4' && msg.get(123) !== 'Y') {
      // SequenceReset-Reset: the venue moved its numbers by force. Never expected from a venue that lost nothing.
      this.violations.push(`venue sent SequenceReset-Reset from ${seq} to ${msg.get(36)}`);
      this.nextIn = Number(msg.get(36));
      return;
    }
    if (seq < this.nextIn) {
      if (!possDup) {
        this.violations.push(`MsgSeqNum too low without PossDupFlag: got ${seq}, expected ${this.nextIn} (${type})`);
        return;
      }
      this.stats.possDupRepeats++;
      const first = this.processedAt.get(seq);
      if (first && type !== '4' && (first.type !== type || first.execId !== (msg.get(17) ?? ''))) {
        this.violations.push(`seq ${seq} reused: first ${first.type}/${first.execId}, repeat ${type}/${msg.get(17) ?? ''}`);
      }
      return;
    }
    if (seq > this.nextIn) {
      // A gap: ask for everything from the first missing one and hold what arrived beyond it (processed once
      // the gap is filled; a PossDup repeat of it is then compared and dropped).
      if (!this.queued.has(seq)) this.queued.set(seq, msg);
      if (this.resendUntil === 0) {
        this.resendUntil = seq;
        this.stats.resendRequestsSent++;
        this.send('2', `7=${this.nextIn}${SOH}16=0${SOH}`);
      } else if (seq > this.resendUntil) {
        this.resendUntil = seq;
      }
      if (type === '1') this.answerTestRequest(msg);
      // A ResendRequest above the expected number is answered at once (the FIX rule): otherwise both sides could
      // wait for each other's resend.
      if (type === '2' && !this.answeredResends.has(seq)) {
        this.answeredResends.add(seq);
        this.answerResend(msg);
      }
      return;
    }
    this.processInOrder(msg);
    for (let next = this.queued.get(this.nextIn); next !== undefined; next = this.queued.get(this.nextIn)) {
      this.queued.delete(this.nextIn);
      this.processInOrder(next);
    }
    if (this.resendUntil !== 0 && this.nextIn > this.resendUntil) this.resendUntil = 0;
  }

  /** The message at nextIn: processed exactly once. */
  private processInOrder(msg: FixMsg): void {
    const seq = Number(msg.get(34));
    const type = msg.type;
    const held = this.queued.get(seq);
    if (held !== undefined && held !== msg) {
      if (type !== '4' && held.type !== '4' && (held.type !== type || (held.get(17) ?? '') !== (msg.get(17) ?? ''))) {
        this.violations.push(`seq ${seq} changed between sends: ${held.type}/${held.get(17) ?? ''} then ${type}/${msg.get(17) ?? ''}`);
      }
      this.queued.delete(seq);
    }
    if (type === '4') {
      this.stats.gapFillsReceived++;
      const newSeq = Number(msg.get(36));
      for (const q of this.queued.keys()) if (q < newSeq) this.queued.delete(q);
      this.nextIn = newSeq;
    } else {
      this.nextIn = seq + 1;
      this.processedAt.set(seq, { type, execId: msg.get(17) ?? '' });
      this.stats.processed++;
      this.dispatch(msg);
    }
  }

  private dispatch(msg: FixMsg): void {
    switch (msg.type) {
      case '0': {
        const answer = msg.get(112);
        if (answer !== undefined) this.answeredTestReqs.add(answer);
        else {
          this.stats.heartbeatsReceived++;
          this.heartbeatTimes.push(Date.now());
        }
        return;
      }
      case '1':
        this.answerTestRequest(msg);
        return;
      case '2':
        if (!this.answeredResends.delete(Number(msg.get(34)))) this.answerResend(msg);
        return;
      case '3':
        this.rejects.push(msg);
        for (const h of this.onAdmin) h(msg);
        return;
      case '5':
        if (this.state === 'logged-on') this.send('5', '');
        this.close();
        return;
      case 'A':
        return;
      default:
        for (const h of this.onApp) h(msg);
    }
  }

  /** Never re-sends orders: fills the whole range with one gap fill. */
  private answerResend(msg: FixMsg): void {
    this.stats.resendRequestsReceived++;
    const begin = Number(msg.get(7));
    const o = this.options;
    const body = `35=4${SOH}34=${begin}${SOH}43=Y${SOH}49=${o.senderCompId}${SOH}52=${stamp()}${SOH}56=${o.targetCompId}${SOH}122=${stamp()}${SOH}123=Y${SOH}36=${this.nextOut}${SOH}`;
    this.write(frame(body));
  }

  private answerTestRequest(msg: FixMsg): void {
    this.stats.testRequestsAnswered++;
    this.send('0', `112=${msg.get(112) ?? ''}${SOH}`);
  }

  private startTimer(): void {
    if (this.timer) clearInterval(this.timer);
    const hbMs = (this.options.heartBtInt ?? 30) * 1000;
    this.lastSentAt = Date.now();
    this.timer = setInterval(() => {
      if (this.state === 'logged-on' && Date.now() - this.lastSentAt >= hbMs) this.send('0', '');
    }, Math.min(1000, hbMs / 4));
    this.timer.unref();
  }
}
