// The running venue, assembled: journaled matching core, execution record, gateway and FIX acceptor, wired by
// the event stream. main.ts runs one from the command line; tests run one in-process.
//
// Start-up order matters for "nothing acknowledged is lost":
//   1. open the record, then replay the journal into the core, feeding replayed events to the record (it keeps
//      only what it lacks) — the book, ids and sequence numbers are now exactly as before the stop;
//   2. only then open the FIX sessions (their stores resume sequence numbers) and start listening.
// At run time every turn's FIX output waits for that turn's journal write (the engine's flush barrier).

import { join } from 'node:path';
import { FixEngine, quickfixValidator } from '../fix/index.js';
import { Gateway } from '../gateway/gateway.js';
import { TradeCaptureService } from '../gateway/trade-capture.js';
import { MarketDataService } from '../marketdata/index.js';
import type { VenuePort } from '../gateway/venue-port.js';
import type { Logger } from '../shared/logger.js';
import type { Registry } from 'prom-client';
import { createVenueRegistry } from '../ops/metrics/venue-registry.js';
import { ExecutionRecord } from '../records/index.js';
import type { VenueSettings } from '../config/settings.js';
import { ensureJournalId, JournaledVenue, type RecoveryReport } from '../venue/journal/journaled-venue.js';
import { OrderPipeline } from '../venue/pipeline/order-pipeline.js';
import type { StpMode } from '../venue/model/enums.js';
import type { VenueCommand } from '../venue/model/commands.js';
import type { VenueEventListener } from '../venue/model/events.js';
import { fixEngineConfig } from './fix-engine-config.js';
import { enqueueFaultsFor, snapshotFaultsFor, writeFaultsFor } from './failpoints.js';
import { VenueSnapshots } from './venue-snapshots.js';
import { registerSnapshotMetrics } from './snapshot-metrics.js';
import { listSnapshots } from '../venue/journal/snapshot-store.js';
import { createRiskEngine, preTradeCheckOf } from './risk-wiring.js';
import { createRouting, type Routing } from './routing-wiring.js';
import { collectOwedEvents, readReportHeads } from './report-recovery.js';
import type { RiskEngine } from '../risk/index.js';
import { ClearingService } from '../clearing/index.js';
import { TradingSessionStatusService } from '../gateway/trading-session-status.js';
import { PhaseScheduler, type SchedulerClock } from './schedule/phase-scheduler.js';
import { TradingCalendar } from './schedule/trading-calendar.js';
import { sessionTimes } from './schedule/session-times.js';
import { GtdExpiryTimer } from './schedule/gtd-expiry.js';

export interface VenueAppOptions {
  settings: VenueSettings;
  logger: Logger;
  /** The venue's one Prometheus registry (default: a new one with Node's metrics); GET /metrics prints it. */
  registry?: Registry;
  /**
   * Told when the journal or a FIX session store has failed for good (a disk error): the storage recovery
   * (storage-recovery.ts) probes its directory and restarts the venue once it can write again.
   */
  onStorageFault?: (fault: StorageFault) => void;
  /** The clock the phase scheduler reads and waits on (tests move it by hand); default the system clock. */
  clock?: SchedulerClock;
}

/** A journal or session store that failed for good, and the directory it writes to. */
export interface StorageFault {
  kind: 'journal' | 'fix-store';
  /** "command journal", "FIX session store of BROKER1" */
  what: string;
  dir: string;
  error: Error;
}

export interface StartReport {
  recovery: RecoveryReport;
  fixPort: number;
}

export class VenueApp {
  readonly settings: VenueSettings;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly journal: JournaledVenue;
  readonly record: ExecutionRecord;
  readonly gateway: Gateway;
  readonly risk: RiskEngine;
  /** Outbound routing (null when no route is configured); routing.router.routes() is route health for ops. */
  readonly routing: Routing | null;
  readonly tradeCapture: TradeCaptureService;
  /** Settlement and clearing on BullMQ (null when clearing.enabled is false). */
  readonly clearing: ClearingService | null;
  /** Market data mirrors the book, so it exists once the journal has been replayed (after start()). */
  marketData: MarketDataService | null = null;
  /** The trading calendar (null without one: continuous trading, no phase commands). */
  readonly calendar: TradingCalendar | null;
  /** Issues the calendar's phase commands once started (null without a calendar). */
  scheduler: PhaseScheduler | null = null;
  /** Expires GTD orders at their time (a journaled time command when one is due). */
  gtdExpiry: GtdExpiryTimer | null = null;
  readonly tradingSessions: TradingSessionStatusService;
  /** Snapshots of the venue state: on a timer, at end of day, on demand (ops). */
  readonly snapshots: VenueSnapshots;
  private storageFault: StorageFault | null = null;
  private readonly clock: SchedulerClock | undefined;
  private readonly port: VenuePort;
  private pipeline: OrderPipeline;
  private engine: FixEngine | null = null;
  private stopped = false;
  private readonly onStorageFault: VenueAppOptions['onStorageFault'];

  constructor(options: VenueAppOptions) {
    const { settings, logger } = options;
    this.settings = settings;
    this.onStorageFault = options.onStorageFault;
    this.logger = logger;
    this.registry = options.registry ?? createVenueRegistry();
    const accounts: Record<string, StpMode> = {};
    for (const firm of settings.firms) for (const a of firm.accounts) accounts[a] = firm.stpMode;
    this.journal = new JournaledVenue(
      {
        instruments: settings.instruments,
        stp: { defaultMode: settings.stpDefault, scope: settings.stpScope, accounts },
        onListenerError: (error, event) =>
          logger.error('venue event listener failed', { reason: (error as Error).message, event: event.type, seq: event.seq }),
      },
      {
        dir: join(settings.dataDir, 'journal'),
        fsync: settings.journal.fsync ? 'batch' : 'none',
        release: 'immediate',
        faults: writeFaultsFor('journal-write'),
        snapshotFaults: snapshotFaultsFor(),
        onJournalError: (error) => {
          logger.error('journal write failed: new orders are refused until the journal can be written again', { reason: error.message });
          this.reportStorageFault({ kind: 'journal', what: 'command journal', dir: join(settings.dataDir, 'journal'), error });
        },
      },
    );
    this.record = new ExecutionRecord({
      dir: settings.records.dir,
      instruments: settings.instruments,
      fsync: settings.records.fsync,
      memoryTrades: settings.records.memoryTrades,
      flushIntervalMs: settings.records.flushIntervalMs,
      registry: this.registry,
      // Events are released before their batch is durable ('immediate'), so the record writes only what the
      // journal already holds: after a crash a seq can never name two different events. At the page-cache level the
      // journal writes synchronously (normally already done by its own end-of-turn commit), so the record's turn
      // write follows at once; at the fsync level it waits for the journal's commit.
      beforeWrite: settings.journal.fsync ? () => this.journal.commit() : () => this.commitJournalInline(),
      onError: (error) => logger.error('execution record write failed', { reason: error.message }),
    });
    this.risk = createRiskEngine(settings, this.journal, (cmd) => this.submit(cmd), logger);
    this.routing = createRouting(settings, this.journal, (cmd) => this.submit(cmd), logger);
    this.pipeline = new OrderPipeline(this.journal, preTradeCheckOf(this.risk, this.journal), this.routing?.router ?? null);
    const port: VenuePort = {
      submit: (cmd) => this.pipeline.submit(cmd),
      queries: {
        order: (id) => this.journal.venue.order(id),
        orderByClOrdId: (s, c) => this.journal.venue.orderByClOrdId(s, c),
        liveOrders: (f) => this.journal.venue.liveOrders(f),
        instrument: (s) => this.journal.venue.instrument(s),
        book: (s, d) => this.journal.venue.book(s, d),
      },
    };
    this.port = port;
    this.clearing = settings.clearing.enabled
      ? new ClearingService({
          settings: settings.clearing,
          redisUrl: settings.redisUrl,
          record: this.record,
          instruments: settings.instruments,
          firms: settings.firms.map((f) => f.id),
          counterparty: settings.compId,
          registry: this.registry,
          onError: (error) => logger.error('clearing', { reason: error.message }),
          // Redis came back without clearing's state: trades are enqueued again from the record (nothing is lost).
          onWarning: (message) => logger.warn('clearing', { reason: message }),
          enqueueFaults: enqueueFaultsFor(),
        })
      : null;
    this.tradeCapture = new TradeCaptureService({ record: this.record, logger });
    this.clock = options.clock;
    const calendar = settings.calendar ? new TradingCalendar(settings.calendar) : null;
    this.calendar = calendar;
    this.tradingSessions = new TradingSessionStatusService({
      tradingSessionId: settings.calendar?.tradingSessionId ?? '1',
      phase: () => this.journal.venue.phase,
      times: calendar === null ? undefined : () => sessionTimes(calendar, this.journal.venue.tradingDay.tradeDate),
    });
    this.gateway = new Gateway({ settings, venue: port, logger, tradeCapture: this.tradeCapture, tradingSessions: this.tradingSessions });
    this.snapshots = new VenueSnapshots({
      journal: this.journal,
      settings: settings.snapshots,
      logger,
      dependencies: {
        storesFlushed: () => this.engine?.flushed() ?? Promise.resolve(),
        recordFlushed: () => this.record.flush(),
        riskFlushed: () => this.risk.flush(),
        blocked: () => (this.storageFault === null ? null : `the ${this.storageFault.what} is failed (${this.storageFault.error.message})`),
      },
    });
    registerSnapshotMetrics(this.registry, this.snapshots);
  }

  private reportStorageFault(fault: StorageFault): void {
    this.storageFault ??= fault;
    this.onStorageFault?.(fault);
  }

  /** Listens to every event; with replay, also to the events re-created while the journal replays. */
  subscribe(listener: VenueEventListener, opts: { replay?: boolean } = {}): () => void {
    return this.journal.subscribe(listener, opts);
  }

  /** Submits a venue command on behalf of the venue itself (ops, risk actions, timers). */
  submit(cmd: VenueCommand): void {
    this.pipeline.submit(cmd);
  }

  get fixEngine(): FixEngine {
    if (this.engine === null) throw new Error('VenueApp: not started');
    return this.engine;
  }

  /** The record's write gate at the page-cache level: the journal's batch is written now (a no-op when it already
   * was this turn); its failure stops the record before it writes anything the journal lost. */
  private commitJournalInline(): void {
    this.journal.commit().catch(() => undefined); // settled already at this level; the failure is read below
    const failure = this.journal.error;
    if (failure !== null) throw failure;
  }

  async start(): Promise<StartReport> {
    const recordReport = await this.record.open();
    this.journal.subscribe(this.record.onEvent, { replay: true });
    this.journal.subscribe(this.risk.onEvent, { replay: true });
    this.journal.subscribe(this.gateway.onEvent);
    // Risk loads limits and positions from Redis; the journal id tells it whether the stored positions
    // belong to this journal's history (a fresh journal must not inherit another history's trade seqs).
    const journalDir = join(this.settings.dataDir, 'journal');
    const riskLoad = await this.risk.start({ journalId: ensureJournalId(journalDir) });
    // Risk's positions before a snapshot come from Redis only (those trades are not replayed): a Redis that starts
    // empty has lost them, so the whole journal is replayed instead.
    const useSnapshot = !(riskLoad.firstStart && listSnapshots(journalDir).length > 0);
    if (!useSnapshot) this.logger.warn('risk state in Redis is empty: replaying the whole journal, not starting from the newest snapshot', { dir: journalDir });
    // The sessions' stores open before the replay (nothing is sent yet): what they hold tells which replayed
    // events' reports a crash kept from them (report-recovery.ts).
    // A store whose own write failed stays failed (no reopen on the next logon): the storage recovery restarts the
    // venue, whose report catch-up re-derives what the store lacks only while nothing was written to it after the
    // hole. One that only withheld a batch because the journal failed reopens, so its member can log on again and
    // hear the journal's clear rejects.
    const config = { ...fixEngineConfig(this.settings, this.logger), reopenFailedStores: 'withheld' as const };
    const engine = await FixEngine.create(config, this.gateway, quickfixValidator);
    this.engine = engine;
    engine.events.on('storeError', (key, error) => {
      const member = engine.session(key)?.id.targetCompId ?? key;
      this.reportStorageFault({ kind: 'fix-store', what: `FIX session store of ${member}`, dir: engine.storeDir(key) ?? this.settings.sessionsDir, error });
    });
    const heads = await readReportHeads(engine, this.gateway, this.settings.compId);
    const owed = collectOwedEvents(this.journal, heads, this.settings.sessions.filter((x) => x.role === 'drop-copy').map((x) => x.id));
    const recovery = await this.journal.open({ useSnapshot });
    owed.stop();
    // Reservations were made by the orders' events, most of them before the snapshot: rebuilt from the live orders.
    if (recovery.snapshotSeq > 0) this.risk.resync(this.journal.venue);
    this.risk.goLive({ eventSeq: recovery.eventSeq });
    this.snapshots.startup = { durationMs: recovery.durationMs, replayedCommands: recovery.replayedCommands, snapshotSeq: recovery.snapshotSeq };
    for (const skipped of recovery.snapshotsSkipped) this.logger.warn('snapshot unusable, falling back to an older one', { file: skipped.path, reason: skipped.reason });
    this.marketData = new MarketDataService({ queries: this.port.queries, instruments: this.settings.instruments, logger: this.logger });
    this.gateway.useMarketData(this.marketData);
    this.logger.info('journal replayed', {
      snapshotSeq: recovery.snapshotSeq,
      commands: recovery.replayedCommands,
      commandSeq: recovery.commandSeq,
      eventSeq: recovery.eventSeq,
      truncatedBytes: recovery.truncatedBytes,
      ms: Math.round(recovery.durationMs),
      recordLastSeq: recordReport.lastSeq,
    });
    // Clearing enqueues what the record holds beyond its last enqueued trade (nothing lost, nothing twice),
    // then follows the record as it grows.
    await this.clearing?.start();
    // Once the journal has failed, a turn that journaled nothing has nothing to wait for (every command is refused):
    // its output, the members' clear rejects, may go out. Turns that journaled commands are withheld (their commit
    // rejects), also when the failure became known during the turn, after its commands were applied (turnBarrier).
    // The record keeps waiting on commit() itself, so it never writes what the journal lost.
    // commitQueued(): the stores' batches of a turn are queued right behind the journal's write on the write thread.
    engine.addFlushBarrier(() => this.journal.turnBarrier());
    const caughtUp = this.gateway.catchUpReports(owed.events, heads);
    if (caughtUp > 0) this.logger.warn('reports of journaled events missing from session stores (crash or storage fault) stored again for resend', { reports: caughtUp });
    // Routes reconcile open routed orders as they connect: the members' sessions exist by now, so what they learn
    // is stored for them (and waits for the journal like every report).
    await this.routing?.start();
    // The calendar's phase for now, before members log on (a restart catches up on the steps it missed).
    if (this.calendar !== null) {
      this.scheduler = new PhaseScheduler({
        calendar: this.calendar,
        ...(this.clock ? { clock: this.clock } : {}),
        venueDay: () => ({ phase: this.journal.venue.phase, ...this.journal.venue.tradingDay }),
        submit: (cmd) => {
          this.submit(cmd);
          if (cmd.type === 'endOfDay') this.snapshots.endOfDay();
        },
      });
      this.scheduler.start();
      this.logger.info('trading calendar', { phase: this.journal.venue.phase, tradeDate: this.journal.venue.tradingDay.tradeDate });
    }
    this.gtdExpiry = new GtdExpiryTimer({
      ...(this.clock ? { clock: this.clock } : {}),
      nextExpiry: () => this.journal.venue.nextGtdExpiry(),
      submit: (cmd) => this.submit(cmd),
    });
    this.gtdExpiry.start();
    this.snapshots.start();
    await engine.start();
    const fixPort = engine.acceptorPorts[0] ?? this.settings.fix.port;
    this.logger.info('FIX acceptor listening', { port: fixPort, compId: this.settings.compId, sessions: this.settings.sessions.length });
    return { recovery, fixPort };
  }

  /**
   * Logs sessions out (`reason` is their Logout's Text), writes what is pending and closes files and ports. Safe to
   * call twice.
   */
  async stop(reason?: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.snapshots.stop();
    this.scheduler?.stop();
    this.gtdExpiry?.stop();
    if (this.engine) await this.engine.stop(2000, reason);
    await this.routing?.stop();
    await this.journal.commit().catch(() => undefined);
    await this.risk.stop();
    await this.clearing?.stop();
    this.marketData?.close();
    await this.journal.close();
    await this.record.close();
  }
}
