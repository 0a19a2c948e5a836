// Turns the matching core's events into Binance state: order records, balances (locks released and fills
// settled as they happen), trade history, market statistics, and the user-data events each account should
// receive. The core knows nothing of balances or of Binance; this is where the two meet.

import type { FillJson, TradeJson, UserDataEvent } from '../../../routing/binance/types.js';
import { CancelReason, OrderStatus, type RejectReason } from '../../../venue/model/enums.js';
import type {
  CancelledEvent,
  OrderView,
  RejectedEvent,
  ReplacedEvent,
  RestatedEvent,
  TradeEvent,
  VenueEvent,
} from '../../../venue/model/events.js';
import type { SimAccount } from './accounts.js';
import { executionReport, type ExecInfo } from './execution-report.js';
import { MarketStats } from './market-stats.js';
import type { PreventedMatch, SimOrder } from './order-record.js';
import type { SimSymbol } from './sim-symbol.js';

/** What one core command produced, gathered while the core runs it and used to answer the request. */
export class CommandContext {
  /** The order the command places, created when the core accepts it. */
  placed: SimOrder | null = null;
  /** Builds the record of the order being placed, given the core's order id. */
  draft: ((orderId: number) => SimOrder) | null = null;
  draftCoreClOrdId = '';
  rejection: { command: RejectedEvent['command']; reason: RejectReason; text: string } | null = null;
  readonly fills: FillJson[] = [];
  readonly prevented: PreventedMatch[] = [];
  /** Binance client id of a cancel or amend request, by the core ClOrdID used for it. */
  readonly requestIds = new Map<string, string>();
  /** Binance origQty an amend sets, by the order id. */
  readonly amendQty = new Map<number, number>();
  /** Orders the command cancelled or amended (for the request's answer). */
  readonly cancelled: SimOrder[] = [];
  amended: SimOrder | null = null;
  /** The order trading as aggressor right now (placed, triggered or re-priced). */
  aggressor: SimOrder | null = null;
  lastPrevented: { id: number; makerOrderId: number; price: number; consumed: boolean } | null = null;
  readonly out: { account: SimAccount; event: UserDataEvent }[] = [];
  readonly touched = new Set<SimAccount>();

  constructor(readonly time: number) {}
}

const EXPIRY_REASON: Partial<Record<CancelReason, string>> = {
  [CancelReason.ImmediateOrCancel]: 'UNFILLED_IOC_QUANTITY_EXPIRED',
  [CancelReason.FillOrKill]: 'UNFILLED_FOK_ORDER_EXPIRED',
  [CancelReason.MarketNoLiquidity]: 'INSUFFICIENT_LIQUIDITY',
  [CancelReason.PriceBand]: 'EXECUTION_RULE_PRICE_RANGE_EXCEEDED',
};

export class Ledger {
  /** Every order ever placed, by id (queries outlive the core's memory of an order). */
  readonly orders = new Map<number, SimOrder>();
  private readonly live = new Map<number, SimOrder>();
  private readonly openByClientId = new Map<string, SimOrder>();
  private readonly latestByClientId = new Map<string, SimOrder>();
  private readonly trades = new Map<SimAccount, TradeJson[]>();
  readonly stats = new Map<string, MarketStats>();
  private executionId = 0;
  private preventedMatchId = 0;
  private ctx: CommandContext | null = null;

  constructor(
    symbols: ReadonlyMap<string, SimSymbol>,
    statsWindowMs: number,
  ) {
    for (const s of symbols.values()) this.stats.set(s.name, new MarketStats(s.pd, s.quoteScale, statsWindowMs));
  }

  begin(ctx: CommandContext): void {
    this.ctx = ctx;
  }

  end(): void {
    this.ctx = null;
  }

  static clientKey(account: SimAccount, symbol: string, clientOrderId: string): string {
    return `${account.name}\u0000${symbol}\u0000${clientOrderId}`;
  }

  openByClient(account: SimAccount, symbol: string, clientOrderId: string): SimOrder | undefined {
    return this.openByClientId.get(Ledger.clientKey(account, symbol, clientOrderId));
  }

  latestByClient(account: SimAccount, symbol: string, clientOrderId: string): SimOrder | undefined {
    return this.latestByClientId.get(Ledger.clientKey(account, symbol, clientOrderId));
  }

  openOrders(account: SimAccount, symbol?: string): SimOrder[] {
    const out: SimOrder[] = [];
    for (const o of this.live.values()) if (o.account === account && (symbol === undefined || o.symbol === symbol)) out.push(o);
    return out;
  }

  tradesOf(account: SimAccount): readonly TradeJson[] {
    return this.trades.get(account) ?? [];
  }

  nextExecutionId(): number {
    return ++this.executionId;
  }

  // ---------------------------------------------------------------- core events

  onEvent(e: VenueEvent): void {
    const ctx = this.ctx;
    if (ctx === null) return;
    switch (e.type) {
      case 'accepted':
        if (ctx.draft !== null && e.order.clOrdId === ctx.draftCoreClOrdId) this.onAccepted(ctx, e.order);
        break;
      case 'rejected':
        ctx.rejection = { command: e.command, reason: e.reason, text: e.text };
        break;
      case 'trade':
        this.onTrade(ctx, e);
        break;
      case 'cancelled':
        this.onCancelled(ctx, e);
        break;
      case 'expired': {
        const o = this.live.get(e.order.orderId);
        if (o !== undefined) this.finishUnfilled(ctx, o, e.order, 'EXPIRED', 'EXPIRED', 'EXCHANGE_CANCELED', {});
        break;
      }
      case 'replaced':
        this.onReplaced(ctx, e);
        break;
      case 'restated':
        if (e.reason === 'self-trade-decrement') this.onDecrement(ctx, e);
        break;
      case 'triggered': {
        const o = this.live.get(e.order.orderId);
        if (o !== undefined) {
          o.isWorking = true;
          o.workingTime = ctx.time;
          o.updateTime = ctx.time;
          ctx.aggressor = o;
        }
        break;
      }
      default:
        break;
    }
  }

  private report(ctx: CommandContext, o: SimOrder, info: Omit<ExecInfo, 'executionId' | 'transactTime' | 'eventTime'>): void {
    const event = executionReport(o, { ...info, executionId: this.nextExecutionId(), transactTime: ctx.time, eventTime: ctx.time });
    ctx.out.push({ account: o.account, event });
    ctx.touched.add(o.account);
  }

  private onAccepted(ctx: CommandContext, view: OrderView): void {
    const o = ctx.draft!(view.orderId);
    ctx.draft = null;
    this.orders.set(o.orderId, o);
    this.live.set(o.orderId, o);
    const key = Ledger.clientKey(o.account, o.symbol, o.clientOrderId);
    this.openByClientId.set(key, o);
    this.latestByClientId.set(key, o);
    o.account.lock(o.lockAsset, o.lockRemaining);
    ctx.placed = o;
    ctx.aggressor = o;
    this.report(ctx, o, { x: 'NEW' });
  }

  private onTrade(ctx: CommandContext, e: TradeEvent): void {
    const maker = this.live.get(e.maker.orderId);
    const taker = this.live.get(e.taker.orderId);
    this.stats.get(e.symbol)?.record(ctx.time, e.price, e.qty);
    for (const [o, view, isMaker] of [[maker, e.maker, true], [taker, e.taker, false]] as const) {
      if (o === undefined) continue;
      o.executedQty = view.cumQty;
      o.cumQuote = view.cumNotional;
      o.status = view.leavesQty === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
      o.updateTime = ctx.time;
      const { commission, asset } = this.settleFill(o, e.price, e.qty, isMaker);
      this.recordTrade(o, e, isMaker, commission, asset, ctx.time);
      if (o === ctx.placed) {
        ctx.fills.push({
          price: o.sym.price(e.price),
          qty: o.sym.qty(e.qty),
          commission: o.account.format(asset, commission),
          commissionAsset: asset,
          tradeId: e.matchId,
        });
      }
      if (o.status === 'FILLED') this.close(o);
      this.report(ctx, o, { x: 'TRADE', lastQty: e.qty, lastPrice: e.price, commission, commissionAsset: asset, tradeId: e.matchId, isMaker });
    }
  }

  private onCancelled(ctx: CommandContext, e: CancelledEvent): void {
    const o = this.live.get(e.order.orderId);
    if (o === undefined) return;
    if (e.reason === CancelReason.UserRequest || e.reason === CancelReason.MassCancel) {
      const requestId = ctx.requestIds.get(e.requestId) ?? e.requestId;
      this.finishUnfilled(ctx, o, e.order, 'CANCELED', 'CANCELED', '', { clientOrderId: requestId, origClientOrderId: o.clientOrderId });
      ctx.cancelled.push(o);
      return;
    }
    if (e.reason === CancelReason.SelfTrade) {
      const leavesBefore = o.coreQty - o.executedQty;
      const prevented = this.prevent(ctx, o, leavesBefore);
      this.finishUnfilled(ctx, o, e.order, 'EXPIRED_IN_MATCH', 'TRADE_PREVENTION', '', { prevented });
      return;
    }
    this.finishUnfilled(ctx, o, e.order, 'EXPIRED', 'EXPIRED', EXPIRY_REASON[e.reason] ?? 'EXCHANGE_CANCELED', {});
  }

  /** Records a prevented match on `o` and returns what the event reports about it. */
  private prevent(ctx: CommandContext, o: SimOrder, qty: number): NonNullable<ExecInfo['prevented']> {
    let id: number;
    let counter: number;
    const isAggressor = o === ctx.aggressor;
    const last = ctx.lastPrevented;
    if (isAggressor && last !== null && !last.consumed) {
      id = last.id;
      counter = last.makerOrderId;
      last.consumed = true;
    } else {
      id = ++this.preventedMatchId;
      counter = isAggressor ? -1 : ctx.aggressor?.orderId ?? -1;
      if (!isAggressor) {
        ctx.lastPrevented = { id, makerOrderId: o.orderId, price: o.price, consumed: false };
        if (ctx.aggressor !== null && ctx.aggressor === ctx.placed) {
          ctx.prevented.push({ preventedMatchId: id, makerOrderId: o.orderId, price: o.sym.price(o.price), makerPreventedQuantity: o.sym.qty(qty) });
        }
      }
    }
    o.preventedMatchId = id;
    o.preventedQuantity += qty;
    o.updateTime = ctx.time;
    return { matchId: id, lastQty: qty, counterOrderId: counter, price: isAggressor && last !== null ? last.price : o.price };
  }

  private onDecrement(ctx: CommandContext, e: RestatedEvent): void {
    const o = this.live.get(e.order.orderId);
    if (o === undefined) return;
    const d = o.coreQty - e.order.qty;
    o.coreQty = e.order.qty;
    this.releaseQty(o, d);
    const prevented = this.prevent(ctx, o, d);
    this.report(ctx, o, { x: 'TRADE_PREVENTION', prevented });
  }

  private onReplaced(ctx: CommandContext, e: ReplacedEvent): void {
    const o = this.live.get(e.order.orderId);
    if (o === undefined) return;
    const previousClientId = o.clientOrderId;
    const newClientId = ctx.requestIds.get(e.order.clOrdId) ?? previousClientId;
    const reduced = o.coreQty - e.order.qty;
    this.openByClientId.delete(Ledger.clientKey(o.account, o.symbol, previousClientId));
    o.clientOrderId = newClientId;
    o.coreClOrdId = e.order.clOrdId;
    o.coreQty = e.order.qty;
    o.origQty = ctx.amendQty.get(o.orderId) ?? o.origQty;
    o.updateTime = ctx.time;
    const key = Ledger.clientKey(o.account, o.symbol, newClientId);
    this.latestByClientId.set(key, o);
    if (e.order.status === OrderStatus.Filled) {
      o.status = 'FILLED';
      this.close(o);
    } else {
      o.status = o.executedQty > 0 ? 'PARTIALLY_FILLED' : 'NEW';
      this.openByClientId.set(key, o);
      if (reduced > 0) this.releaseQty(o, reduced);
    }
    ctx.amended = o;
    if (!e.keptPriority && o.isOpen) ctx.aggressor = o;
    this.report(ctx, o, { x: 'REPLACED', clientOrderId: newClientId, origClientOrderId: previousClientId });
  }

  private finishUnfilled(
    ctx: CommandContext,
    o: SimOrder,
    view: OrderView,
    status: SimOrder['status'],
    x: ExecInfo['x'],
    expiryReason: string,
    extra: Partial<ExecInfo>,
  ): void {
    o.executedQty = view.cumQty;
    o.cumQuote = view.cumNotional;
    o.status = status;
    o.expiryReason = expiryReason;
    o.updateTime = ctx.time;
    this.close(o);
    this.report(ctx, o, { x, ...extra });
  }

  /** Takes a finished order out of the live indexes and gives back whatever it still had locked. */
  private close(o: SimOrder): void {
    this.live.delete(o.orderId);
    const key = Ledger.clientKey(o.account, o.symbol, o.clientOrderId);
    if (this.openByClientId.get(key) === o) this.openByClientId.delete(key);
    o.account.release(o.lockAsset, o.lockRemaining);
    o.lockRemaining = 0;
  }

  // ---------------------------------------------------------------- balances

  /** Gives back the lock for `qty` of the order's quantity that will never trade. */
  private releaseQty(o: SimOrder, qty: number): void {
    const s = o.sym;
    let amount: number;
    if (o.side === 'SELL') amount = s.qtyToBase(qty);
    else if (o.lockPrice > 0) amount = s.notionalToQuote(o.lockPrice * qty);
    else return; // a market buy's lock is its estimated cost: what is left goes back when it finishes
    amount = Math.min(amount, o.lockRemaining);
    o.account.release(o.lockAsset, amount);
    o.lockRemaining -= amount;
  }

  /**
   * Moves the assets of one fill: the payer's side comes out of the order's lock (any surplus from a
   * better price than the lock assumed goes back to free), the received side lands in free, less the
   * commission, which is charged in the received asset.
   */
  private settleFill(o: SimOrder, price: number, qty: number, isMaker: boolean): { commission: number; asset: string } {
    const s = o.sym;
    const acct = o.account;
    const cost = s.notionalToQuote(price * qty);
    const base = s.qtyToBase(qty);
    const baseAsset = s.config.baseAsset;
    const quoteAsset = s.config.quoteAsset;
    if (o.side === 'BUY') {
      const assumed = o.lockPrice > 0 ? s.notionalToQuote(o.lockPrice * qty) : cost;
      const fromLock = Math.min(assumed, o.lockRemaining);
      acct.spendLocked(quoteAsset, fromLock);
      o.lockRemaining -= fromLock;
      acct.adjustFree(quoteAsset, fromLock - cost);
      const commission = acct.commission(base, isMaker);
      acct.adjustFree(baseAsset, base - commission);
      return { commission, asset: baseAsset };
    }
    const fromLock = Math.min(base, o.lockRemaining);
    acct.spendLocked(baseAsset, fromLock);
    o.lockRemaining -= fromLock;
    acct.adjustFree(baseAsset, fromLock - base);
    const commission = acct.commission(cost, isMaker);
    acct.adjustFree(quoteAsset, cost - commission);
    return { commission, asset: quoteAsset };
  }

  private recordTrade(o: SimOrder, e: TradeEvent, isMaker: boolean, commission: number, asset: string, time: number): void {
    let list = this.trades.get(o.account);
    if (list === undefined) {
      list = [];
      this.trades.set(o.account, list);
    }
    const s = o.sym;
    list.push({
      symbol: s.name,
      id: e.matchId,
      orderId: o.orderId,
      orderListId: -1,
      price: s.price(e.price),
      qty: s.qty(e.qty),
      quoteQty: s.quote(e.price * e.qty),
      commission: o.account.format(asset, commission),
      commissionAsset: asset,
      time,
      isBuyer: o.side === 'BUY',
      isMaker,
      isBestMatch: true,
    });
  }
}
