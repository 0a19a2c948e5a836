// The risk engine as the venue uses it: the in-memory core (checks, reservations, positions, kill
// switches, circuit breakers) with Redis behind it: state loaded at start, changes written behind,
// ops commands received over pub/sub.
//
// Wiring (the integrator's side):
//   const risk = new RiskEngine({ redisUrl, instruments, firms, settings: settings.risk, actions, logger });
//   await risk.start({ journalId });        // loads limits, kill switches, breaker halts, positions
//   // feed replayed events while the journal replays, then live events, synchronously:
//   journaled.subscribe(risk.onEvent, { replay: true });   // with release 'immediate'
//   const rec = await journaled.open();
//   risk.goLive({ eventSeq: rec.eventSeq }); // (after risk.resync(journaled.venue) if a snapshot was used)
//   per NewOrderSingle:  const refusal = risk.check(cmd);   // null = go ahead
//   per replace:         risk.check(cmd, journaled.venue.orderByClOrdId(cmd.session, cmd.origClOrdId) ?? null)
//   await risk.stop();
//
// onEvent must see every event synchronously, before the next check() (the core's own listener, or the
// journal's 'immediate' release): reservations made one event-loop turn late would let orders in flight
// slip past the credit check.

import type { RiskSettings } from '../config/risk-section.js';
import type { Logger } from '../shared/logger.js';
import { silentLogger } from '../shared/logger.js';
import type { NewOrderCommand, ReplaceCommand } from '../venue/model/commands.js';
import type { OrderView, VenueEvent } from '../venue/model/events.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { ControlChannel } from './control/control-channel.js';
import type { ControlMessage } from './control/control-messages.js';
import { RiskCore, type EffectiveLimits, type FirmAccounts, type RiskStats } from './core/risk-core.js';
import type { AuditEntry } from './model/audit.js';
import type { RiskRefusal } from './model/refusal.js';
import { killScopeId, type KillScope, type LimitScope } from './model/scopes.js';
import type { RiskActions, VenueView } from './risk-actions.js';
import { RiskKeys } from './store/redis-keys.js';
import { RedisLink, type RedisHealth } from './store/redis-link.js';
import { loadRiskState, type LoadReport } from './store/state-loader.js';
import { DEFAULT_WRITE_BEHIND, WriteBehind } from './store/write-behind.js';
import type { KillRecord } from './kill/kill-switches.js';
import type { ScopeLimits } from './limits/limit-table.js';
import type { BreakerState } from './breakers/breaker-board.js';
import type { PositionView } from './positions/position-view.js';

export interface RiskEngineOptions {
  redisUrl: string;
  instruments: readonly InstrumentSpec[];
  firms?: readonly FirmAccounts[];
  settings?: Partial<RiskSettings>;
  actions: RiskActions;
  logger?: Logger;
  /** Event seq the venue journal has made durable (positions holding later trades are not written yet). */
  durableEventSeq?: () => number;
  /** Longest start() waits for Redis (default 5000 ms). */
  connectTimeoutMs?: number;
  clock?: () => number;
}

export interface RiskStatus {
  redis: RedisHealth;
  /** Why Redis is not 'up' ('' when it is). */
  reason: string;
  /** Writes waiting for Redis (coalesced per position / scope, plus audit entries). */
  pendingWrites: number;
  /** Age of the oldest write not yet in Redis, ms. */
  lagMs: number;
  /** Flushes (one MULTI/EXEC each) and commands written since start. */
  flushes: number;
  commandsWritten: number;
  auditDropped: number;
  recovering: boolean;
}

export class RiskEngine {
  readonly core: RiskCore;
  readonly keys: RiskKeys;
  private readonly link: RedisLink;
  private readonly writer: WriteBehind;
  private readonly control: ControlChannel;
  private readonly settings: RiskSettings;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly connectTimeoutMs: number;
  private started = false;

  constructor(private readonly options: RiskEngineOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? Date.now;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.settings = {
      keyPrefix: options.settings?.keyPrefix ?? 'risk:',
      writeBehind: { ...DEFAULT_WRITE_BEHIND, ...options.settings?.writeBehind },
      limits: options.settings?.limits ?? [],
      circuitBreakers: options.settings?.circuitBreakers ?? { default: null, instruments: {} },
    };
    this.keys = new RiskKeys(this.settings.keyPrefix);
    this.core = new RiskCore({
      instruments: options.instruments,
      firms: options.firms,
      circuitBreakers: this.settings.circuitBreakers,
      actions: options.actions,
      logger: this.logger,
      clock: this.clock,
    });
    this.link = new RedisLink(options.redisUrl, this.logger, this.clock);
    const core = this.core;
    this.writer = new WriteBehind(
      this.link,
      this.keys,
      {
        limitValues: (id) => core.table.values(id),
        limitIds: () => core.table.ids(),
        kill: (id) => {
          const colon = id.indexOf(':');
          return core.kills.get({ kind: id.slice(0, colon) as KillScope['kind'], id: id.slice(colon + 1) });
        },
        kills: () => core.kills.all(),
        breaker: (symbol) => core.breakers.get(symbol),
        breakers: () => core.breakers.all(),
        positions: () => core.books.positions(),
      },
      this.settings.writeBehind,
      this.logger,
      this.clock,
      options.durableEventSeq,
    );
    this.control = new ControlChannel(options.redisUrl, this.keys.control, (msg) => this.applyControl(msg), this.logger);
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Connects, writes the config defaults on the very first start, loads limits, kill switches, breaker
   * halts and positions, and subscribes to the control channel. Rejects when Redis cannot be reached:
   * without its positions and limits the venue must not trade. Leaves the engine recovering (events are
   * treated as replays) until goLive().
   */
  async start(opts: { journalId?: string } = {}): Promise<LoadReport> {
    if (this.started) throw new Error('risk: already started');
    try {
      await this.link.open(this.connectTimeoutMs);
    } catch (err) {
      throw new Error(`risk: cannot reach Redis at ${this.options.redisUrl} to load limits and positions: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.started = true;
    this.core.sink = this.writer;
    this.core.beginRecovery();
    try {
      const report = await loadRiskState(this.link.client, this.keys, this.core, this.writer, this.logger, {
        seeds: this.settings.limits,
        journalId: opts.journalId,
        clock: this.clock,
      });
      await this.control.open();
      return report;
    } catch (err) {
      await this.stop({ flushTimeoutMs: 0 });
      throw err;
    }
  }

  /**
   * The journal replay is over: events from now on are live. Checks loss limits, arms breaker resumes,
   * runs admin actions that waited. Pass the venue's event seq to have positions cross-checked against it.
   */
  goLive(opts: { eventSeq?: number } = {}): void {
    if (opts.eventSeq !== undefined) {
      const ahead = [...this.core.books.positions()].filter((p) => p.lastSeq > opts.eventSeq!);
      if (ahead.length > 0) {
        this.logger.error('risk: positions in Redis hold trades the venue journal does not (journal replaced without a new journalId?)', {
          eventSeq: opts.eventSeq, positions: ahead.slice(0, 10).map((p) => `${p.account}:${p.asset}@${p.lastSeq}`),
        });
      }
    }
    this.core.goLive();
  }

  /** Rebuilds reservations and last prices from the venue (after a start from a venue snapshot). */
  resync(view: VenueView): void {
    this.core.resync(view);
  }

  /** Writes everything pending now; rejects while Redis is unreachable. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Flushes what it can (within timeoutMs), stops timers and closes the connections. */
  async stop(opts: { flushTimeoutMs?: number } = {}): Promise<void> {
    this.core.dispose();
    if (this.started && this.link.isUp) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.writer.flush().catch((err: unknown) => this.logger.warn('risk: final flush failed', { error: String(err) })),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, opts.flushTimeoutMs ?? 2000);
        }),
      ]);
      clearTimeout(timer);
    }
    if (this.writer.pending > 0) this.logger.warn('risk: stopped with writes not in Redis', { pending: this.writer.pending });
    this.writer.stop();
    await this.control.close();
    await this.link.close();
    this.started = false;
  }

  /**
   * For crash tests: drops the connections without flushing, as a SIGKILL would leave things. The
   * engine is unusable afterwards.
   */
  abandon(): void {
    this.core.dispose();
    this.writer.stop();
    this.link.client.disconnect();
    void this.control.close();
  }

  // ------------------------------------------------------------------ hot path

  /** See RiskCore.check: a replace passes the venue's live order it targets (or null). */
  check(cmd: NewOrderCommand): RiskRefusal | null;
  check(cmd: ReplaceCommand, current: OrderView | null): RiskRefusal | null;
  check(cmd: NewOrderCommand | ReplaceCommand, current: OrderView | null = null): RiskRefusal | null {
    return cmd.type === 'new' ? this.core.check(cmd) : this.core.check(cmd, current);
  }

  get onEvent(): (e: VenueEvent) => void {
    return this.core.onEvent;
  }

  // ------------------------------------------------------------------ admin API (the ops HTTP layer calls these)

  /** Sets (string) or clears (null) limits at a scope; throws RiskInputError; returns what changed. */
  setLimits(scope: LimitScope, values: Record<string, string | null>, by: string, reason = ''): AuditEntry[] {
    return this.core.setLimits(scope, values, by, reason);
  }

  limits(): ScopeLimits[] {
    return this.core.limits();
  }

  effectiveLimits(firm: string, account: string, symbol: string): EffectiveLimits {
    return this.core.effectiveLimits(firm, account, symbol);
  }

  killSwitchOn(scope: KillScope, by: string, reason: string): boolean {
    return this.core.killSwitchOn(scope, by, reason);
  }

  killSwitchOff(scope: KillScope, by: string, reason: string): boolean {
    return this.core.killSwitchOff(scope, by, reason);
  }

  killSwitches(): KillRecord[] {
    return this.core.killSwitches();
  }

  haltInstrument(symbol: string, by: string, reason: string): void {
    this.core.haltInstrument(symbol, by, reason);
  }

  resumeInstrument(symbol: string, by: string, reason: string): void {
    this.core.resumeInstrument(symbol, by, reason);
  }

  breakerHalts(): BreakerState[] {
    return this.core.breakerHalts();
  }

  positions(filter: { firm?: string; account?: string } = {}): PositionView[] {
    return this.core.positions(filter);
  }

  /** The latest audit entries from Redis, newest first. */
  async auditLog(count = 100): Promise<AuditEntry[]> {
    const rows = await this.link.client.xrevrange(this.keys.audit, '+', '-', 'COUNT', count);
    return rows.map(([, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      return { at: f.at ?? '', by: f.by ?? '', action: f.action as AuditEntry['action'], scope: f.scope ?? '', name: f.name ?? '', old: f.old ?? '', new: f.new ?? '', reason: f.reason ?? '' };
    });
  }

  /** Subscribe to every audited change (limits, kill switches, halts), as it happens. */
  onAudit(listener: (entry: AuditEntry) => void): () => void {
    this.core.on('audit', listener);
    return () => this.core.off('audit', listener);
  }

  // ------------------------------------------------------------------ readiness and metrics

  status(): RiskStatus {
    return {
      redis: this.link.health,
      reason: this.link.reason,
      pendingWrites: this.writer.pending,
      lagMs: this.writer.lagMs(),
      flushes: this.writer.flushes,
      commandsWritten: this.writer.commandsWritten,
      auditDropped: this.writer.auditDropped,
      recovering: this.core.isRecovering,
    };
  }

  stats(): RiskStats {
    return this.core.stats();
  }

  private applyControl(msg: ControlMessage): void {
    switch (msg.op) {
      case 'set-limits':
        this.setLimits(msg.scope, msg.limits, msg.by, msg.reason);
        return;
      case 'kill':
        if (!this.killSwitchOn(msg.scope, msg.by, msg.reason)) this.logger.info(`risk: kill switch ${killScopeId(msg.scope)} already on`);
        return;
      case 'release':
        if (!this.killSwitchOff(msg.scope, msg.by, msg.reason)) this.logger.info(`risk: kill switch ${killScopeId(msg.scope)} was not on`);
        return;
      case 'halt':
        this.haltInstrument(msg.symbol, msg.by, msg.reason);
        return;
      case 'resume':
        this.resumeInstrument(msg.symbol, msg.by, msg.reason);
        return;
    }
  }
}
