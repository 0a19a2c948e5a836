// The state shared by the command handlers and the matcher: instruments, live-order indexes, id
// counters, the order pool and the event bus. Nothing here does I/O or reads a clock.

import { DEFAULT_STP, type StpConfig, type VenueConfig } from '../config.js';
import { MarketPhase, StpMode, TimeInForce } from '../model/enums.js';
import type { VenueEvent } from '../model/events.js';
import { EventBus } from './event-bus.js';
import { ClOrdIdIndex } from './clordid-index.js';
import { InstrumentBook } from './instrument-book.js';
import { Order, OrderPool } from './order.js';
import { OrderIdTable } from './order-slots.js';
import { RoutedOrders } from './routed-orders.js';

export class CoreState {
  readonly bus: EventBus;
  readonly pool = new OrderPool(1024);
  readonly instruments: InstrumentBook[] = [];
  readonly bySymbol = new Map<string, InstrumentBook>();
  /** Live orders by order id. */
  readonly orders = new OrderIdTable();
  /** Live orders by session and ClOrdID. */
  readonly clOrdIds = new ClOrdIdIndex();
  /** Live GTD orders (scanned by time commands). */
  readonly gtd = new Map<number, Order>();
  readonly stpScopeFirm: boolean;
  readonly stpDefault: StpMode;
  readonly stpAccounts = new Map<string, StpMode>();
  /** Orders sent to external venues (in the order table, never in a book). */
  readonly routed: RoutedOrders = new RoutedOrders(this);

  /** The venue-wide phase of the trading day (the last phase command for every instrument). */
  venuePhase: MarketPhase = MarketPhase.Continuous;
  /** Trading date of the last venue-wide phase command ('' before any), and the last date ended by endOfDay. */
  tradeDate = '';
  endedTradeDate = '';
  /** Instruments in a call phase now (kept by AuctionCall): outside calls no command pays for indicatives. */
  callBooks = 0;
  commandSeq = 0;
  lastOrderId = 0;
  lastMatchId = 0;
  lastPriority = 0;
  listenerErrors = 0;
  lastListenerError: unknown = null;

  constructor(config: VenueConfig) {
    const onError = config.onListenerError;
    this.bus = new EventBus((error: unknown, event: VenueEvent) => {
      this.listenerErrors++;
      this.lastListenerError = error;
      if (onError !== undefined) onError(error, event);
    });
    const stp: StpConfig = config.stp ?? DEFAULT_STP;
    this.stpScopeFirm = stp.scope === 'firm';
    this.stpDefault = stp.defaultMode;
    for (const [account, mode] of Object.entries(stp.accounts ?? {})) this.stpAccounts.set(account, mode);
    for (const spec of config.instruments) {
      if (this.bySymbol.has(spec.symbol)) throw new Error(`venue config: instrument ${spec.symbol} is listed twice`);
      checkSpec(spec.symbol, spec);
      const book = new InstrumentBook(spec, this.instruments.length);
      this.instruments.push(book);
      this.bySymbol.set(spec.symbol, book);
    }
  }

  /** Every live order, in order-id order (deterministic; for mass cancel, end of day and queries). */
  liveOrdersById(): Order[] {
    const out: Order[] = [];
    this.orders.forEach((o) => out.push(o));
    return out.sort((a, b) => a.orderId - b.orderId);
  }

  stpModeOf(account: string): StpMode {
    const mode = this.stpAccounts.get(account);
    return mode === undefined ? this.stpDefault : mode;
  }

  /** Registers a newly accepted order in the live indexes (clHash: its ClOrdID hash, when known). */
  index(order: Order, clHash?: number): void {
    this.orders.add(order);
    this.clOrdIds.add(order, clHash);
    if (order.timeInForce === TimeInForce.GTD) this.gtd.set(order.orderId, order);
  }

  /** Removes a done order from the indexes and returns it to the pool. It must already be out of the book. */
  finish(order: Order): void {
    this.orders.remove(order);
    this.clOrdIds.remove(order);
    if (order.timeInForce === TimeInForce.GTD) this.gtd.delete(order.orderId);
    this.pool.release(order);
  }
}

function checkSpec(symbol: string, spec: VenueConfig['instruments'][number]): void {
  const positive: Array<keyof typeof spec> = ['tickSize', 'lotSize'];
  for (const key of positive) {
    const v = spec[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw new Error(`venue config: instrument ${symbol}: ${String(key)} must be a positive integer (scaled), got ${String(v)}`);
    }
  }
  const nonNegative: Array<keyof typeof spec> = ['minQty', 'maxQty', 'minNotional', 'referencePrice', 'priceDecimals', 'qtyDecimals'];
  for (const key of nonNegative) {
    const v = spec[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new Error(`venue config: instrument ${symbol}: ${String(key)} must be a non-negative integer, got ${String(v)}`);
    }
  }
  if (!(spec.priceBandPercent >= 0 && spec.priceBandPercent < 100)) {
    throw new Error(`venue config: instrument ${symbol}: priceBandPercent must be in [0, 100), got ${spec.priceBandPercent}`);
  }
  if (spec.status !== 'open' && spec.status !== 'halted' && spec.status !== 'closed') {
    throw new Error(`venue config: instrument ${symbol}: status must be open, halted or closed, got ${String(spec.status)}`);
  }
}
