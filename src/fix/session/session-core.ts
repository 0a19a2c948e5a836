// What the parts of one FIX session share (the state machine in fix-session.ts, its inbound checks, admin messages,
// resender and output): the session's identity and configuration, its store and connection, its protocol flags and
// counters, and the small steps every part takes (sequence numbers, status, calling the application). One per
// session, made with it: the parts hold it instead of a back door into FixSession's private fields.

import { FixParser } from '../codec/parser.js';
import type { MessageLog } from '../store/message-log.js';
import type { MessageStore } from '../store/message-store.js';
import type { FixConnection } from '../transport/fix-connection.js';
import type { FixLogger } from '../transport/fix-logger.js';
import type { Application } from './application.js';
import type { FixSession } from './fix-session.js';
import type { OutboundQueue } from './outbound-queue.js';
import type { ResolvedSessionConfig, SessionId } from './session-config.js';
import type { FixEngineEvents, SessionCounters, SessionStatus } from './session-events.js';
import { SessionState } from './session-state.js';
import type { ScheduleClock } from './session-window.js';

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
  /** The clock of session schedules (default: the system clock). */
  readonly scheduleClock?: ScheduleClock;
}

/** A connection bound to the session, with the bytes waiting to go to it. */
export interface Link {
  conn: FixConnection;
  out: OutboundQueue;
  /** Set once the session let go of the connection: close it after its queued bytes are written. */
  closing: string | null;
}

const ADMIN_TYPES = new Set(['0', 'A', '1', '2', '3', '4', '5']);

export function isAdminMsgType(msgType: string): boolean {
  return ADMIN_TYPES.has(msgType);
}

export class SessionCore {
  readonly state = new SessionState();
  status: SessionStatus = 'disconnected';
  link: Link | null = null;
  /** Connections let go of whose queued bytes are still to be written. */
  readonly closingLinks: Link[] = [];
  /** Parses our own stored or just-encoded messages (resends, toApp) without disturbing the inbound view. */
  readonly ownParser: FixParser;
  readonly protocolAtLeast42: boolean;
  readonly protocolAtLeast41: boolean;

  constructor(
    /** The handle the application's callbacks get. */
    readonly session: FixSession,
    readonly id: SessionId,
    readonly key: string,
    readonly config: ResolvedSessionConfig,
    readonly counters: SessionCounters,
    public store: MessageStore,
    readonly host: SessionHost,
    readonly app: Application,
    readonly log: MessageLog | null,
  ) {
    this.ownParser = new FixParser({ dictionary: config.dictionary });
    this.protocolAtLeast42 = id.beginString >= 'FIX.4.2';
    this.protocolAtLeast41 = id.beginString >= 'FIX.4.1';
  }

  /** Something was staged (store or socket output): include the session in the turn's flush. */
  markDirty(): void {
    this.host.markDirty(this.session);
  }

  incrTarget(): void {
    this.setTarget(this.store.nextTargetSeq + 1);
  }

  setTarget(seq: number): void {
    this.store.setNextTargetSeq(seq);
    this.markDirty();
  }

  resetStore(now: number): void {
    this.store.reset(now);
    this.markDirty();
    this.log?.event('Sequence numbers reset to 1', now);
  }

  countOut(msgType: string): void {
    this.counters.messagesOut[msgType] = (this.counters.messagesOut[msgType] ?? 0) + 1;
  }

  setStatus(to: SessionStatus): void {
    const from = this.status;
    if (from === to) return;
    this.status = to;
    this.host.emit('status', this.key, from, to);
  }

  /** Application callbacks run inside the session's input handling: a throwing one is logged, never fatal. */
  callApp<T>(callback: string, call: () => T, fallback: T): T {
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
}
