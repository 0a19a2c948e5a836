// The FIX application of the venue: plugs into the FIX engine as its Application, dispatches each member's
// messages by the session's role, and turns venue events into reports. It holds no order state of its own:
// the book (rebuilt from the journal) is the truth, so a restart loses nothing here.
//
//   order-entry   D F G H q AF → venue commands and status answers; V x → market data; g → trading session
//                 status; AD → own firm's trades
//   drop-copy     receives copies of every ExecutionReport/OrderCancelReject of its firms; AD → trade capture
//   market-data   V x → market data; g → trading session status
// Anything else gets a BusinessMessageReject naming the reason.

import {
  BusinessRejectReason,
  MsgType,
  type Application,
  type FixMessageView,
  type InboundContext,
  type SessionHandle,
} from '../fix/index.js';
import type { Logger } from '../shared/logger.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import type { VenueEvent } from '../venue/model/events.js';
import type { FirmSettings, VenueSettings } from '../config/settings.js';
import { MassCancelReports } from './order-entry/mass-cancel-reports.js';
import { OrderEntryHandler } from './order-entry/order-entry-handler.js';
import { StatusReporter, type DoneOrderLookup } from './order-entry/status-reporter.js';
import { ReportPublisher } from './reports/report-publisher.js';
import { owedTo, type ReportHead } from './report-catch-up.js';
import { SessionDirectory, type SessionEntry } from './session-directory.js';
import { SessionThrottle, ThrottleVerdict } from './throttle.js';
import type { VenuePort } from './venue-port.js';

/** Market data subscriptions (src/marketdata). */
export interface MarketDataHandler {
  handle(session: SessionHandle, view: FixMessageView, ctx: InboundContext): boolean;
  onEvent(e: VenueEvent): void;
  onSessionGone(sessionKey: string): void;
}

/** Trade capture (TradeCaptureReportRequest) over the durable record; firms = the ones the session may see. */
export interface TradeCaptureHandler {
  handle(session: SessionHandle, view: FixMessageView, ctx: InboundContext, firms: readonly string[]): boolean;
  onSessionGone(sessionKey: string): void;
}

/** TradingSessionStatusRequest(g) and the unsolicited TradingSessionStatus(h) (trading-session-status.ts). */
export interface TradingSessionHandler {
  handle(session: SessionHandle, view: FixMessageView): boolean;
  onEvent(e: VenueEvent): void;
  onSessionGone(sessionKey: string): void;
}

/** Order-entry messages a drop-copy or market-data session may not send. */
const ORDER_MESSAGES = new Set<string>([
  MsgType.NewOrderSingle,
  MsgType.OrderCancelRequest,
  MsgType.OrderCancelReplaceRequest,
  MsgType.OrderStatusRequest,
  MsgType.OrderMassCancelRequest,
  MsgType.OrderMassStatusRequest,
]);

export interface GatewayOptions {
  settings: Pick<VenueSettings, 'sessions' | 'firms' | 'instruments' | 'compId'>;
  venue: VenuePort;
  logger: Logger;
  marketData?: MarketDataHandler;
  tradeCapture?: TradeCaptureHandler;
  doneOrders?: DoneOrderLookup;
  tradingSessions?: TradingSessionHandler;
}

export class Gateway implements Application {
  readonly directory: SessionDirectory;
  private readonly instruments: ReadonlyMap<string, InstrumentSpec>;
  private readonly orderEntry: OrderEntryHandler;
  private readonly reports: ReportPublisher;
  private readonly throttles = new Map<string, SessionThrottle>();
  private readonly allFirms: string[];
  private readonly logger: Logger;
  private readonly venue: VenuePort;
  private marketData: MarketDataHandler | null;
  private readonly tradeCapture: TradeCaptureHandler | null;
  private readonly tradingSessions: TradingSessionHandler | null;

  constructor(options: GatewayOptions) {
    const { settings } = options;
    this.logger = options.logger;
    this.venue = options.venue;
    this.marketData = options.marketData ?? null;
    this.tradeCapture = options.tradeCapture ?? null;
    this.tradingSessions = options.tradingSessions ?? null;
    this.directory = new SessionDirectory(settings);
    this.instruments = new Map(settings.instruments.map((i) => [i.symbol, i]));
    this.allFirms = settings.firms.map((f) => f.id);
    const massCancels = new MassCancelReports(this.directory);
    this.orderEntry = new OrderEntryHandler(
      options.venue,
      this.instruments,
      new StatusReporter(options.venue.queries, this.instruments, options.doneOrders ?? null),
      massCancels,
    );
    this.reports = new ReportPublisher(this.directory, this.instruments, massCancels, (session, error) => {
      this.logger.error('cannot send report: session store failed', { session, reason: error.message });
    });
    for (const s of settings.sessions) {
      if (s.throttle.messagesPerSecond > 0) this.throttles.set(s.id, new SessionThrottle(s.throttle));
    }
  }

  /**
   * Plugs in market data once the book it mirrors exists (after the journal replay, before the FIX sessions
   * open).
   */
  useMarketData(handler: MarketDataHandler): void {
    this.marketData = handler;
  }

  /** Every venue event, live (synchronously, in order). */
  readonly onEvent = (e: VenueEvent): void => {
    this.reports.onEvent(e);
    this.marketData?.onEvent(e);
    this.tradingSessions?.onEvent(e);
  };

  /**
   * After a crash: stores again, for the sessions whose stores lack them, the reports of replayed events (see
   * report-catch-up.ts). Call after the journal replay, before the sessions log on. Returns the reports stored.
   */
  catchUpReports(events: readonly VenueEvent[], heads: ReadonlyMap<string, ReportHead>): number {
    let stored = 0;
    try {
      for (const e of events) {
        // A mass cancel's own report answers a request only the crashed process knew; its cancels are reported.
        if (e.type === 'massCancelDone' || e.type === 'bookDelta') continue;
        this.reports.deliverOnly = (id, execId) => {
          const owed = owedTo(e, heads.get(id), execId);
          if (owed) stored++;
          return owed;
        };
        this.reports.onEvent(e);
      }
    } finally {
      this.reports.deliverOnly = null;
    }
    return stored;
  }

  /** Sessions that receive reports (their stores are what the catch-up reads). */
  reportedSessions(): string[] {
    return [...this.directory.all()].filter((e) => e.settings.role !== 'market-data').map((e) => e.settings.id);
  }

  onCreate(session: SessionHandle): void {
    this.directory.attach(session.id.targetCompId, session);
  }

  onLogon(session: SessionHandle): void {
    this.throttles.get(session.id.targetCompId)?.reset();
    this.logger.info('session logged on', { session: session.id.targetCompId, remote: session.remoteAddress ?? '' });
  }

  onLogout(session: SessionHandle, reason: string): void {
    const id = session.id.targetCompId;
    this.logger.info('session logged out', { session: id, reason });
    this.marketData?.onSessionGone(session.key);
    this.tradeCapture?.onSessionGone(session.key);
    this.tradingSessions?.onSessionGone(session.key);
    const entry = this.directory.get(id);
    if (entry && entry.settings.role === 'order-entry' && entry.settings.cancelOnDisconnect) {
      // The cancels are reported to the session's store (it sees them on its next logon) and to drop copy.
      this.venue.submit({
        type: 'massCancel',
        time: Date.now(),
        requestedBy: 'venue',
        requestId: '',
        firm: '',
        account: '',
        session: id,
        symbol: '',
        side: 0,
        reason: 'disconnect',
      });
    }
  }

  onStoreError(session: SessionHandle, error: Error): void {
    this.logger.error('FIX session store failed; session disconnected', { session: session.id.targetCompId, reason: error.message });
  }

  fromApp(session: SessionHandle, view: FixMessageView, ctx: InboundContext): void {
    const entry = this.directory.get(session.id.targetCompId);
    if (entry === undefined) {
      ctx.businessReject(BusinessRejectReason.NotAuthorized, 'session is not configured on this venue');
      return;
    }
    switch (entry.settings.role) {
      case 'order-entry':
        this.fromOrderEntry(entry, session, view, ctx);
        return;
      case 'drop-copy':
        if (view.msgType === MsgType.TradeCaptureReportRequest && this.tradeCapture) {
          this.tradeCapture.handle(session, view, ctx, this.entitledFirms(entry));
        } else if (ORDER_MESSAGES.has(view.msgType)) {
          ctx.businessReject(BusinessRejectReason.NotAuthorized, 'a drop-copy session may not send orders');
        } else if (!this.marketDataFrom(entry, session, view, ctx)) {
          this.unsupported(view, ctx, 'drop-copy');
        }
        return;
      case 'market-data':
        if (ORDER_MESSAGES.has(view.msgType)) {
          ctx.businessReject(BusinessRejectReason.NotAuthorized, 'a market-data session may not send orders');
        } else if (!this.marketDataFrom(entry, session, view, ctx)) {
          this.unsupported(view, ctx, 'market-data');
        }
        return;
    }
  }

  private fromOrderEntry(entry: SessionEntry, session: SessionHandle, view: FixMessageView, ctx: InboundContext): void {
    const firm = entry.firm as FirmSettings;
    const origin = { settings: entry.settings, firm };
    const throttle = this.throttles.get(entry.settings.id);
    if (throttle !== undefined) {
      const verdict = throttle.admit(Date.now());
      if (verdict !== ThrottleVerdict.Allow) {
        this.orderEntry.refuseThrottled(origin, view, ctx, throttle.limit);
        if (verdict === ThrottleVerdict.LogOut) {
          this.logger.warn('session logged out for sustained message rate abuse', { session: entry.settings.id, limit: throttle.limit });
          session.logout(`message rate above ${throttle.limit}/s for too long`);
        }
        return;
      }
    }
    if (this.orderEntry.handle(origin, session, view, ctx)) return;
    if (view.msgType === MsgType.TradeCaptureReportRequest && this.tradeCapture) {
      this.tradeCapture.handle(session, view, ctx, [firm.id]);
      return;
    }
    if (this.marketDataFrom(entry, session, view, ctx)) return;
    this.unsupported(view, ctx, 'order-entry');
  }

  /** Market data and the trading session status: what order-entry and market-data sessions may both ask. */
  private marketDataFrom(_entry: SessionEntry, session: SessionHandle, view: FixMessageView, ctx: InboundContext): boolean {
    if (this.tradingSessions !== null && this.tradingSessions.handle(session, view)) return true;
    return this.marketData !== null && this.marketData.handle(session, view, ctx);
  }

  private entitledFirms(entry: SessionEntry): readonly string[] {
    return entry.settings.entitledFirms.includes('*') ? this.allFirms : entry.settings.entitledFirms;
  }

  private unsupported(view: FixMessageView, ctx: InboundContext, role: string): void {
    ctx.businessReject(BusinessRejectReason.UnsupportedMessageType, `Unsupported Message Type ${view.msgType} for a ${role} session`);
  }
}
