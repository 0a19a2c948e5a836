// Configuration of a FIX engine: where session stores live, the acceptors (listening ports, each with the
// sessions it serves) and the initiators (outgoing sessions). The gateway builds this from the venue config.

import type { WriteFaults } from '../../io/write-faults.js';
import type { MessageLogOptions } from '../store/message-log.js';
import type { SessionConfig } from '../session/session-config.js';
import type { ScheduleClock } from '../session/session-window.js';
import type { ConnectorConfig } from '../transport/reconnecting-connector.js';
import type { FixLogger } from '../transport/fix-logger.js';
import type { ListenerConfig } from '../transport/fix-listener.js';

export interface AcceptorConfig extends ListenerConfig {
  /** Largest message accepted, in bytes (default 64 KiB); a larger one disconnects the sender. */
  maxMessageSize?: number;
  /** Sessions served on this port, seen from our side (senderCompId is ours). */
  sessions: SessionConfig[];
}

export interface InitiatorConfig extends ConnectorConfig {
  maxMessageSize?: number;
  session: SessionConfig;
}

export interface EngineConfig {
  /** Root folder of the per-session stores and message logs (one sub-folder per session). */
  sessionsDir: string;
  /** fsync every store write (default false: page-cache durability, which survives kill -9). */
  fsync?: boolean;
  acceptors?: AcceptorConfig[];
  initiators?: InitiatorConfig[];
  logger?: FixLogger;
  /** How often heartbeat/test-request/timeouts are checked (default 1000 ms, QuickFIX's cadence). */
  timerIntervalMs?: number;
  messageLog?: MessageLogOptions;
  /**
   * Which failed stores a logon attempt reopens from disk (the attempt is refused either way, the next one gets
   * in): 'all' (the default), or 'withheld' — only stores that failed because a flush barrier did (the venue's
   * journal: the store's own disk is fine, the batch it withheld is dropped by the reopen). A store whose own write
   * failed then stays failed for an owner that recovers it: the venue restarts from its journal, whose report
   * catch-up re-derives what the store lacks only while nothing was written to the store after the hole.
   */
  reopenFailedStores?: 'all' | 'withheld';
  /** The clock the session schedules follow (default: the system clock; tests move one by hand). */
  scheduleClock?: ScheduleClock;
  /** Injected disk faults for every session store (the soak's failpoints); null or absent in production. */
  storeFaults?: WriteFaults | null;
}
