// The risk engine's in-memory core: pre-trade checks, open-order reservations, positions, kill switches,
// circuit breakers and the loss-limit monitor. Synchronous and free of I/O: persistence hangs off the
// change sink, venue actions go through RiskActions. Usable on its own (benchmarks, tests), and wrapped
// with Redis by RiskEngine.
//
// Modes: 'live' (the default) and 'recovering'. While recovering, events are journal replays: they
// rebuild reservations and positions but trigger nothing (the journal already holds what they caused),
// and actions requested through the admin API wait until goLive().

import { EventEmitter } from 'node:events';
import type { Logger } from '../../shared/logger.js';
import { silentLogger } from '../../shared/logger.js';
import type { NewOrderCommand, ReplaceCommand } from '../../venue/model/commands.js';
import { TradingStatus } from '../../venue/model/enums.js';
import type { OrderView, RoutedEvent, TradeEvent, VenueEvent } from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import type { CircuitBreakerSettings } from '../../config/risk-section.js';
import { BreakerBoard, type BreakerState } from '../breakers/breaker-board.js';
import { OpenOrders } from '../exposure/open-orders.js';
import { RiskBooks } from '../exposure/risk-books.js';
import { buildInstrumentRisk, type InstrumentRisk } from '../instruments/instrument-risk.js';
import { KillSwitches, type KillRecord } from '../kill/kill-switches.js';
import { Level, LimitTable, type ScopeLimits } from '../limits/limit-table.js';
import type { RiskSlot } from '../limits/risk-slot.js';
import { SlotRegistry } from '../limits/slot-registry.js';
import { describeAudit, type AuditAction, type AuditEntry } from '../model/audit.js';
import { LIMIT_NAMES, type LimitName, type LimitValues } from '../model/limit-names.js';
import type { RiskRefusal } from '../model/refusal.js';
import { killScopeId, limitScopeId, type KillScope, type LimitScope } from '../model/scopes.js';
import { assetInfos } from '../positions/asset-info.js';
import type { Position } from '../positions/position.js';
import { positionView, type PositionView } from '../positions/position-view.js';
import type { RiskActions, VenueView } from '../risk-actions.js';
import { NO_SINK, type RiskChangeSink } from './change-sink.js';
import { limitChangeProblems, RiskInputError, type KnownParties } from './limit-validation.js';
import { LossMonitor, type FirmLoss } from './loss-monitor.js';
import { PositionKeeper } from './position-keeper.js';
import { PreTradeCheck, type RefusalCounts } from './pre-trade-check.js';

export interface FirmAccounts {
  id: string;
  accounts: readonly string[];
}

export interface RiskCoreOptions {
  instruments: readonly InstrumentSpec[];
  /** Configured firms and their accounts; admin changes naming others are refused. Omit to accept any. */
  firms?: readonly FirmAccounts[];
  circuitBreakers?: CircuitBreakerSettings;
  actions: RiskActions;
  sink?: RiskChangeSink;
  logger?: Logger;
  /** Wall clock for audit times and breaker resume timers (never used by the checks). */
  clock?: () => number;
}

export type EffectiveLimits = Record<LimitName, { value: string; level: 'firm' | 'account' | 'instrument' } | null>;

const LEVEL_NAMES = { [Level.Firm]: 'firm', [Level.Account]: 'account', [Level.Instrument]: 'instrument' } as const;

export interface RiskStats {
  checks: number;
  refusals: RefusalCounts;
  openOrders: number;
  killSwitches: number;
  breakerHalts: number;
}

/** Emits 'audit' (AuditEntry) for every audited change. */
export class RiskCore extends EventEmitter {
  readonly instruments: ReadonlyMap<string, InstrumentRisk>;
  readonly table = new LimitTable();
  readonly books: RiskBooks;
  readonly orders = new OpenOrders();
  readonly kills = new KillSwitches();
  readonly breakers: BreakerBoard;
  sink: RiskChangeSink;
  private readonly slots: SlotRegistry;
  private readonly checker: PreTradeCheck;
  private readonly keeper: PositionKeeper;
  private readonly loss: LossMonitor;
  private readonly known: KnownParties | null;
  private readonly actions: RiskActions;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private recovering = false;
  private deferred: Array<(a: RiskActions) => void> = [];

  constructor(options: RiskCoreOptions) {
    super();
    this.instruments = buildInstrumentRisk(options.instruments);
    this.books = new RiskBooks(assetInfos(this.instruments.values()));
    this.slots = new SlotRegistry(this.instruments, this.books, this.table);
    this.sink = options.sink ?? NO_SINK;
    this.checker = new PreTradeCheck(this.slots, this.orders, this.kills);
    this.keeper = new PositionKeeper({
      positionChanged: (p) => this.sink.positionChanged(p),
      limitsChanged: () => {},
      killChanged: () => {},
      breakerChanged: () => {},
      audit: () => {},
    });
    this.loss = new LossMonitor(this.books, this.instruments);
    this.known = options.firms
      ? { firms: new Set(options.firms.map((f) => f.id)), accounts: new Set(options.firms.flatMap((f) => f.accounts)) }
      : null;
    this.actions = options.actions;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? Date.now;
    this.breakers = new BreakerBoard(this.instruments, options.circuitBreakers, this.clock);
  }

  // ------------------------------------------------------------------ hot path

  /**
   * Null when the order may go to the book, else the refusal to journal and report. A replace needs the
   * venue's live order it targets (venue.orderByClOrdId(session, origClOrdId), or venue.order(orderId)
   * of the same firm), or null when there is none (the core then rejects it).
   */
  check(cmd: NewOrderCommand): RiskRefusal | null;
  check(cmd: ReplaceCommand, current: OrderView | null): RiskRefusal | null;
  check(cmd: NewOrderCommand | ReplaceCommand, current: OrderView | null = null): RiskRefusal | null {
    return this.checker.check(cmd, current);
  }

  /** Feed every venue event, live and replayed, synchronously and in order. Never throws. */
  readonly onEvent = (e: VenueEvent): void => {
    try {
      this.apply(e);
    } catch (err) {
      this.logger.error('risk: failed to apply a venue event', { seq: e.seq, type: e.type, error: String(err) });
    }
  };

  private apply(e: VenueEvent): void {
    switch (e.type) {
      case 'accepted':
      case 'replaced': {
        const slot = this.slotOf(e.order);
        if (slot === null) return;
        this.orders.sync(e.order, slot);
        slot.recordOrder(e.time);
        return;
      }
      case 'cancelled':
      case 'expired':
      case 'triggered':
      case 'restated': {
        const slot = this.slotOf(e.order);
        if (slot !== null) this.orders.sync(e.order, slot);
        return;
      }
      case 'trade':
        this.onTrade(e);
        return;
      case 'routed':
        this.onRouted(e);
        return;
      case 'tradingStatus':
        if (e.status === TradingStatus.Open && this.breakers.get(e.symbol) !== undefined) {
          this.breakers.clear(e.symbol);
          this.sink.breakerChanged(e.symbol);
        }
        return;
      default:
        return;
    }
  }

  private slotOf(o: OrderView): RiskSlot | null {
    const rec = this.orders.get(o.orderId);
    return rec?.slot ?? this.slots.find(o.firm, o.account, o.symbol);
  }

  private onTrade(e: TradeEvent): void {
    const orders = this.orders;
    const makerRec = orders.get(e.maker.orderId);
    const takerRec = orders.get(e.taker.orderId);
    const maker = makerRec?.slot ?? this.slots.find(e.maker.firm, e.maker.account, e.maker.symbol);
    const taker = takerRec?.slot ?? this.slots.find(e.taker.firm, e.taker.account, e.taker.symbol);
    if (maker === null || taker === null) return;
    const inst = maker.inst;
    inst.lastPrice = e.price;
    this.keeper.applyTrade(e, maker, taker);
    orders.sync(e.maker, maker, makerRec);
    orders.sync(e.taker, taker, takerRec);
    if (this.recovering) return;
    if (this.loss.active) this.loss.onTrade(inst, e.price, this.onLossBreach);
    const tripped = this.breakers.observe(e.symbol, e.time, e.price);
    if (tripped !== null) this.onBreakerTrip(tripped);
  }

  /**
   * A routed order's step: a fill at the external venue moves the member's positions (one side; the price is
   * the market's, so it also values positions); every step keeps the order's reservation in line. Circuit
   * breakers watch the local book only.
   */
  private onRouted(e: RoutedEvent): void {
    const rec = this.orders.get(e.order.orderId);
    const slot = rec?.slot ?? this.slots.find(e.order.firm, e.order.account, e.order.symbol);
    if (slot === null) return;
    if (e.kind === 'fill') {
      slot.inst.lastPrice = e.price;
      this.keeper.applyFill(e.seq, e.order.side, e.qty, e.price, slot);
    }
    this.orders.sync(e.order, slot, rec);
    if (e.kind === 'fill' && !this.recovering && this.loss.active) this.loss.onTrade(slot.inst, e.price, this.onLossBreach);
  }

  // ------------------------------------------------------------------ modes

  /** Events from now on are journal replays (start of recovery). */
  beginRecovery(): void {
    this.recovering = true;
  }

  get isRecovering(): boolean {
    return this.recovering;
  }

  /**
   * Ends recovery: checks loss limits against the rebuilt positions, arms the resume timers of breaker
   * halts restored from Redis, and runs admin actions that waited.
   */
  goLive(): void {
    if (!this.recovering) return;
    this.recovering = false;
    this.loss.compile(this.table); // exact, from the rebuilt positions and last prices
    for (const state of this.loss.breaches()) this.onLossBreach(state);
    for (const state of this.breakers.all()) this.breakers.armResume(state, () => this.onBreakerDue(state.symbol));
    const waiting = this.deferred;
    this.deferred = [];
    for (const action of waiting) this.request(action, false);
  }

  /**
   * Rebuilds reservations and last prices from the venue's live state, for a venue restored from a
   * snapshot (whose earlier events were never replayed). Positions are not touched: they come from Redis
   * plus the replayed trades.
   */
  resync(view: VenueView): void {
    this.orders.clear();
    for (const inst of this.instruments.values()) {
      const last = view.instrument(inst.symbol)?.lastPrice ?? 0;
      if (last > 0) inst.lastPrice = last;
    }
    for (const o of view.liveOrders()) {
      const slot = this.slots.find(o.firm, o.account, o.symbol);
      if (slot !== null) this.orders.sync(o, slot);
    }
  }

  // ------------------------------------------------------------------ limits

  /**
   * Sets (string) or clears (null) limits at a scope, all or nothing. Throws RiskInputError naming every
   * problem. Returns the audit entries of what changed (none when nothing did).
   */
  setLimits(scope: LimitScope, values: Record<string, string | null>, by: string, reason = ''): AuditEntry[] {
    const problems = limitChangeProblems(scope, values, this.known, this.instruments);
    if (typeof by !== 'string' || by.trim() === '') problems.push('who made the change ("by") is required');
    if (problems.length > 0) throw new RiskInputError(`limits for ${limitScopeId(scope)} not changed: ${problems.join('; ')}`);
    const id = limitScopeId(scope);
    const entries: AuditEntry[] = [];
    for (const name of LIMIT_NAMES) {
      if (!(name in values)) continue;
      const next = values[name] ?? undefined;
      const old = this.table.set(scope, name, next);
      if (old === next) continue;
      entries.push(this.auditEntry(next === undefined ? 'clear-limit' : 'set-limit', by, id, reason, name, old ?? '', next ?? ''));
    }
    if (entries.length === 0) return entries;
    this.limitsUpdated();
    this.sink.limitsChanged(id);
    for (const e of entries) this.record(e);
    return entries;
  }

  /** Every scope with limits set, as stored. */
  limits(): ScopeLimits[] {
    return this.table.scopes();
  }

  /** The limits in force for an order of (firm, account, symbol), and where each comes from. */
  effectiveLimits(firm: string, account: string, symbol: string): EffectiveLimits {
    const out = {} as EffectiveLimits;
    for (const name of LIMIT_NAMES) {
      const r = this.table.resolve(firm, account, symbol, name);
      out[name] = r === null ? null : { value: r.text, level: LEVEL_NAMES[r.level as 1 | 2 | 3] };
    }
    return out;
  }

  // ------------------------------------------------------------------ kill switches

  /** Switches a kill switch on: cancels the scope's open orders and refuses new ones. False if already on. */
  killSwitchOn(scope: KillScope, by: string, reason: string): boolean {
    this.requireKillScope(scope, by);
    const record: KillRecord = { scope: { kind: scope.kind, id: scope.id }, reason: reason || 'no reason given', by, at: new Date(this.clock()).toISOString() };
    if (!this.kills.on(record)) return false;
    const id = killScopeId(scope);
    this.sink.killChanged(id);
    this.record(this.auditEntry('kill-on', by, id, record.reason));
    this.request((a) => a.massCancel(record.scope, `kill switch: ${record.reason}`), false);
    return true;
  }

  /** Releases a kill switch; false if it was not on. */
  killSwitchOff(scope: KillScope, by: string, reason: string): boolean {
    this.requireKillScope(scope, by);
    if (this.kills.off(scope) === undefined) return false;
    const id = killScopeId(scope);
    this.sink.killChanged(id);
    this.record(this.auditEntry('kill-off', by, id, reason));
    return true;
  }

  killSwitches(): KillRecord[] {
    return this.kills.all();
  }

  private requireKillScope(scope: KillScope, by: string): void {
    const kinds = ['firm', 'account', 'session'];
    if (scope === null || typeof scope !== 'object' || !kinds.includes(scope.kind) || typeof scope.id !== 'string' || scope.id === '') {
      throw new RiskInputError('a kill switch scope is firm:<id>, account:<id> or session:<id>');
    }
    if (scope.kind === 'firm' && this.known && !this.known.firms.has(scope.id)) throw new RiskInputError(`unknown firm ${scope.id}`);
    if (scope.kind === 'account' && this.known && !this.known.accounts.has(scope.id)) throw new RiskInputError(`unknown account ${scope.id}`);
    if (typeof by !== 'string' || by.trim() === '') throw new RiskInputError('who made the change ("by") is required');
  }

  private readonly onLossBreach = (state: FirmLoss): void => {
    if (!this.kills.firmKilled(state.firm)) this.killSwitchOn({ kind: 'firm', id: state.firm }, 'risk-engine', state.describe());
  };

  // ------------------------------------------------------------------ halts

  /** Ops halt: asks the venue to halt the instrument. */
  haltInstrument(symbol: string, by: string, reason: string): void {
    this.requireSymbol(symbol, by);
    this.record(this.auditEntry('halt', by, symbol, reason));
    this.request((a) => a.halt(symbol, reason ? `ops: ${reason}` : 'ops halt'), false);
  }

  /** Ops resume: cancels a breaker's pending resume, if any, and asks the venue to resume now. */
  resumeInstrument(symbol: string, by: string, reason: string): void {
    this.requireSymbol(symbol, by);
    if (this.breakers.clear(symbol) !== undefined) this.sink.breakerChanged(symbol);
    this.record(this.auditEntry('resume', by, symbol, reason));
    this.request((a) => a.resume(symbol, reason ? `ops: ${reason}` : 'ops resume'), false);
  }

  /** Halts currently held by circuit breakers. */
  breakerHalts(): BreakerState[] {
    return this.breakers.all();
  }

  private requireSymbol(symbol: string, by: string): void {
    if (typeof symbol !== 'string' || !this.instruments.has(symbol)) throw new RiskInputError(`unknown symbol ${String(symbol)}`);
    if (typeof by !== 'string' || by.trim() === '') throw new RiskInputError('who made the change ("by") is required');
  }

  private onBreakerTrip(state: BreakerState): void {
    this.sink.breakerChanged(state.symbol);
    this.record(this.auditEntry('breaker-trip', 'risk-engine', state.symbol, state.reason));
    this.request((a) => a.halt(state.symbol, state.reason), true);
    this.breakers.armResume(state, () => this.onBreakerDue(state.symbol));
  }

  private onBreakerDue(symbol: string): void {
    const settings = this.breakers.settingsOf(symbol);
    if (this.breakers.clear(symbol) === undefined) return;
    this.sink.breakerChanged(symbol);
    const reason = `circuit breaker: halt of ${settings?.haltSeconds ?? '?'}s over`;
    this.record(this.auditEntry('breaker-resume', 'risk-engine', symbol, reason));
    this.request((a) => a.resume(symbol, reason), false);
  }

  // ------------------------------------------------------------------ positions, stats

  /** Positions that have seen a trade, by account then asset. */
  positions(filter: { firm?: string; account?: string } = {}): PositionView[] {
    const out: PositionView[] = [];
    for (const p of this.books.positions()) {
      if (filter.firm && p.firm !== filter.firm) continue;
      if (filter.account && p.account !== filter.account) continue;
      if (p.untouched) continue; // created by a check, never traded
      out.push(positionView(p));
    }
    return out.sort((a, b) => (a.account === b.account ? a.asset.localeCompare(b.asset) : a.account.localeCompare(b.account)));
  }

  stats(): RiskStats {
    return {
      checks: this.checker.checks,
      refusals: { ...this.checker.refusals },
      openOrders: this.orders.size,
      killSwitches: this.kills.active,
      breakerHalts: this.breakers.all().length,
    };
  }

  // ------------------------------------------------------------------ restore (from Redis, at start)

  restoreLimits(id: string, values: LimitValues): void {
    this.table.replace(id, values);
  }

  /** Call once after restoreLimits: compiles every slot and the loss limits. */
  limitsUpdated(): void {
    this.slots.recompileAll();
    this.loss.compile(this.table);
  }

  restoreKill(record: KillRecord): void {
    this.kills.on(record);
  }

  restoreBreaker(state: BreakerState): void {
    this.breakers.restore(state);
  }

  restorePosition(p: Position): void {
    this.books.restorePosition(p);
  }

  /** Stops timers (breaker resumes). */
  dispose(): void {
    this.breakers.dispose();
  }

  // ------------------------------------------------------------------ helpers

  private request(action: (a: RiskActions) => void, fromEvent: boolean): void {
    if (this.recovering) {
      // Replayed events already produced their commands; admin actions wait for the venue to be live.
      if (!fromEvent) this.deferred.push(action);
      return;
    }
    queueMicrotask(() => {
      try {
        action(this.actions);
      } catch (err) {
        this.logger.error('risk: venue action failed', { error: String(err) });
      }
    });
  }

  private auditEntry(action: AuditAction, by: string, scope: string, reason: string, name = '', old = '', next = ''): AuditEntry {
    return { at: new Date(this.clock()).toISOString(), by, action, scope, name, old, new: next, reason };
  }

  /** Logs, persists and announces one audited change. */
  record(entry: AuditEntry): void {
    this.logger.info(describeAudit(entry), { audit: entry.action, scope: entry.scope, by: entry.by });
    this.sink.audit(entry);
    this.emit('audit', entry);
  }
}

export { RiskInputError };
