// Typed settings of a running venue, as loaded from config/venue.json (or .yaml). Every room gets its
// settings from here; nothing else reads config files.

import type { InstrumentSpec } from '../venue/model/instrument.js';
import type { StpMode } from '../venue/model/enums.js';
import type { RiskSettings } from './risk-section.js';
import type { ClearingSettings } from './clearing-section.js';
import type { RecordSettings } from './records-section.js';
import type { FixMessageLogSettings } from './log-section.js';
import type { RoutingSettings } from './routing-section.js';
import type { CalendarSettings } from './calendar-section.js';
import type { SessionScheduleSettings } from './session-schedule-section.js';

export type SessionRole = 'order-entry' | 'drop-copy' | 'market-data';

export interface FirmSettings {
  id: string;
  name: string;
  accounts: string[];
  /** Account used when an order carries no Account(1). */
  defaultAccount: string;
  /** Self-trade prevention for this firm's accounts; overrides the venue default. */
  stpMode: StpMode;
}

export interface ThrottleSettings {
  /** Application messages per second allowed; 0 for no throttle. */
  messagesPerSecond: number;
  /** Log the session out after this many consecutive seconds over the limit; 0 never. */
  logoutAfterSeconds: number;
}

export interface SessionSettings {
  /** The member's CompID (their SenderCompID, our TargetCompID); unique per venue. */
  id: string;
  role: SessionRole;
  /** Firm the session trades for (order-entry) or belongs to. */
  firm: string;
  /** Firms a drop-copy session receives copies for; ['*'] for all. */
  entitledFirms: string[];
  password: string;
  resetOnLogon: boolean;
  cancelOnDisconnect: boolean;
  throttle: ThrottleSettings;
  /** Remote addresses allowed to log on as this session; empty for any. */
  allowedIps: string[];
  /** Dictionary of this session (validates what it sends, limits what it is sent); default: fix.dictionary. */
  dictionary: string;
  /** This session's FIX message log on or off; absent = as `venue.log.fixMessages.enabled` says. */
  messageLog?: boolean;
  /** When the session may be logged on; null: always (sessions[].schedule). */
  schedule?: SessionScheduleSettings | null;
}

export interface FixListenerSettings {
  host: string;
  port: number;
  /** Dictionary used to validate messages of every session on this listener. */
  dictionary: string;
  maxMessageSize: number;
  maxUnauthenticatedConnections: number;
  logonTimeoutSeconds: number;
  tls: { certFile: string; keyFile: string; caFile: string; requestClientCert: boolean } | null;
}

export interface SnapshotSettings {
  /** Seconds between snapshots taken by the running venue; 0 takes none on a timer (end of day and ops still do). */
  intervalSeconds: number;
  /** Snapshot files kept (the newest); older ones are deleted after each new snapshot. At least 1. */
  keep: number;
  /** Take one when the trading day ends (endOfDay). */
  atEndOfDay: boolean;
}

export interface VenueSettings {
  /** Path of the file the settings came from, for messages. */
  file: string;
  compId: string;
  adminPort: number;
  adminHost: string;
  /** Root folder for runtime data (journal, trade record, private Redis). */
  dataDir: string;
  sessionsDir: string;
  journal: { fsync: boolean };
  /** Snapshots of the venue state (venue.snapshots): start-up replays only the journal after the newest. */
  snapshots: SnapshotSettings;
  stpDefault: StpMode;
  /** 'account': orders of the same account never trade with each other; 'firm': of the same firm. */
  stpScope: 'account' | 'firm';
  redisUrl: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  logFormat: 'json' | 'text';
  /** Per-session FIX message logs (under sessionsDir): on/off and rotation. */
  fixMessageLog: FixMessageLogSettings;
  fix: FixListenerSettings;
  firms: FirmSettings[];
  sessions: SessionSettings[];
  instruments: InstrumentSpec[];
  /** The execution record (src/records). */
  records: RecordSettings;
  /** Settlement and clearing (src/clearing). */
  clearing: ClearingSettings;
  /** Pre-trade risk: default limits (written to Redis on the first start only), circuit breakers, write-behind. */
  risk: RiskSettings;
  /** Outbound routing (src/routing): external routes and which orders go there; absent = everything local. */
  routing?: RoutingSettings;
  /** The trading calendar (phases, auctions, holidays); absent or null = continuous trading, no schedule. */
  calendar?: CalendarSettings | null;
}
