// The order router: decides where each new order goes (before the journal, so the decision replays), and drives
// routed orders at their external venues (after the journal, so nothing is sent that a crash could forget).
//
//   route(cmd)   the pipeline's hook: the order's route from config (instrument or ExDestination); a route that
//                is down sends it to the fallback when one is configured and usable, else refuses it at once with
//                a Text naming the route.
//   onEvent(e)   live events: a routed order accepted, or a cancel/replace of one made pending, wakes the order;
//                once the journal holds the command (durable()), its adapter is asked to act. Work on one order is
//                serialised; different orders proceed concurrently.
//   start()      every routed order already in the core is marked as sent (a restart never sends an order
//                twice); each adapter connects, and on every (re)connection the router reconciles the route's
//                open orders with the external venue and re-sends their pending cancels and replaces.
//
// Adapters answer with route reports, journaled as commands through the same pipeline, which the core turns into
// the standard events: the gateway, drop copy, risk and records see a routed order like any other.

import { LOCAL_ROUTE, type RoutingSettings } from '../config/routing-section.js';
import type { Logger } from '../shared/logger.js';
import { copyOrder } from '../venue/event-copy.js';
import type { RoutedOrderView } from '../venue/core/queries.js';
import type { NewOrderCommand, RejectCommand, RouteReportCommand, VenueCommand } from '../venue/model/commands.js';
import { RejectReason } from '../venue/model/enums.js';
import type { VenueEvent } from '../venue/model/events.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { refusedCommand, type OrderRouter as PipelineRouter } from '../venue/pipeline/order-pipeline.js';
import type { AdapterHooks, RouteAdapter, RouteCounters, RoutedOrder, RouteHealth, RouteReport } from './route-adapter.js';
import { RouteTable } from './route-table.js';

/** What the router needs of the running venue. */
export interface RouterVenue {
  /** Submits a command through the order pipeline (route reports). */
  submit(cmd: VenueCommand): void;
  routedOrder(orderId: number): RoutedOrderView | undefined;
  routedOrders(route?: string): RoutedOrderView[];
  /** Resolves once every command applied so far is durable in the journal. */
  durable(): Promise<void>;
}

export interface OrderRouterOptions {
  settings: RoutingSettings;
  /** The routes; may also be attached later (before start), once they can be built. */
  adapters?: RouteAdapter[];
  instruments: readonly InstrumentSpec[];
  venue: RouterVenue;
  logger: Logger;
  now?: () => number;
}

export interface RouteStatus extends RouteHealth {
  name: string;
}

interface Dispatched {
  /** The new order went out (or the order predates this process: never send it again). */
  placed: boolean;
  /** Command seq of the last pending request passed on. */
  request: number;
}

const RETRY_FLOOR_MS = 50;

function newCounters(): RouteCounters {
  return { ordersRouted: 0, refusedDown: 0, failedOver: 0, fills: 0, outcomeUnknown: 0, reconciled: 0, discrepancies: 0 };
}

export class OrderRouter implements PipelineRouter {
  private readonly table: RouteTable;
  private readonly adapters = new Map<string, RouteAdapter>();
  private readonly counters = new Map<string, RouteCounters>();
  private readonly retryMs = new Map<string, number>();
  private readonly specs: ReadonlyMap<string, InstrumentSpec>;
  private readonly venue: RouterVenue;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly dispatched = new Map<number, Dispatched>();
  private readonly chains = new Map<number, Promise<void>>();
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private due: number[] = [];
  private flushScheduled = false;
  private stopped = false;

  constructor(options: OrderRouterOptions) {
    this.table = new RouteTable(options.settings);
    this.venue = options.venue;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.specs = new Map(options.instruments.map((s) => [s.symbol, s]));
    this.attach(options.adapters ?? []);
    for (const r of options.settings.routes) this.retryMs.set(r.name, Math.max(RETRY_FLOOR_MS, r.reconcileIntervalMs));
  }

  /** Adds routes (before start). */
  attach(adapters: readonly RouteAdapter[]): void {
    for (const a of adapters) {
      this.adapters.set(a.name, a);
      this.countersOf(a.name);
    }
  }

  // ------------------------------------------------------------------ deciding (inside the pipeline)

  route(cmd: NewOrderCommand): NewOrderCommand | RejectCommand {
    if (this.table.allLocal) return cmd;
    const choice = this.table.choose(cmd);
    if (choice === null) return cmd;
    if ('unknown' in choice) {
      return refusedCommand(cmd, { reason: RejectReason.Unsupported, ordRejReason: -1, cxlRejReason: -1, text: choice.unknown });
    }
    const primary = this.usable(choice.route);
    if (primary === null) return this.routedTo(cmd, choice.route);
    if (choice.fallback !== null) {
      const fallback = this.usable(choice.fallback);
      if (fallback === null) {
        this.countersOf(choice.route).failedOver++;
        this.logger.warn('route down: order sent to the fallback', { route: choice.route, fallback: choice.fallback, clOrdId: cmd.clOrdId, reason: primary });
        return this.routedTo(cmd, choice.fallback);
      }
      this.countersOf(choice.route).refusedDown++;
      const text = `route ${choice.route} is down (${primary}); fallback ${choice.fallback} is down too (${fallback})`;
      return refusedCommand(cmd, { reason: RejectReason.RouteDown, ordRejReason: -1, cxlRejReason: -1, text });
    }
    this.countersOf(choice.route).refusedDown++;
    return refusedCommand(cmd, { reason: RejectReason.RouteDown, ordRejReason: -1, cxlRejReason: -1, text: `route ${choice.route} is down (${primary})` });
  }

  /** null when the route can take an order now, else why not. */
  private usable(route: string): string | null {
    if (route === LOCAL_ROUTE) return null;
    const adapter = this.adapters.get(route);
    if (adapter === undefined) return 'no such route';
    const h = adapter.health();
    return h.state === 'down' ? h.reason : null;
  }

  private routedTo(cmd: NewOrderCommand, route: string): NewOrderCommand {
    if (route === LOCAL_ROUTE) return cmd;
    this.countersOf(route).ordersRouted++;
    return { ...cmd, route };
  }

  // ------------------------------------------------------------------ driving (after the journal)

  /** Subscribe to the journaled venue's live events (not replayed ones). Never throws. */
  readonly onEvent = (e: VenueEvent): void => {
    switch (e.type) {
      case 'accepted':
        if (e.order.route) this.wake(e.order.orderId);
        return;
      case 'routed':
        if (e.kind === 'pendingCancel' || e.kind === 'pendingReplace') this.wake(e.order.orderId);
        else if (e.kind === 'fill') this.countersOf(e.route).fills++;
        if (e.order.leavesQty === 0) this.forget(e.order.orderId);
        return;
      case 'cancelled':
      case 'expired':
      case 'replaced':
        if (e.order.route && e.order.leavesQty === 0) this.forget(e.order.orderId);
        return;
      default:
        return;
    }
  };

  private forget(orderId: number): void {
    this.dispatched.delete(orderId);
    const timer = this.retryTimers.get(orderId);
    if (timer !== undefined) clearTimeout(timer);
    this.retryTimers.delete(orderId);
  }

  private wake(orderId: number): void {
    this.due.push(orderId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => void this.flush());
  }

  /** Waits until the journal holds what woke the orders, then lets each order's adapter act. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const ids = this.due;
    this.due = [];
    try {
      await this.venue.durable();
    } catch (err) {
      this.logger.error('routing: journal not durable; nothing sent to external routes', { reason: (err as Error).message, orders: ids.length });
      return;
    }
    for (const id of ids) this.enqueue(id, () => this.drive(id));
  }

  /** Runs work for one order after the work already queued for it. */
  private enqueue(orderId: number, work: () => Promise<void>): void {
    if (this.stopped) return;
    const prev = this.chains.get(orderId) ?? Promise.resolve();
    const next: Promise<void> = prev
      .then(work)
      .catch((err: unknown) => this.logger.error('routing: order work failed', { orderId, reason: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        if (this.chains.get(orderId) === next) this.chains.delete(orderId);
      });
    this.chains.set(orderId, next);
  }

  private dispatchState(orderId: number): Dispatched {
    let d = this.dispatched.get(orderId);
    if (d === undefined) {
      d = { placed: false, request: 0 };
      this.dispatched.set(orderId, d);
    }
    return d;
  }

  /** Does whatever the order's state asks for and has not been done: send it, pass on its pending request. */
  private async drive(orderId: number): Promise<void> {
    const first = this.orderOf(orderId);
    if (first === undefined) return this.forget(orderId);
    const adapter = this.adapters.get(first.view.route);
    if (adapter === undefined) return;
    const d = this.dispatchState(orderId);
    if (!d.placed) {
      d.placed = true;
      await adapter.place(first);
    }
    const o = this.orderOf(orderId);
    const p = o?.view.pending;
    if (o === undefined || p === null || p === undefined || p.requestSeq === d.request) return;
    d.request = p.requestSeq;
    if (p.kind === 'cancel') await adapter.cancel(o);
    else await adapter.replace(o);
  }

  /** Checks an order with its venue, then re-sends its pending request (after a reconnect or an unknown outcome). */
  private async recoverOrder(orderId: number): Promise<void> {
    const o = this.orderOf(orderId);
    if (o === undefined) return this.forget(orderId);
    const adapter = this.adapters.get(o.view.route);
    if (adapter === undefined) return;
    this.countersOf(o.view.route).reconciled++;
    await adapter.reconcile(o);
    const d = this.dispatchState(orderId);
    d.placed = true;
    d.request = 0;
    await this.drive(orderId);
  }

  private orderOf(orderId: number): RoutedOrder | undefined {
    const view = this.venue.routedOrder(orderId);
    if (view === undefined) return undefined;
    const spec = this.specs.get(view.order.symbol);
    if (spec === undefined) return undefined;
    return { view: { ...view, order: copyOrder(view.order) }, spec };
  }

  // ------------------------------------------------------------------ lifecycle

  /** Starts the adapters (after the journal has been replayed). Orders already in the core are never re-sent. */
  async start(): Promise<void> {
    for (const v of this.venue.routedOrders()) {
      this.dispatched.set(v.order.orderId, { placed: true, request: 0 });
      if (!this.adapters.has(v.route)) {
        this.logger.error('routing: an open order is on a route that is no longer configured', { orderId: v.order.orderId, route: v.route });
      }
    }
    await Promise.all([...this.adapters.values()].map((a) => a.start(this.hooksFor(a))));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    await Promise.allSettled([...this.chains.values()]);
    await Promise.allSettled([...this.adapters.values()].map((a) => a.stop()));
  }

  /** Route health for ops (/ready, metrics, dashboard). */
  routes(): RouteStatus[] {
    return [...this.adapters.values()].map((a) => ({ name: a.name, ...a.health() }));
  }

  /** Counters per route for ops (monotonic since start). */
  routeCounters(): Record<string, RouteCounters> {
    return Object.fromEntries([...this.counters].map(([name, c]) => [name, { ...c }]));
  }

  private countersOf(route: string): RouteCounters {
    let c = this.counters.get(route);
    if (c === undefined) {
      c = newCounters();
      this.counters.set(route, c);
    }
    return c;
  }

  private hooksFor(adapter: RouteAdapter): AdapterHooks {
    const route = adapter.name;
    const logger = this.logger.child({ route });
    return {
      counters: this.countersOf(route),
      logger,
      report: (orderId, kind, fields) => this.report(route, orderId, kind, fields),
      order: (orderId) => this.orderOf(orderId),
      openOrders: () => this.openOrders(route),
      connected: () => {
        for (const o of this.openOrders(route)) this.enqueue(o.view.order.orderId, () => this.recoverOrder(o.view.order.orderId));
      },
      retryLater: (orderId) => this.retryLater(route, orderId),
      discrepancy: (orderId, text) => {
        this.countersOf(route).discrepancies++;
        logger.error('routing: external report does not fit the order', { orderId, reason: text });
      },
    };
  }

  private openOrders(route: string): RoutedOrder[] {
    const out: RoutedOrder[] = [];
    for (const v of this.venue.routedOrders(route)) {
      const o = this.orderOf(v.order.orderId);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  private retryLater(route: string, orderId: number): void {
    if (this.stopped || this.retryTimers.has(orderId)) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(orderId);
      this.enqueue(orderId, () => this.recoverOrder(orderId));
    }, this.retryMs.get(route) ?? 1000);
    timer.unref();
    this.retryTimers.set(orderId, timer);
  }

  /** Journals an adapter's report. Never throws: adapters call it from socket and stream handlers. */
  private report(route: string, orderId: number, kind: RouteReportCommand['kind'], fields: Partial<RouteReport> = {}): void {
    if (this.stopped) return;
    try {
      this.submitReport(route, orderId, kind, fields);
    } catch (err) {
      this.logger.error('routing: report could not be applied', { route, orderId, kind, reason: err instanceof Error ? err.message : String(err) });
    }
  }

  private submitReport(route: string, orderId: number, kind: RouteReportCommand['kind'], fields: Partial<RouteReport>): void {
    this.venue.submit({
      type: 'routeReport',
      time: this.now(),
      route,
      orderId,
      kind,
      externalOrderId: fields.externalOrderId ?? '',
      execId: fields.execId ?? '',
      price: fields.price ?? 0,
      qty: fields.qty ?? 0,
      cancelReason: fields.cancelReason ?? '',
      text: fields.text ?? '',
      baseQty: fields.baseQty ?? 0,
    });
  }
}
