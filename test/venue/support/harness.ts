// Test harness: a venue with one or two instruments, command builders with sensible defaults, and a log
// of copied events.

import { Venue } from '../../../src/venue/core/venue.js';
import type { VenueConfig } from '../../../src/venue/config.js';
import { copyEvent } from '../../../src/venue/event-copy.js';
import type {
  CancelCommand,
  MassCancelCommand,
  NewOrderCommand,
  ReplaceCommand,
  VenueCommand,
} from '../../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../../src/venue/model/enums.js';
import type { OrderView, VenueEvent } from '../../../src/venue/model/events.js';
import type { InstrumentSpec } from '../../../src/venue/model/instrument.js';

/** Prices in cents (tick 1 cent = 1), quantities in whole units with lot 1 unless a test says otherwise. */
export function spec(overrides: Partial<InstrumentSpec> = {}): InstrumentSpec {
  return {
    symbol: 'ABC',
    baseAsset: 'ABC',
    quoteAsset: 'USD',
    priceDecimals: 2,
    qtyDecimals: 0,
    tickSize: 1,
    lotSize: 1,
    minQty: 1,
    maxQty: 1_000_000,
    minNotional: 0,
    priceBandPercent: 0,
    referencePrice: 0,
    status: 'open',
    ...overrides,
  };
}

export type NewOpts = Partial<Omit<NewOrderCommand, 'type'>>;

export class Harness {
  readonly venue: Venue;
  readonly events: VenueEvent[] = [];
  time = 1_000;
  private nextId = 0;

  constructor(config: Partial<VenueConfig> = {}) {
    this.venue = new Venue({
      instruments: config.instruments ?? [spec()],
      stp: config.stp ?? { defaultMode: StpMode.None, scope: 'account' },
      ...(config.onListenerError ? { onListenerError: config.onListenerError } : {}),
    });
    this.venue.subscribe((e) => this.events.push(copyEvent(e)));
  }

  apply(cmd: VenueCommand): VenueEvent[] {
    const from = this.events.length;
    this.venue.apply(cmd);
    return this.events.slice(from);
  }

  newOrder(o: NewOpts = {}): NewOrderCommand {
    return {
      type: 'new',
      time: o.time ?? ++this.time,
      session: o.session ?? 'S1',
      firm: o.firm ?? 'F1',
      account: o.account ?? `A${++this.nextId}`,
      clOrdId: o.clOrdId ?? `c${++this.nextId}`,
      symbol: o.symbol ?? 'ABC',
      side: o.side ?? Side.Buy,
      ordType: o.ordType ?? OrdType.Limit,
      timeInForce: o.timeInForce ?? TimeInForce.GTC,
      price: o.price ?? 100,
      stopPx: o.stopPx ?? 0,
      qty: o.qty ?? 10,
      minQty: o.minQty ?? 0,
      maxFloor: o.maxFloor ?? 0,
      postOnly: o.postOnly ?? false,
      expireTime: o.expireTime ?? 0,
      exDestination: o.exDestination ?? '',
    };
  }

  /** Applies a new order and returns its events. */
  submit(o: NewOpts = {}): VenueEvent[] {
    return this.apply(this.newOrder(o));
  }

  buy(price: number, qty: number, o: NewOpts = {}): VenueEvent[] {
    return this.submit({ side: Side.Buy, price, qty, ...o });
  }

  sell(price: number, qty: number, o: NewOpts = {}): VenueEvent[] {
    return this.submit({ side: Side.Sell, price, qty, ...o });
  }

  cancel(order: OrderView, o: Partial<Omit<CancelCommand, 'type'>> = {}): VenueEvent[] {
    return this.apply({
      type: 'cancel', time: ++this.time, session: order.session, firm: order.firm, account: order.account,
      clOrdId: `x${++this.nextId}`, origClOrdId: order.clOrdId, orderId: 0, symbol: order.symbol, side: order.side, ...o,
    });
  }

  replace(order: OrderView, o: Partial<Omit<ReplaceCommand, 'type'>> = {}): VenueEvent[] {
    return this.apply({
      type: 'replace', time: ++this.time, session: order.session, firm: order.firm, account: order.account,
      clOrdId: `r${++this.nextId}`, origClOrdId: order.clOrdId, orderId: 0, symbol: order.symbol, side: order.side,
      ordType: order.ordType, timeInForce: order.timeInForce, price: order.price, stopPx: order.stopPx, qty: order.qty,
      maxFloor: order.maxFloor, expireTime: order.expireTime, ...o,
    });
  }

  massCancel(o: Partial<Omit<MassCancelCommand, 'type'>> = {}): VenueEvent[] {
    return this.apply({
      type: 'massCancel', time: ++this.time, requestedBy: 'S1', requestId: `m${++this.nextId}`, firm: '', account: '',
      session: '', symbol: '', side: 0, reason: 'user', ...o,
    });
  }

  /** The live order (a live reference, valid until the next command). */
  live(orderId: number): OrderView {
    const o = this.venue.order(orderId);
    if (o === undefined) throw new Error(`order ${orderId} is not live`);
    return o;
  }

  /** Book as [price, visibleQty, count] per level, best first. */
  levels(side: Side, symbol = 'ABC'): Array<[number, number, number]> {
    const b = this.venue.book(symbol)!;
    return (side === Side.Buy ? b.bids : b.asks).map((l) => [l.price, l.qty, l.orderCount]);
  }

  /** Order ids per level, best first, queue order. */
  queue(side: Side, symbol = 'ABC'): number[][] {
    return this.venue.levelOrders(symbol, side).map((row) => row.map((o) => o.orderId));
  }
}

/** Events of one type, narrowed. */
export function ofType<T extends VenueEvent['type']>(events: VenueEvent[], type: T): Array<Extract<VenueEvent, { type: T }>> {
  return events.filter((e): e is Extract<VenueEvent, { type: T }> => e.type === type);
}

/** The single event of a type, or a failure. */
export function only<T extends VenueEvent['type']>(events: VenueEvent[], type: T): Extract<VenueEvent, { type: T }> {
  const found = ofType(events, type);
  if (found.length !== 1) throw new Error(`expected one ${type} event, got ${found.length}: ${events.map((e) => e.type).join(',')}`);
  return found[0]!;
}

export function accepted(events: VenueEvent[]): OrderView {
  return only(events, 'accepted').order;
}
