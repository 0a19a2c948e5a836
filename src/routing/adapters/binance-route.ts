// A Binance Spot account as a route: orders go out over REST (the thin client: local filter checks, the rate
// governor, outcome-unknown results), fills and ends come back over the WebSocket API user data stream through the
// order tracker, which reports each fill exactly once whether it arrived on the stream or was found by a query.
//
//   place     POST with our client order id; an answer means acknowledged; a refusal (Binance's or a local
//             filter check) rejects the member's order with Binance's code and msg; an unknown outcome (5xx,
//             -1007, timeout) is never re-sent: the order is queried by its client order id until Binance says
//             whether it exists (missing = rejected).
//   cancel    DELETE by client order id; confirmed at once when Binance's executed quantity matches what the
//             venue has seen, otherwise by the stream (fills first, then the end) or a query.
//   replace   Binance replaces by cancel + new, so the new order's quantity is computed from what the old one
//             really executed (the DELETE answer): never more than the member asked for. The new incarnation's
//             id is derived from the replace's command seq, so an interrupted replace is finished or unwound by
//             querying both ids.
//   reconcile query by client order id (and the order's trades when its executed quantity moved).
//
// Health: down without exchange info, without the user data stream, or while banned/backing off; degraded while
// orders with an unknown outcome are being settled.

import { BinanceOrderTracker, type OrderFill, type OrderState } from '../binance/order-tracker.js';
import { BinanceRestClient } from '../binance/rest-client.js';
import { failureText, type BinanceFailure } from '../binance/result.js';
import type { BinanceCredentials, BinanceEndpoints } from '../binance/client-config.js';
import { BinanceUserStream, UserStreamAuthError } from '../binance/user-stream.js';
import type { BinanceRouteSettings } from '../../config/routing-section.js';
import { formatDecimal, parseDecimal } from '../../venue/model/decimal.js';
import type { ClientIds } from '../client-ids.js';
import type { AdapterHooks, RouteAdapter, RoutedOrder, RouteHealth } from '../route-adapter.js';
import { binanceOrder, endReason } from './binance-orders.js';

export interface BinanceRouteOptions {
  settings: BinanceRouteSettings;
  endpoints: BinanceEndpoints;
  /** null when the environment holds no usable keys (the route stays down and says why). */
  credentials: BinanceCredentials | null;
  credentialsProblem?: string;
  clientIds: ClientIds;
  now?: () => number;
}

const LIVE = new Set(['NEW', 'PARTIALLY_FILLED', 'PENDING_NEW']);

export class BinanceRoute implements RouteAdapter {
  readonly name: string;
  private readonly settings: BinanceRouteSettings;
  private readonly ids: ClientIds;
  private readonly now: () => number;
  private readonly rest: BinanceRestClient | null;
  private readonly stream: BinanceUserStream | null;
  private readonly tracker: BinanceOrderTracker | null;
  private hooks: AdapterHooks | null = null;
  private fatal: string;
  private infoLoaded = false;
  private infoProblem = 'not loaded yet';
  private infoTimer: NodeJS.Timeout | null = null;
  /** Orders whose last request had an unknown outcome and that no query has settled yet. */
  private readonly unknown = new Set<number>();
  /** Replaces whose cancel leg had an unknown outcome (their new order has not been sent). */
  private readonly cancelLegUnknown = new Set<number>();
  private readonly startWaitMs: number;

  constructor(options: BinanceRouteOptions) {
    this.settings = options.settings;
    this.name = options.settings.name;
    this.ids = options.clientIds;
    this.now = options.now ?? Date.now;
    this.startWaitMs = options.settings.startWaitMs;
    this.fatal = options.credentials === null ? `no credentials: ${options.credentialsProblem ?? 'not configured'}` : '';
    if (options.credentials === null) {
      this.rest = null;
      this.stream = null;
      this.tracker = null;
      return;
    }
    const { apiKey, signer } = options.credentials;
    const s = options.settings;
    this.rest = new BinanceRestClient({ endpoints: options.endpoints, apiKey, signer, recvWindow: s.recvWindowMs, timeoutMs: s.timeoutMs, now: this.now });
    this.tracker = new BinanceOrderTracker(this.rest);
    this.stream = new BinanceUserStream({
      wsApiUrl: options.endpoints.wsApiUrl,
      apiKey,
      signer,
      recvWindow: s.recvWindowMs,
      heartbeatMs: s.userStream.heartbeatMs,
      reconnectInitialMs: s.userStream.reconnectInitialMs,
      reconnectMaxMs: s.userStream.reconnectMaxMs,
      requestTimeoutMs: s.timeoutMs,
      now: this.now,
      // After a reconnection: every open order is queried, missed fills recovered, pending requests re-sent.
      reconcile: async () => this.hooks?.connected(),
    });
  }

  health(): RouteHealth {
    if (this.fatal !== '') return { state: 'down', reason: this.fatal };
    if (!this.infoLoaded) return { state: 'down', reason: `exchange info ${this.infoProblem}` };
    const g = this.rest!.governor.snapshot();
    const now = this.now();
    if (g.bannedUntil > now) return { state: 'down', reason: `IP banned by Binance until ${new Date(g.bannedUntil).toISOString()}` };
    if (g.backoffUntil > now) return { state: 'down', reason: `backing off after HTTP 429 until ${new Date(g.backoffUntil).toISOString()}` };
    if (g.ordersBackoffUntil > now) return { state: 'down', reason: `order rate limit hit until ${new Date(g.ordersBackoffUntil).toISOString()}` };
    if (!this.stream!.connected) return { state: 'down', reason: 'user data stream disconnected' };
    // An order that ended (its fills and end came by the stream) needs no more settling.
    for (const id of this.unknown) if (this.hooks?.order(id) === undefined) this.unknown.delete(id);
    if (this.unknown.size > 0) return { state: 'degraded', reason: `${this.unknown.size} order(s) with an unknown outcome being reconciled` };
    return { state: 'up', reason: '' };
  }

  async start(hooks: AdapterHooks): Promise<void> {
    this.hooks = hooks;
    if (this.rest === null || this.stream === null || this.tracker === null) {
      hooks.logger.error('binance route cannot start', { reason: this.fatal });
      return;
    }
    const stream = this.stream;
    const tracker = this.tracker;
    stream.on('executionReport', (e) => tracker.onExecutionReport(e));
    stream.on('subscribed', (info) => hooks.logger.info('binance user data stream subscribed', { reconnect: info.reconnect }));
    stream.on('disconnected', (reason) => hooks.logger.warn('binance user data stream disconnected', { reason }));
    stream.on('warning', (err) => hooks.logger.debug('binance user data stream', { reason: err.message }));
    // What Binance sends is outside input: a malformed event is logged, never allowed to break the stream.
    const guarded = <A extends unknown[]>(what: string, fn: (...args: A) => void) => (...args: A): void => {
      try {
        fn(...args);
      } catch (err) {
        hooks.logger.error(`binance ${what} could not be handled`, { reason: err instanceof Error ? err.message : String(err) });
      }
    };
    tracker.on('fill', guarded('fill', (f) => this.onFill(f)));
    tracker.on('status', guarded('order update', (s) => this.onStatus(s)));
    tracker.on('missing', guarded('missing order', (_symbol, clientOrderId) => this.onMissing(clientOrderId)));
    await this.loadExchangeInfo();
    const first = stream.start().then(
      () => hooks.connected(),
      (err: unknown) => {
        this.fatal = err instanceof UserStreamAuthError ? err.message : `user data stream failed: ${String(err)}`;
        hooks.logger.error('binance user data stream refused', { reason: this.fatal });
      },
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([first, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.startWaitMs)))]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    if (this.infoTimer !== null) clearTimeout(this.infoTimer);
    this.infoTimer = null;
    await this.stream?.stop();
    await this.rest?.close();
  }

  /** exchangeInfo compiles the symbols' filters (checked before every order) and adopts the rate limits. */
  private async loadExchangeInfo(): Promise<void> {
    const res = await this.rest!.exchangeInfo();
    if (res.ok) {
      this.infoLoaded = true;
      return;
    }
    this.infoProblem = `not loaded: ${failureText(res)}`;
    this.hooks?.logger.warn('binance exchange info not loaded; retrying', { reason: this.infoProblem });
    this.infoTimer = setTimeout(() => void this.loadExchangeInfo(), this.settings.reconcileIntervalMs);
    this.infoTimer.unref();
  }

  private symbolOf(venueSymbol: string): string {
    return this.settings.symbols[venueSymbol] ?? venueSymbol;
  }

  // ------------------------------------------------------------------ requests

  async place(order: RoutedOrder): Promise<void> {
    const hooks = this.hooks!;
    const o = order.view.order;
    const id = o.orderId;
    const down = this.health();
    if (down.state === 'down' || this.rest === null) return hooks.report(id, 'rejected', { text: `route ${this.name} is down (${down.reason})` });
    const symbol = this.symbolOf(o.symbol);
    const clientId = this.ids.order(id, 0);
    const req = binanceOrder(o, order.spec, symbol, clientId, o.leavesQty);
    if ('unsupported' in req) return hooks.report(id, 'rejected', { text: req.unsupported });
    this.tracker!.track(symbol, clientId);
    const res = await this.rest.newOrder(req);
    if (res.ok) return hooks.report(id, 'acknowledged', { externalOrderId: String(res.value.orderId) });
    if (res.kind === 'outcome-unknown') return this.outcomeUnknown(id, res);
    this.tracker!.untrack(symbol, clientId);
    hooks.report(id, 'rejected', { text: failureText(res) });
  }

  async cancel(order: RoutedOrder): Promise<void> {
    const hooks = this.hooks!;
    const { view } = order;
    const p = view.pending;
    const id = view.order.orderId;
    if (p === null || p.kind !== 'cancel' || this.rest === null) return;
    if (this.unknown.has(id)) return hooks.retryLater(id); // settle whether the order exists first
    const symbol = this.symbolOf(view.order.symbol);
    const res = await this.rest.cancelOrder({
      symbol,
      origClientOrderId: this.ids.order(id, view.incarnation),
      newClientOrderId: this.ids.cancel(id, p.requestSeq),
    });
    if (res.ok) {
      // Safe to confirm now only if Binance executed no more than the venue has seen; else the stream (fills
      // first, then the end) or the next query settles it.
      const executed = parseDecimal(res.value.executedQty, order.spec.qtyDecimals);
      if (executed === view.order.cumQty - view.baseQty) hooks.report(id, 'cancelled', { externalOrderId: String(res.value.orderId) });
      else hooks.retryLater(id);
      return;
    }
    if (res.kind === 'rejected' || res.kind === 'invalid') {
      // Most often -2011: the order is no longer open at Binance. Learn how it ended before answering.
      await this.reconcile(order);
      return hooks.report(id, 'cancelRejected', { text: failureText(res) });
    }
    if (res.kind === 'outcome-unknown') hooks.counters.outcomeUnknown++;
    hooks.retryLater(id);
  }

  async replace(order: RoutedOrder): Promise<void> {
    const hooks = this.hooks!;
    const { view, spec } = order;
    const p = view.pending;
    const id = view.order.orderId;
    if (p === null || p.kind !== 'replace' || this.rest === null) return;
    if (!view.acknowledged || this.unknown.has(id)) return hooks.retryLater(id);
    const symbol = this.symbolOf(view.order.symbol);
    const res = await this.rest.cancelOrder({
      symbol,
      origClientOrderId: this.ids.order(id, view.incarnation),
      newClientOrderId: this.ids.cancel(id, p.requestSeq),
    });
    if (res.ok) return this.placeReplacement(order, parseDecimal(res.value.executedQty, spec.qtyDecimals));
    if (res.kind === 'rejected' || res.kind === 'invalid') {
      await this.reconcile(order);
      return hooks.report(id, 'replaceRejected', { text: failureText(res) });
    }
    if (res.kind === 'outcome-unknown') {
      hooks.counters.outcomeUnknown++;
      this.cancelLegUnknown.add(id);
    }
    hooks.retryLater(id);
  }

  /**
   * Second half of a replace: the old incarnation is cancelled having executed `executedOld`; the new one is
   * placed for what remains of the member's new quantity (nothing when that is already filled).
   */
  private async placeReplacement(order: RoutedOrder, executedOld: number): Promise<void> {
    const hooks = this.hooks!;
    const { view, spec } = order;
    const p = view.pending!;
    const id = view.order.orderId;
    if (Number.isNaN(executedOld)) return hooks.discrepancy(id, 'executed quantity of the replaced order is off the instrument scale');
    const baseQty = view.baseQty + executedOld;
    const remaining = p.qty - baseQty;
    if (remaining <= 0) return hooks.report(id, 'replaced', { baseQty });
    const symbol = this.symbolOf(view.order.symbol);
    const clientId = this.ids.order(id, p.requestSeq);
    const terms = { ...view.order, price: p.price, stopPx: p.stopPx, maxFloor: p.maxFloor, timeInForce: p.timeInForce };
    const req = binanceOrder(terms, spec, symbol, clientId, remaining);
    if ('unsupported' in req) return hooks.report(id, 'cancelled', { text: `replace could not be placed at ${this.name}: ${req.unsupported}` });
    this.tracker!.track(symbol, clientId);
    const res = await this.rest!.newOrder(req);
    if (res.ok) return hooks.report(id, 'replaced', { baseQty, externalOrderId: String(res.value.orderId) });
    if (res.kind === 'outcome-unknown') return this.outcomeUnknown(id, res);
    // The old order is gone and Binance refused the new one: the member's order has ended.
    this.tracker!.untrack(symbol, clientId);
    hooks.report(id, 'cancelled', { text: `replaced order refused by ${this.name} (${failureText(res)}); the original was cancelled` });
  }

  private outcomeUnknown(orderId: number, res: BinanceFailure): void {
    const hooks = this.hooks!;
    hooks.counters.outcomeUnknown++;
    this.unknown.add(orderId);
    hooks.logger.warn('binance: outcome unknown; querying instead of re-sending', { orderId, reason: failureText(res) });
    hooks.retryLater(orderId);
  }

  // ------------------------------------------------------------------ reconciliation

  async reconcile(order: RoutedOrder): Promise<void> {
    const hooks = this.hooks!;
    const { view, spec } = order;
    const o = view.order;
    const id = o.orderId;
    if (this.tracker === null) return;
    const symbol = this.symbolOf(o.symbol);
    const p = view.pending;
    if (p !== null && p.kind === 'replace' && view.acknowledged) return this.reconcileReplace(order, symbol);
    const clientId = this.ids.order(id, view.incarnation);
    const executed = formatDecimal(o.cumQty - view.baseQty, spec.qtyDecimals);
    const known = { executedQty: executed, tradeIds: view.execIds.map(Number).filter(Number.isSafeInteger) };
    this.tracker.track(symbol, clientId, Number(view.externalOrderId) || 0, known);
    const found = await this.tracker.reconcileOne(symbol, clientId);
    if (found !== null && 'ok' in found) return hooks.retryLater(id); // the query itself failed: later
    this.unknown.delete(id);
  }

  /**
   * A replace was interrupted (unknown outcome, restart): the new incarnation exists (finish the replace), or
   * the old one is still open (leave it to the replace being re-sent), or the old one was cancelled without a
   * new one (finish by placing it), or it filled (the fills say so).
   */
  private async reconcileReplace(order: RoutedOrder, symbol: string): Promise<void> {
    const hooks = this.hooks!;
    const { view, spec } = order;
    const id = view.order.orderId;
    const p = view.pending!;
    const rest = this.rest!;
    const oldId = this.ids.order(id, view.incarnation);
    const old = await rest.findOrder(symbol, oldId);
    if (!old.ok) return hooks.retryLater(id);
    if (old.value === null) return hooks.discrepancy(id, `order ${oldId} is unknown at ${this.name}`);
    const known = { executedQty: formatDecimal(view.order.cumQty - view.baseQty, spec.qtyDecimals), tradeIds: view.execIds.map(Number) };
    this.tracker!.track(symbol, oldId, old.value.orderId, known);
    await this.tracker!.reconcileOne(symbol, oldId); // fills of the old incarnation first
    const fresh = hooks.order(id);
    if (fresh === undefined || fresh.view.pending?.requestSeq !== p.requestSeq) return;
    if (LIVE.has(old.value.status)) {
      this.cancelLegUnknown.delete(id);
      return; // nothing happened yet: the router re-sends the replace
    }
    const executedOld = parseDecimal(old.value.executedQty, spec.qtyDecimals);
    if (old.value.status !== 'CANCELED') return; // filled, expired or rejected: the tracker reported how it ended
    const next = await rest.findOrder(symbol, this.ids.order(id, p.requestSeq));
    if (!next.ok) return hooks.retryLater(id);
    this.unknown.delete(id);
    const newOrderNotSent = this.cancelLegUnknown.delete(id);
    if (next.value !== null) {
      this.tracker!.track(symbol, next.value.clientOrderId, next.value.orderId);
      hooks.report(id, 'replaced', { baseQty: fresh.view.baseQty + executedOld, externalOrderId: String(next.value.orderId) });
      await this.tracker!.reconcileOne(symbol, next.value.clientOrderId);
      return;
    }
    // Only a new order that was certainly never sent may be sent now; one whose answer was lost (or that a
    // restart interrupted) is not sent again, and the member's order ends cancelled.
    if (newOrderNotSent) return this.placeReplacement(fresh, executedOld);
    hooks.report(id, 'cancelled', { text: `replace not completed at ${this.name} (interrupted); the original was cancelled` });
  }

  // ------------------------------------------------------------------ what Binance tells us

  private onFill(f: OrderFill): void {
    const hooks = this.hooks!;
    const ref = this.ids.parse(f.clientOrderId);
    if (ref === null || ref.cancel) return;
    const o = hooks.order(ref.orderId);
    if (o === undefined) return;
    const price = parseDecimal(f.price, o.spec.priceDecimals);
    const qty = parseDecimal(f.qty, o.spec.qtyDecimals);
    const execId = String(f.tradeId);
    if (o.view.execIds.includes(execId)) return;
    if (!(price > 0) || !(qty > 0)) return hooks.discrepancy(ref.orderId, `fill ${execId} of ${f.qty} @ ${f.price} is off the instrument's scale`);
    if (qty > o.view.order.leavesQty) return hooks.discrepancy(ref.orderId, `fill ${execId} of ${f.qty} exceeds the order's open quantity`);
    hooks.report(ref.orderId, 'fill', { execId, price, qty, externalOrderId: String(f.orderId) });
  }

  private onStatus(s: OrderState): void {
    const hooks = this.hooks!;
    const ref = this.ids.parse(s.clientOrderId);
    if (ref === null || ref.cancel) return;
    const o = hooks.order(ref.orderId);
    // A stale incarnation (the one a replace cancelled) says nothing about the order any more.
    if (o === undefined || ref.seq !== o.view.incarnation) return;
    const externalOrderId = String(s.orderId);
    switch (s.status) {
      case 'NEW':
      case 'PARTIALLY_FILLED':
      case 'PENDING_NEW':
        this.unknown.delete(ref.orderId);
        if (!o.view.acknowledged) hooks.report(ref.orderId, 'acknowledged', { externalOrderId });
        return;
      case 'CANCELED':
      case 'EXPIRED':
      case 'EXPIRED_IN_MATCH': {
        this.unknown.delete(ref.orderId);
        // The old half of a replace in progress: the replace reports the outcome.
        if (s.status === 'CANCELED' && o.view.pending?.kind === 'replace') return;
        const asked = o.view.pending?.kind === 'cancel' && s.status === 'CANCELED';
        const text = asked ? '' : `${s.status} at ${this.name}`;
        hooks.report(ref.orderId, 'cancelled', { externalOrderId, cancelReason: asked ? '' : endReason(o.view.order, s.status), text });
        return;
      }
      case 'REJECTED':
        this.unknown.delete(ref.orderId);
        hooks.report(ref.orderId, 'rejected', { externalOrderId, text: `REJECTED by ${this.name}` });
        return;
      default:
        return; // FILLED: the fills said it all
    }
  }

  /** Binance has no order with this id: a send whose outcome was unknown never executed. */
  private onMissing(clientOrderId: string): void {
    const hooks = this.hooks!;
    const ref = this.ids.parse(clientOrderId);
    if (ref === null || ref.cancel) return;
    const o = hooks.order(ref.orderId);
    if (o === undefined || ref.seq !== o.view.incarnation) return;
    this.unknown.delete(ref.orderId);
    if (o.view.acknowledged) return hooks.discrepancy(ref.orderId, `acknowledged order ${clientOrderId} is unknown at ${this.name}`);
    hooks.report(ref.orderId, 'rejected', { text: `not executed at ${this.name}: the order's answer was lost and ${this.name} has no such order` });
  }
}
