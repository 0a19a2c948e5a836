// What the order router needs from an external route (a Binance account, another FIX venue), and what it gives
// the route in return. Adapters speak venue terms: they receive routed orders as the core holds them and answer
// with route reports, which the router journals as commands. They never see FIX sessions of members or events.

import type { Logger } from '../shared/logger.js';
import type { RouteReportCommand } from '../venue/model/commands.js';
import type { RoutedOrderView } from '../venue/core/queries.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';

export type RouteState = 'up' | 'degraded' | 'down';

export interface RouteHealth {
  state: RouteState;
  /** Why it is not up ('' when up). */
  reason: string;
}

/** Counters of one route, for ops (monotonic since start). */
export interface RouteCounters {
  /** New orders accepted for the route (including failovers onto it). */
  ordersRouted: number;
  /** New orders refused because the route was down and had no usable fallback. */
  refusedDown: number;
  /** New orders sent to the fallback because the route was down. */
  failedOver: number;
  fills: number;
  /** Requests whose outcome was unknown (5xx, -1007, timeouts), settled by querying. */
  outcomeUnknown: number;
  /** Orders checked against the external venue (at start, after reconnects, after unknown outcomes). */
  reconciled: number;
  /** Reports the external venue sent that did not fit the order (an overfill, a price off our scale). */
  discrepancies: number;
}

/** The fields of a route report an adapter fills in; the router adds type, time and route. */
export type RouteReport = Omit<RouteReportCommand, 'type' | 'time' | 'route' | 'orderId' | 'kind'>;

/** A routed order as an adapter gets it: the core's view (detached) and its instrument. */
export interface RoutedOrder {
  view: RoutedOrderView;
  spec: InstrumentSpec;
}

export interface AdapterHooks {
  /** Journals what the external venue said about an order (see RouteReportCommand). */
  report(orderId: number, kind: RouteReportCommand['kind'], fields?: Partial<RouteReport>): void;
  /** The live routed order, or undefined when it is done (read it fresh: reports may have changed it). */
  order(orderId: number): RoutedOrder | undefined;
  /** Every open order of this route (after a (re)connection: reconcile each, then re-drive pending requests). */
  openOrders(): RoutedOrder[];
  /** The route is (again) connected: the router reconciles its open orders and re-sends pending requests. */
  connected(): void;
  /** Something about an order needs another look later (an unknown outcome, a request that could not go out). */
  retryLater(orderId: number): void;
  /** A report that does not fit the order, or another fact ops must know about. */
  discrepancy(orderId: number, text: string): void;
  counters: RouteCounters;
  logger: Logger;
}

export interface RouteAdapter {
  readonly name: string;
  health(): RouteHealth;
  /** Connects in the background; resolves once the first attempt is decided (never rejects on a network error). */
  start(hooks: AdapterHooks): Promise<void>;
  stop(): Promise<void>;
  /** Sends a new order (called once per order, after the order is durable in the journal). */
  place(order: RoutedOrder): Promise<void>;
  /** Passes on the pending cancel (view.pending). */
  cancel(order: RoutedOrder): Promise<void>;
  /** Passes on the pending replace (view.pending). */
  replace(order: RoutedOrder): Promise<void>;
  /** Asks the external venue about the order and reports whatever the venue has not heard yet. */
  reconcile(order: RoutedOrder): Promise<void>;
}
