// Numbers and delivers events. To keep the hot path free of allocation, each event type has one event
// object that is refilled for every event of that type, and orders are passed as the live (pooled) order
// objects. Delivery is synchronous and in order; a listener that keeps anything must copy it before it
// returns (see copyEvent in event-copy.ts). A listener that throws does not break the core: the error is
// handed to the configured error handler and delivery continues.

import type { CancelReason, MarketPhase, RejectReason, Side, TradingStatus } from '../model/enums.js';
import type {
  AcceptedEvent,
  BookDeltaEvent,
  CancelledEvent,
  ExpiredEvent,
  IndicativeEvent,
  MassCancelDoneEvent,
  OrderView,
  PhaseEvent,
  RejectedEvent,
  ReplacedEvent,
  RestatedEvent,
  RoutedEvent,
  TradeEvent,
  TradingStatusEvent,
  TriggeredEvent,
  VenueEvent,
  VenueEventListener,
} from '../model/events.js';
import { Order } from './order.js';

export type ListenerErrorHandler = (error: unknown, event: VenueEvent) => void;

const NO_ORDER: OrderView = new Order();

export class EventBus {
  /** Sequence number of the last event emitted. */
  seq = 0;
  /** Sequence number and time of the command being applied (stamped on every event). */
  commandSeq = 0;
  time = 0;
  private listeners: VenueEventListener[] = [];
  private readonly onError: ListenerErrorHandler;

  private readonly accepted: AcceptedEvent = { type: 'accepted', seq: 0, commandSeq: 0, time: 0, order: NO_ORDER };
  private readonly rejected: RejectedEvent = {
    type: 'rejected', seq: 0, commandSeq: 0, time: 0, command: 'new', session: '', firm: '', account: '',
    clOrdId: '', origClOrdId: '', symbol: '', side: 1, sideCode: '', reason: 'other', text: '', ordRejReason: -1,
    cxlRejReason: -1, order: null,
  };
  private readonly trade: TradeEvent = {
    type: 'trade', seq: 0, commandSeq: 0, time: 0, auction: false, matchId: 0, symbol: '', price: 0, qty: 0, aggressorSide: 1,
    maker: NO_ORDER, taker: NO_ORDER,
  };
  private readonly cancelled: CancelledEvent = {
    type: 'cancelled', seq: 0, commandSeq: 0, time: 0, order: NO_ORDER, reason: 'user', requestId: '', text: '',
  };
  private readonly replaced: ReplacedEvent = {
    type: 'replaced', seq: 0, commandSeq: 0, time: 0, order: NO_ORDER, keptPriority: false,
  };
  private readonly expired: ExpiredEvent = { type: 'expired', seq: 0, commandSeq: 0, time: 0, order: NO_ORDER };
  private readonly triggered: TriggeredEvent = { type: 'triggered', seq: 0, commandSeq: 0, time: 0, order: NO_ORDER };
  private readonly restated: RestatedEvent = {
    type: 'restated', seq: 0, commandSeq: 0, time: 0, order: NO_ORDER, reason: 'iceberg-refresh',
  };
  private readonly massCancelDone: MassCancelDoneEvent = {
    type: 'massCancelDone', seq: 0, commandSeq: 0, time: 0, requestedBy: '', requestId: '', cancelled: 0,
  };
  private readonly bookDelta: BookDeltaEvent = {
    type: 'bookDelta', seq: 0, commandSeq: 0, time: 0, symbol: '', side: 1, price: 0, qty: 0, orderCount: 0,
  };
  private readonly routed: RoutedEvent = {
    type: 'routed', seq: 0, commandSeq: 0, time: 0, kind: 'new', order: NO_ORDER, route: '', price: 0, qty: 0, execId: '',
    requestId: '', reason: 'user', text: '',
  };
  private readonly tradingStatus: TradingStatusEvent = {
    type: 'tradingStatus', seq: 0, commandSeq: 0, time: 0, symbol: '', status: 'open', reason: '',
  };

  private readonly phase: PhaseEvent = {
    type: 'phase', seq: 0, commandSeq: 0, time: 0, symbol: '', phase: 'continuous', previous: 'continuous',
  };
  private readonly indicative: IndicativeEvent = {
    type: 'indicative', seq: 0, commandSeq: 0, time: 0, symbol: '', price: 0, volume: 0, imbalance: 0,
  };

  constructor(onError: ListenerErrorHandler) {
    this.onError = onError;
  }

  subscribe(listener: VenueEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  emitAccepted(order: OrderView): void {
    const e = this.accepted;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.order = order;
    this.deliver(e);
  }

  emitRejected(
    command: RejectedEvent['command'], session: string, firm: string, account: string, clOrdId: string,
    origClOrdId: string, symbol: string, side: Side | 0, reason: RejectReason, text: string, order: OrderView | null,
    sideCode = '', ordRejReason = -1, cxlRejReason = -1,
  ): void {
    const e = this.rejected;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.command = command;
    e.session = session;
    e.firm = firm;
    e.account = account;
    e.clOrdId = clOrdId;
    e.origClOrdId = origClOrdId;
    e.symbol = symbol;
    e.side = side;
    e.sideCode = sideCode;
    e.reason = reason;
    e.text = text;
    e.ordRejReason = ordRejReason;
    e.cxlRejReason = cxlRejReason;
    e.order = order;
    this.deliver(e);
  }

  emitTrade(
    matchId: number, symbol: string, price: number, qty: number, aggressorSide: Side, maker: OrderView, taker: OrderView, auction = false,
  ): void {
    const e = this.trade;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.auction = auction;
    e.matchId = matchId;
    e.symbol = symbol;
    e.price = price;
    e.qty = qty;
    e.aggressorSide = aggressorSide;
    e.maker = maker;
    e.taker = taker;
    this.deliver(e);
  }

  emitCancelled(order: OrderView, reason: CancelReason, requestId: string, text = ''): void {
    const e = this.cancelled;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.order = order;
    e.reason = reason;
    e.requestId = requestId;
    e.text = text;
    this.deliver(e);
  }

  /** A routed order's step (see RoutedEvent); fill fields 0/'' for the other kinds. */
  emitRouted(
    kind: RoutedEvent['kind'], order: OrderView, route: string, price: number, qty: number, execId: string,
    requestId: string, reason: CancelReason, text: string,
  ): void {
    const e = this.routed;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.kind = kind;
    e.order = order;
    e.route = route;
    e.price = price;
    e.qty = qty;
    e.execId = execId;
    e.requestId = requestId;
    e.reason = reason;
    e.text = text;
    this.deliver(e);
  }

  emitReplaced(order: OrderView, keptPriority: boolean): void {
    const e = this.replaced;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.order = order;
    e.keptPriority = keptPriority;
    this.deliver(e);
  }

  emitExpired(order: OrderView): void {
    const e = this.expired;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.order = order;
    this.deliver(e);
  }

  emitTriggered(order: OrderView): void {
    const e = this.triggered;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.order = order;
    this.deliver(e);
  }

  emitRestated(order: OrderView, reason: RestatedEvent['reason']): void {
    const e = this.restated;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.order = order;
    e.reason = reason;
    this.deliver(e);
  }

  emitMassCancelDone(requestedBy: string, requestId: string, cancelled: number): void {
    const e = this.massCancelDone;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.requestedBy = requestedBy;
    e.requestId = requestId;
    e.cancelled = cancelled;
    this.deliver(e);
  }

  emitBookDelta(symbol: string, side: Side, price: number, qty: number, orderCount: number): void {
    const e = this.bookDelta;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.symbol = symbol;
    e.side = side;
    e.price = price;
    e.qty = qty;
    e.orderCount = orderCount;
    this.deliver(e);
  }

  emitTradingStatus(symbol: string, status: TradingStatus, reason: string): void {
    const e = this.tradingStatus;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.symbol = symbol;
    e.status = status;
    e.reason = reason;
    this.deliver(e);
  }

  emitPhase(symbol: string, phase: MarketPhase, previous: MarketPhase): void {
    const e = this.phase;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.symbol = symbol;
    e.phase = phase;
    e.previous = previous;
    this.deliver(e);
  }

  emitIndicative(symbol: string, price: number, volume: number, imbalance: number): void {
    const e = this.indicative;
    e.seq = ++this.seq;
    e.commandSeq = this.commandSeq;
    e.time = this.time;
    e.symbol = symbol;
    e.price = price;
    e.volume = volume;
    e.imbalance = imbalance;
    this.deliver(e);
  }

  // The stamping above happens in each emit method, where the event's shape is known (one shape per
  // site); doing it here would make these stores megamorphic across the twelve event shapes.
  private deliver(e: VenueEvent): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(e);
      } catch (error) {
        this.onError(error, e);
      }
    }
  }
}
