// How one FIX session behaves, with QuickFIX's defaults where QuickFIX has a setting of the same meaning. Sessions
// are identified by (BeginString, SenderCompID, TargetCompID) as seen from our side.

import type { FixDictionary } from '../dictionary/model.js';
import type { SessionSchedule } from './session-schedule.js';

export interface SessionId {
  beginString: string;
  /** Our CompID. */
  senderCompId: string;
  /** The counterparty's CompID. */
  targetCompId: string;
}

export interface SessionConfig extends SessionId {
  /** Dictionary that validates this session's messages. */
  dictionary: FixDictionary;
  /** Initiator: the HeartBtInt we ask for. Acceptors take the counterparty's. */
  heartBtIntSeconds?: number;
  /** Start every logon from sequence number 1 (QuickFIX ResetOnLogon). Default false: keep them across connections. */
  resetOnLogon?: boolean;
  resetOnLogout?: boolean;
  resetOnDisconnect?: boolean;
  /** Initiator: send ResetSeqNumFlag=Y on Logon. */
  sendResetSeqNumFlag?: boolean;
  /** Acceptor: the Password(554) the counterparty must send; initiator: the one we send. Empty: not checked/sent. */
  password?: string;
  /** Initiator: Username(553) to send. Acceptor: when set, the counterparty must send it. */
  username?: string;
  /** QuickFIX ValidateFieldsHaveValues (default true). */
  validateFieldsHaveValues?: boolean;
  /** QuickFIX CheckLatency / MaxLatency (default true / 120 s). */
  checkLatency?: boolean;
  maxLatencySeconds?: number;
  /** Initiator: how long to wait for the Logon answer (QuickFIX LogonTimeout, default 10 s). */
  logonTimeoutSeconds?: number;
  /** How long to wait for the counterparty's Logout after ours (QuickFIX LogoutTimeout, default 2 s). */
  logoutTimeoutSeconds?: number;
  /** Remote addresses allowed to log on as this session; empty or absent: any. */
  allowedAddresses?: readonly string[];
  /** Write the human-readable message log under the session's folder (default true). */
  messageLog?: boolean;
  /**
   * Application MsgTypes never resent: a ResendRequest covering them gets a gap fill instead (QuickFIX's
   * DoNotSend), for messages that are stale once missed, such as market data.
   */
  gapFillOnResend?: readonly string[];
  /** Messages that arrive ahead of a gap and wait for it to be filled; beyond this the session is logged out. */
  maxQueuedMessages?: number;
  /** Recent sent messages kept in memory for resends (older ones are read from disk). */
  resendCacheSize?: number;
  /** Logon attempts per second allowed for this session after a burst (flood resistance). */
  logonAttemptsPerSecond?: number;
  logonAttemptBurst?: number;
  /**
   * When the session may be logged on (QuickFIX StartTime/EndTime/StartDay/EndDay/Weekdays/TimeZone); sequence
   * numbers start again at each new period. Absent: always open, one period for ever.
   */
  schedule?: SessionSchedule | null;
}

/** Every option with its default filled in. */
export type ResolvedSessionConfig = Required<Omit<SessionConfig, 'heartBtIntSeconds' | 'schedule'>> & {
  heartBtIntSeconds: number;
  schedule: SessionSchedule | null;
};

export function resolveSessionConfig(config: SessionConfig): ResolvedSessionConfig {
  return {
    beginString: config.beginString,
    senderCompId: config.senderCompId,
    targetCompId: config.targetCompId,
    dictionary: config.dictionary,
    heartBtIntSeconds: config.heartBtIntSeconds ?? 30,
    resetOnLogon: false,
    resetOnLogout: false,
    resetOnDisconnect: false,
    sendResetSeqNumFlag: false,
    password: '',
    username: '',
    validateFieldsHaveValues: true,
    checkLatency: true,
    maxLatencySeconds: 120,
    logonTimeoutSeconds: 10,
    logoutTimeoutSeconds: 2,
    allowedAddresses: [],
    messageLog: true,
    gapFillOnResend: [],
    maxQueuedMessages: 10_000,
    resendCacheSize: 4096,
    logonAttemptsPerSecond: 1,
    logonAttemptBurst: 5,
    schedule: null,
    ...stripUndefined(config),
  } as ResolvedSessionConfig;
}

/** "FIX.4.4:VENUE->BROKER1" — the key sessions are looked up by, and the name used in logs and metrics. */
export function sessionKey(id: SessionId): string {
  return `${id.beginString}:${id.senderCompId}->${id.targetCompId}`;
}

/** Folder name of a session's store and logs under the sessions root. */
export function sessionFolder(id: SessionId): string {
  return `${id.beginString}-${id.senderCompId}-${id.targetCompId}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
