// What the dashboard shows, kept up to date from the venue's event streams: the session table, per-instrument
// top of book, the last trades and halts, queue depths, kill switches, and an alerts/log panel. It tells the
// server when something worth showing happened (`onChange`), so the page updates within a fraction of a second,
// and is rebuilt on a timer too (rates, silence, heartbeat lateness change with time alone).
//
// Trades arrive on the order path: they are copied as plain numbers into a fixed ring of reused slots and
// formatted only when a state is built.

import type { OpsAuditEntry } from '../admin/audit-trail.js';
import { queueCountsWithin, type Readiness } from '../health/readiness.js';
import type { TappedLine } from '../log-tap.js';
import type { MarketView, TopOfBook } from '../market/market-view.js';
import type { SessionBoard, SessionRow } from '../sessions/session-board.js';
import type { SessionCatalog } from '../sessions/session-catalog.js';
import type { OpsSources } from '../sources.js';
import type { VenueEvent } from '../../venue/model/events.js';
import { Side } from '../../venue/model/enums.js';
import type { KillRecord } from '../../risk/index.js';

export interface TradeRow {
  time: string;
  symbol: string;
  price: string;
  qty: string;
  aggressor: 'buy' | 'sell';
  matchId: number;
}

export interface StatusRow {
  time: string;
  symbol: string;
  status: string;
  reason: string;
}

export type AlertLevel = 'info' | 'warn' | 'error';

export interface AlertRow {
  time: string;
  level: AlertLevel;
  source: string;
  text: string;
}

export interface QueueState {
  clearing: Record<string, number> | null;
  clearingError: string | null;
  risk: { redis: string; reason: string; pendingWrites: number; lagMs: number } | null;
}

export interface DashboardState {
  at: string;
  compId: string;
  readiness: Readiness;
  sessions: SessionRow[];
  instruments: (TopOfBook & { breakerHalt: string | null })[];
  trades: TradeRow[];
  statusChanges: StatusRow[];
  queues: QueueState;
  killSwitches: KillRecord[];
  alerts: AlertRow[];
}

interface TradeSlot {
  time: number;
  symbol: string;
  price: number;
  qty: number;
  side: number;
  matchId: number;
}

const TRADES = 25;
const STATUS_CHANGES = 20;
const ALERTS = 100;
const QUEUE_POLL_MS = 2000;
const QUEUE_TIMEOUT_MS = 1000;

export class DashboardFeed {
  private readonly trades: TradeSlot[] = Array.from({ length: TRADES }, () => ({ time: 0, symbol: '', price: 0, qty: 0, side: 0, matchId: 0 }));
  private tradeCount = 0;
  private readonly statusChanges: StatusRow[] = [];
  private readonly alerts: AlertRow[] = [];
  private queues: QueueState = { clearing: null, clearingError: null, risk: null };
  private readonly detach: (() => void)[] = [];
  private queueTimer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly sources: OpsSources,
    private readonly catalog: SessionCatalog,
    private readonly board: SessionBoard,
    private readonly market: MarketView,
    private readonly onChange: () => void,
  ) {
    this.detach.push(sources.venue.subscribe(this.onVenueEvent));
    const events = sources.fix.events;
    const on = <A extends unknown[]>(name: string, listener: (...args: A) => void): void => {
      const e = events as unknown as { on(n: string, l: (...a: A) => void): void; off(n: string, l: (...a: A) => void): void };
      e.on(name, listener);
      this.detach.push(() => e.off(name, listener));
    };
    on('status', () => this.onChange());
    on('logon', (key: string, remote: string | null) => this.alert('info', 'fix', `${this.id(key)} logged on from ${remote ?? '?'}`));
    on('disconnect', (key: string, reason: string) => this.alert('warn', 'fix', `${this.id(key)} disconnected: ${reason}`));
    on('heartbeatLate', (key: string, lateMs: number) => this.alert('warn', 'fix', `${this.id(key)} silent ${(lateMs / 1000).toFixed(1)} s past its heartbeat: TestRequest sent`));
    on('resendRequest', (key: string, begin: number, end: number, direction: string) =>
      this.alert('info', 'fix', `${this.id(key)} ResendRequest ${direction} ${begin}..${end === 0 ? '∞' : end}`));
    on('sessionReject', (key: string, reason: number, msgType: string, direction: string) =>
      this.alert('warn', 'fix', `${this.id(key)} session Reject ${direction} (reason ${reason}, MsgType ${msgType || '?'})`));
    on('storeError', (key: string, error: Error) => this.alert('error', 'fix', `${this.id(key)} message store failed: ${error.message}`));
    on('flushBarrierError', (error: Error) => this.alert('error', 'journal', `journal write failed: ${error.message}`));
    if (sources.risk !== null) {
      this.detach.push(
        sources.risk.onAudit((e) => {
          const level: AlertLevel = e.action === 'kill-on' || e.action === 'breaker-trip' ? 'warn' : 'info';
          const change = e.name ? ` ${e.name} ${e.old || '∅'} → ${e.new || '∅'}` : '';
          this.alert(level, 'risk', `${e.action} ${e.scope}${change} by ${e.by}${e.reason ? ` (${e.reason})` : ''}`);
        }),
      );
    }
    this.queueTimer = setInterval(() => void this.pollQueues(), QUEUE_POLL_MS);
    this.queueTimer.unref();
    void this.pollQueues();
  }

  close(): void {
    for (const off of this.detach.splice(0)) off();
    if (this.queueTimer !== null) clearInterval(this.queueTimer);
    this.queueTimer = null;
  }

  /** An operator action (from the audit trail). */
  onAudit(e: OpsAuditEntry): void {
    const level: AlertLevel = e.outcome === 'done' ? 'info' : 'warn';
    this.alert(level, 'ops', `${e.who} ${e.action} ${e.target}: ${e.outcome}${e.outcome === 'done' ? '' : ` (${e.detail})`}`);
  }

  /** A warning or error from the venue log. */
  onLog(line: TappedLine): void {
    if (line.fields.audit === true) return; // operator actions arrive through onAudit
    const session = typeof line.fields.session === 'string' ? ` [${line.fields.session}]` : '';
    const reason = typeof line.fields.reason === 'string' ? `: ${line.fields.reason}` : '';
    this.alert(line.level === 'error' ? 'error' : 'warn', 'log', `${line.message}${session}${reason}`);
  }

  state(readiness: Readiness): DashboardState {
    const risk = this.sources.risk;
    const breakers = new Map((risk?.breakerHalts() ?? []).map((b) => [b.symbol, `${b.reason} (until ${new Date(b.resumeAt).toISOString()})`]));
    const riskStatus = risk?.status() ?? null;
    return {
      at: new Date().toISOString(),
      compId: this.sources.compId,
      readiness,
      sessions: this.board.rows(),
      instruments: this.market.tops().map((t) => ({ ...t, breakerHalt: breakers.get(t.symbol) ?? null })),
      trades: this.recentTrades(),
      statusChanges: [...this.statusChanges].reverse(),
      queues: {
        ...this.queues,
        risk: riskStatus === null ? null : { redis: riskStatus.redis, reason: riskStatus.reason, pendingWrites: riskStatus.pendingWrites, lagMs: riskStatus.lagMs },
      },
      killSwitches: risk?.killSwitches() ?? [],
      alerts: [...this.alerts].reverse(),
    };
  }

  private readonly onVenueEvent = (e: VenueEvent): void => {
    if (e.type === 'trade') {
      const slot = this.trades[this.tradeCount % TRADES]!;
      this.tradeCount++;
      slot.time = e.time;
      slot.symbol = e.symbol;
      slot.price = e.price;
      slot.qty = e.qty;
      slot.side = e.aggressorSide;
      slot.matchId = e.matchId;
      this.onChange();
    } else if (e.type === 'tradingStatus') {
      this.statusChanges.push({ time: new Date(e.time).toISOString(), symbol: e.symbol, status: e.status, reason: e.reason });
      if (this.statusChanges.length > STATUS_CHANGES) this.statusChanges.shift();
      this.alert(e.status === 'open' ? 'info' : 'warn', 'venue', `${e.symbol} ${e.status}${e.reason ? `: ${e.reason}` : ''}`);
    }
  };

  private recentTrades(): TradeRow[] {
    const out: TradeRow[] = [];
    const n = Math.min(this.tradeCount, TRADES);
    for (let i = 1; i <= n; i++) {
      const s = this.trades[(this.tradeCount - i) % TRADES]!;
      if (!this.market.has(s.symbol)) continue;
      out.push({
        time: new Date(s.time).toISOString(),
        symbol: s.symbol,
        price: this.market.price(s.symbol, s.price),
        qty: this.market.qty(s.symbol, s.qty),
        aggressor: s.side === Side.Buy ? 'buy' : 'sell',
        matchId: s.matchId,
      });
    }
    return out;
  }

  private alert(level: AlertLevel, source: string, text: string): void {
    this.alerts.push({ time: new Date().toISOString(), level, source, text });
    if (this.alerts.length > ALERTS) this.alerts.shift();
    this.onChange();
  }

  private id(key: string): string {
    return this.catalog.labels(key).id;
  }

  private async pollQueues(): Promise<void> {
    const clearing = this.sources.clearing;
    if (clearing === null || this.polling) return;
    this.polling = true;
    try {
      const counts = await queueCountsWithin(clearing, QUEUE_TIMEOUT_MS);
      const wasFailed = this.queues.clearing?.failed ?? 0;
      this.queues = { ...this.queues, clearing: counts, clearingError: null };
      if ((counts.failed ?? 0) > wasFailed) this.alert('error', 'clearing', `${counts.failed} clearing jobs in the failed set`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.queues.clearingError === null) this.alert('error', 'clearing', `clearing queue unreachable: ${message}`);
      this.queues = { ...this.queues, clearingError: message };
    } finally {
      this.polling = false;
    }
  }
}
