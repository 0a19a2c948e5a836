// What the ops server reads and acts on, as narrow ports: the FIX engine, the venue (queries, commands,
// events, journal health), and — when the venue runs them — risk, clearing and routes. src/app/ops-wiring.ts
// builds this from a running VenueApp; tests can build it from the same real parts. Ops never reaches into
// matching internals: everything goes through these methods.

import type { EventEmitter } from 'node:events';
import type { FirmSettings, SessionSettings } from '../config/settings.js';
import type { FixEngineEvents, SessionHandle, SessionInfo } from '../fix/index.js';
import type { ClearingService } from '../clearing/index.js';
import type { RiskEngine } from '../risk/index.js';
import type { BookSnapshot, InstrumentState, OrderFilter } from '../venue/core/queries.js';
import type { VenueCommand } from '../venue/model/commands.js';
import type { OrderView, VenueEventListener } from '../venue/model/events.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';

/** The FIX engine as ops needs it (FixEngine fits). */
export interface FixSource {
  readonly events: EventEmitter<FixEngineEvents>;
  /** Every message read, as a plain call (see FixEngine.observeInbound). */
  observeInbound(observer: (session: string, msgType: string) => void): () => void;
  sessions(): SessionInfo[];
  session(key: string): SessionHandle | undefined;
  setSequenceNumbers(key: string, seqs: { nextSenderSeq?: number; nextTargetSeq?: number }): Promise<void>;
  readonly acceptorPorts: number[];
}

export interface VenueQueriesSource {
  book(symbol: string, depth?: number): BookSnapshot | undefined;
  instrument(symbol: string): InstrumentState | undefined;
  liveOrders(filter?: OrderFilter): OrderView[];
  readonly liveOrderCount: number;
}

export interface VenueSource {
  readonly instruments: readonly InstrumentSpec[];
  readonly queries: VenueQueriesSource;
  /** Submits a venue command as the venue itself (halt, resume when risk is not running). */
  submit(cmd: VenueCommand): void;
  subscribe(listener: VenueEventListener): () => void;
  /** The disk error that stopped the command journal, or null while it works. */
  journalError(): Error | null;
  /** Commit timings of the command journal (null stops them). */
  observeJournalCommits(observer: ((durationMs: number, bytes: number) => void) | null): void;
}

/** Risk as the admin API and readiness use it (RiskEngine fits). */
export type RiskSource = Pick<
  RiskEngine,
  | 'setLimits'
  | 'limits'
  | 'effectiveLimits'
  | 'killSwitchOn'
  | 'killSwitchOff'
  | 'killSwitches'
  | 'haltInstrument'
  | 'resumeInstrument'
  | 'breakerHalts'
  | 'status'
  | 'auditLog'
  | 'onAudit'
>;

/** Clearing as the admin API and readiness use it (ClearingService fits). */
export type ClearingSource = Pick<ClearingService, 'failedJobs' | 'retryJob' | 'runClearingReport' | 'queueCounts'>;

export type ComponentStatus = 'up' | 'degraded' | 'down';

/** An external route's health (src/routing reports these once it lands). */
export interface RouteHealth {
  name: string;
  status: ComponentStatus;
  reason: string;
}

/** A snapshot file as ops lists it. */
export interface SnapshotListing {
  commandSeq: number;
  path: string;
  bytes: number;
  /** ms since the epoch */
  writtenAt: number;
}

/** The venue's snapshots (src/app/venue-snapshots.ts fits through ops-wiring). */
export interface SnapshotSource {
  /** Snapshot files on disk, newest first. */
  list(): SnapshotListing[];
  /** Takes one now; rejects with the reason it cannot (Redis away, a storage fault). */
  take(): Promise<SnapshotListing & { captureMs: number; totalMs: number; removed: number }>;
  /** Why the last attempt failed, or null when it succeeded (or none was made). */
  lastFailure(): string | null;
  /** Seconds between timed snapshots (0: none on a timer). */
  readonly intervalSeconds: number;
}

export interface OpsSources {
  compId: string;
  fix: FixSource;
  venue: VenueSource;
  /** Configured member sessions (role and firm of each). */
  sessions: readonly SessionSettings[];
  firms: readonly FirmSettings[];
  /** True for MsgTypes of the session dictionary: anything else is counted as "other" (bounded labels). */
  knownMsgType(msgType: string): boolean;
  risk: RiskSource | null;
  clearing: ClearingSource | null;
  routes: () => RouteHealth[];
  /** The venue's snapshots (absent: the snapshot endpoints answer 503). */
  snapshots?: SnapshotSource | null;
  /**
   * How the venue is recovering from a storage fault (the journal's or a FIX store's disk), e.g. "probing
   * /data/journal every 1 s (last: ENOSPC ...); the venue restarts itself once it can write", or null when nothing
   * is being recovered or no supervisor recovers it (then a restart is needed). Readiness quotes it.
   */
  storageRecovery?: () => string | null;
}
