// Follows the orders we sent to Binance and reports each fill exactly once, whether it arrived on the
// user data stream or was found by reconciliation (after a reconnect, or after a request whose outcome is
// unknown). Fills are keyed by Binance's trade id, so the two paths never double count.
//
// Reconciliation queries each open tracked order by client order id; when its executedQty moved, the
// order's trades (GET /api/v3/myTrades?orderId=) supply the exact fills that were missed.

import { EventEmitter } from 'node:events';
import type { BinanceRestClient } from './rest-client.js';
import type { BinanceFailure } from './result.js';
import type { BinanceOrderStatus, ExecutionReportEvent, QueriedOrderJson } from './types.js';

export interface OrderFill {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  tradeId: number;
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string | null;
  isMaker: boolean;
  time: number;
  source: 'stream' | 'reconcile';
}

export interface OrderState {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  status: BinanceOrderStatus;
  executedQty: string;
  cumulativeQuoteQty: string;
  source: 'stream' | 'reconcile';
}

export interface OrderTrackerEvents {
  fill: (fill: OrderFill) => void;
  status: (state: OrderState) => void;
  /** Binance has no order with this client order id: a send whose outcome was unknown never executed. */
  missing: (symbol: string, clientOrderId: string) => void;
}

interface Tracked {
  symbol: string;
  clientOrderId: string;
  orderId: number;
  status: BinanceOrderStatus | '';
  executedQty: string;
  tradeIds: Set<number>;
}

export interface ReconcileReport {
  checked: number;
  fillsRecovered: number;
  failures: BinanceFailure[];
}

const TERMINAL: ReadonlySet<string> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']);

/** "1.50000000" and "1.5" are the same quantity. */
function sameDecimal(a: string, b: string): boolean {
  const norm = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s).replace(/^0+(?=\d)/, '');
  return norm(a) === norm(b);
}

export class BinanceOrderTracker extends EventEmitter {
  private readonly byClient = new Map<string, Tracked>();
  private readonly byOrderId = new Map<number, Tracked>();

  constructor(private readonly client: BinanceRestClient) {
    super();
  }

  override on<K extends keyof OrderTrackerEvents>(event: K, listener: OrderTrackerEvents[K]): this {
    return super.on(event, listener);
  }

  override emit<K extends keyof OrderTrackerEvents>(event: K, ...args: Parameters<OrderTrackerEvents[K]>): boolean {
    return super.emit(event, ...args);
  }

  private static key(symbol: string, clientOrderId: string): string {
    return `${symbol}\u0000${clientOrderId}`;
  }

  get size(): number {
    return this.byClient.size;
  }

  /**
   * Start following an order before sending it (so that an unknown outcome can be reconciled). `known` seeds
   * what the caller has already accounted for (after a restart: the executed quantity and trade ids on record),
   * so reconciliation reports only what is new.
   */
  track(symbol: string, clientOrderId: string, orderId = 0, known?: { executedQty: string; tradeIds: Iterable<number> }): void {
    const key = BinanceOrderTracker.key(symbol, clientOrderId);
    if (this.byClient.has(key)) return;
    const t: Tracked = { symbol, clientOrderId, orderId, status: '', executedQty: known?.executedQty ?? '0', tradeIds: new Set(known?.tradeIds ?? []) };
    this.byClient.set(key, t);
    if (orderId > 0) this.byOrderId.set(orderId, t);
  }

  /** Stop following an order that never reached Binance (refused before or by Binance). */
  untrack(symbol: string, clientOrderId: string): void {
    const t = this.byClient.get(BinanceOrderTracker.key(symbol, clientOrderId));
    if (t !== undefined) this.forget(t);
  }

  isTracked(symbol: string, clientOrderId: string): boolean {
    return this.byClient.has(BinanceOrderTracker.key(symbol, clientOrderId));
  }

  private forget(t: Tracked): void {
    this.byClient.delete(BinanceOrderTracker.key(t.symbol, t.clientOrderId));
    if (t.orderId > 0) this.byOrderId.delete(t.orderId);
  }

  private rekey(t: Tracked, clientOrderId: string): void {
    if (clientOrderId === t.clientOrderId || clientOrderId === '') return;
    this.byClient.delete(BinanceOrderTracker.key(t.symbol, t.clientOrderId));
    t.clientOrderId = clientOrderId;
    this.byClient.set(BinanceOrderTracker.key(t.symbol, clientOrderId), t);
  }

  private find(symbol: string, orderId: number, ...clientIds: string[]): Tracked | undefined {
    const byId = this.byOrderId.get(orderId);
    if (byId !== undefined) return byId;
    for (const id of clientIds) {
      const t = this.byClient.get(BinanceOrderTracker.key(symbol, id));
      if (t !== undefined) return t;
    }
    return undefined;
  }

  /** Feed every executionReport from the user data stream here. */
  onExecutionReport(ev: ExecutionReportEvent): void {
    // A cancel reports the cancel request's id in c and the order's in C; an amend the new id in c.
    const t = this.find(ev.s, ev.i, ev.c, ev.C);
    if (t === undefined) return;
    if (t.orderId === 0) {
      t.orderId = ev.i;
      this.byOrderId.set(ev.i, t);
    }
    if (ev.x === 'REPLACED') this.rekey(t, ev.c);
    if (ev.x === 'TRADE' && ev.t >= 0 && !t.tradeIds.has(ev.t)) {
      t.tradeIds.add(ev.t);
      this.emit('fill', {
        symbol: ev.s,
        orderId: ev.i,
        clientOrderId: t.clientOrderId,
        tradeId: ev.t,
        price: ev.L,
        qty: ev.l,
        commission: ev.n,
        commissionAsset: ev.N,
        isMaker: ev.m,
        time: ev.T,
        source: 'stream',
      });
    }
    this.updateState(t, ev.X, ev.z, ev.Z, 'stream');
  }

  private updateState(t: Tracked, status: BinanceOrderStatus, executedQty: string, cumQuote: string, source: OrderState['source']): void {
    const changed = status !== t.status || !sameDecimal(executedQty, t.executedQty);
    t.status = status;
    t.executedQty = executedQty;
    if (changed) {
      this.emit('status', { symbol: t.symbol, orderId: t.orderId, clientOrderId: t.clientOrderId, status, executedQty, cumulativeQuoteQty: cumQuote, source });
    }
    if (TERMINAL.has(status)) this.forget(t);
  }

  /** Reconciles one order (after an unknown outcome): its state and any fills not seen yet. */
  async reconcileOne(symbol: string, clientOrderId: string): Promise<QueriedOrderJson | null | BinanceFailure> {
    this.track(symbol, clientOrderId);
    const t = this.byClient.get(BinanceOrderTracker.key(symbol, clientOrderId))!;
    return this.reconcileTracked(t, { checked: 0, fillsRecovered: 0, failures: [] });
  }

  /** Reconciles every open tracked order (hook this to the user stream's `reconcile` option). */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: 0, fillsRecovered: 0, failures: [] };
    for (const t of [...this.byClient.values()]) await this.reconcileTracked(t, report);
    return report;
  }

  private async reconcileTracked(t: Tracked, report: ReconcileReport): Promise<QueriedOrderJson | null | BinanceFailure> {
    report.checked++;
    const res = t.orderId > 0 ? await this.client.queryOrder({ symbol: t.symbol, orderId: t.orderId }) : await this.client.findOrder(t.symbol, t.clientOrderId);
    if (!res.ok) {
      report.failures.push(res);
      return res;
    }
    const order = res.value;
    if (order === null) {
      this.forget(t);
      this.emit('missing', t.symbol, t.clientOrderId);
      return null;
    }
    if (t.orderId === 0) {
      t.orderId = order.orderId;
      this.byOrderId.set(order.orderId, t);
    }
    this.rekey(t, order.clientOrderId);
    if (!sameDecimal(order.executedQty, t.executedQty)) {
      const trades = await this.client.myTrades({ symbol: t.symbol, orderId: order.orderId });
      if (!trades.ok) {
        report.failures.push(trades);
        return trades;
      }
      for (const tr of trades.value.sort((a, b) => a.id - b.id)) {
        if (t.tradeIds.has(tr.id)) continue;
        t.tradeIds.add(tr.id);
        report.fillsRecovered++;
        this.emit('fill', {
          symbol: tr.symbol,
          orderId: tr.orderId,
          clientOrderId: t.clientOrderId,
          tradeId: tr.id,
          price: tr.price,
          qty: tr.qty,
          commission: tr.commission,
          commissionAsset: tr.commissionAsset,
          isMaker: tr.isMaker,
          time: tr.time,
          source: 'reconcile',
        });
      }
    }
    this.updateState(t, order.status, order.executedQty, order.cummulativeQuoteQty, 'reconcile');
    return order;
  }
}
