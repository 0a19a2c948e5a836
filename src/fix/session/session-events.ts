// Observability of sessions for ops: a typed event stream (positional arguments, so emitting allocates nothing per
// message) and per-session counters kept in the session itself (plain increments, O(1) per message), read through
// the engine's `sessions()` listing. Another helper wires these to prom-client.

export type SessionStatus = 'disconnected' | 'connected' | 'logon-sent' | 'logged-on' | 'logout-sent';

export interface SessionCounters {
  messagesIn: Record<string, number>;
  messagesOut: Record<string, number>;
  /** Session-level Rejects we sent, by SessionRejectReason. */
  rejectsSent: Record<string, number>;
  rejectsReceived: number;
  businessRejectsSent: number;
  resendRequestsReceived: number;
  resendRequestsSent: number;
  messagesResent: number;
  gapFillsSent: number;
  sequenceResetsReceived: number;
  testRequestsSent: number;
  heartbeatTimeouts: number;
  logons: number;
  disconnects: number;
  /** Frames dropped as QuickFIX drops them (bad checksum, BodyLength, garbled, garbage). */
  badFrames: number;
  storeErrors: number;
}

export function emptyCounters(): SessionCounters {
  return {
    messagesIn: {},
    messagesOut: {},
    rejectsSent: {},
    rejectsReceived: 0,
    businessRejectsSent: 0,
    resendRequestsReceived: 0,
    resendRequestsSent: 0,
    messagesResent: 0,
    gapFillsSent: 0,
    sequenceResetsReceived: 0,
    testRequestsSent: 0,
    heartbeatTimeouts: 0,
    logons: 0,
    disconnects: 0,
    badFrames: 0,
    storeErrors: 0,
  };
}

/** A snapshot of one session for ops listings. */
export interface SessionInfo {
  key: string;
  beginString: string;
  senderCompId: string;
  targetCompId: string;
  role: 'acceptor' | 'initiator';
  status: SessionStatus;
  remoteAddress: string | null;
  connectedAt: number | null;
  loggedOnAt: number | null;
  lastSentAt: number | null;
  lastReceivedAt: number | null;
  nextSenderSeq: number;
  nextTargetSeq: number;
  heartBtInt: number;
  storeFailure: string | null;
  counters: SessionCounters;
}

/** Events of the engine, as (name → listener arguments). `session` is the session key. */
export interface FixEngineEvents {
  status: [session: string, from: SessionStatus, to: SessionStatus];
  logon: [session: string, remoteAddress: string | null];
  logout: [session: string, reason: string];
  disconnect: [session: string, reason: string];
  messageIn: [session: string, msgType: string];
  sessionReject: [session: string, reason: number, refMsgType: string, direction: 'sent' | 'received'];
  resendRequest: [session: string, begin: number, end: number, direction: 'sent' | 'received'];
  gapFill: [session: string, begin: number, newSeqNo: number];
  /** The peer was silent past HeartBtInt: we sent a TestRequest (lateMs = silence beyond HeartBtInt). */
  heartbeatLate: [session: string, lateMs: number];
  storeError: [session: string, error: Error];
  /** An initiator will try to connect again after `delayMs` (attempt counts since the last logon). */
  reconnect: [session: string, delayMs: number, attempt: number];
  /** A connection was refused or closed before it became a session (reason says why). */
  connectionRefused: [remoteAddress: string, reason: string];
  flushBarrierError: [error: Error];
  /**
   * A flush completed: this turn's messages are durable and written to the sockets. Once per flush, not per
   * message. performance.now() milliseconds: start of the flush, sessions whose store was written, time of those
   * store writes, time of the whole flush.
   */
  flush: [startedAt: number, stores: number, storeMs: number, totalMs: number];
}
