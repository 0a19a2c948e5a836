// An in-process venue for the market data and trade capture tests: a real FixEngine acceptor on a loopback port, a
// real matching core whose events go to the market data service (and to an execution record when one is given),
// and a small Application that routes V and x to market data and AD to trade capture, as the gateway does.
// Counterparties' Reject(3) messages are recorded: a test ends by checking that there were none.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FixEngine,
  quickfixValidator,
  type Application,
  type FixMessageView,
  type InboundContext,
  type SessionHandle,
} from '../../../src/fix/index.js';
import { TradeCaptureService, type TradeCaptureOptions } from '../../../src/gateway/trade-capture.js';
import { TradingSessionStatusService } from '../../../src/gateway/trading-session-status.js';
import { MarketDataService, type MarketDataOptions } from '../../../src/marketdata/index.js';
import type { ExecutionRecord } from '../../../src/records/index.js';
import { Venue } from '../../../src/venue/index.js';
import type { NewOrderCommand, VenueCommand } from '../../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../../src/venue/model/enums.js';
import type { InstrumentSpec } from '../../../src/venue/model/instrument.js';
import { dictionary } from './dictionary.js';

function instrument(symbol: string, base: string, qtyDecimals: number): InstrumentSpec {
  return {
    symbol, baseAsset: base, quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals, tickSize: 1, lotSize: 1, minQty: 1,
    maxQty: 10 ** 12, minNotional: 0, priceBandPercent: 0, referencePrice: 0, status: 'open',
  };
}

/** BTCUSDT: tick 0.01, lot 0.00001. ETHUSDT: tick 0.01, lot 0.0001. */
export const BTCUSDT = instrument('BTCUSDT', 'BTC', 5);
export const ETHUSDT = instrument('ETHUSDT', 'ETH', 4);
export const INSTRUMENTS = [BTCUSDT, ETHUSDT];

/** Acceptor sessions (the members' CompIDs). */
const SESSIONS = ['MD1', 'MD2', 'MD3', 'COMP', 'BROKER1', 'BROKER2', 'AUDIT1'];

export interface HarnessOptions {
  md?: Partial<Omit<MarketDataOptions, 'queries' | 'instruments'>>;
  record?: ExecutionRecord;
  tc?: Partial<Omit<TradeCaptureOptions, 'record'>>;
  /** Firms each session may see in trade capture (by CompID). */
  entitlements?: Record<string, string[]>;
  /** Answer TradingSessionStatusRequest(g) and publish TradingSessionStatus(h), as the gateway does. */
  tradingSessions?: boolean;
}

export interface OrderSpec {
  side: Side;
  price: number;
  qty: number;
  symbol?: string;
  firm?: string;
  account?: string;
  session?: string;
  clOrdId?: string;
  time?: number;
}

export class VenueHarness implements Application {
  readonly venue: Venue;
  readonly md: MarketDataService;
  tc: TradeCaptureService | null = null;
  tss: TradingSessionStatusService | null = null;
  /** Reject(3) messages the clients sent back (a field the dictionary does not allow, a bad value...). */
  readonly clientRejects: string[] = [];
  time = Date.UTC(2025, 2, 4, 10, 0, 0);
  private engine: FixEngine | null = null;
  private dir = '';
  private ids = 0;
  private readonly entitlements: Record<string, string[]>;

  private constructor(private readonly options: HarnessOptions) {
    this.venue = new Venue({ instruments: INSTRUMENTS, stp: { defaultMode: StpMode.None, scope: 'account' } });
    this.md = new MarketDataService({ queries: this.venue, instruments: INSTRUMENTS, ...options.md });
    this.entitlements = options.entitlements ?? {};
    this.venue.subscribe(this.md.onEvent);
    if (options.tradingSessions) {
      // Session times as a calendar gives them (08:50 pre-open, 09:00 open, 16:30 pre-close, 16:35 close UTC).
      const day = Date.UTC(2025, 2, 4);
      const times = { start: day + 530 * 60_000, open: day + 540 * 60_000, preClose: day + 990 * 60_000, close: day + 995 * 60_000 };
      const tss = new TradingSessionStatusService({ tradingSessionId: '1', phase: () => this.venue.phase, times: () => times });
      this.tss = tss;
      this.venue.subscribe(tss.onEvent);
    }
    if (options.record) {
      this.venue.subscribe(options.record.onEvent);
      this.tc = new TradeCaptureService({ record: options.record, ...options.tc });
    }
  }

  static async start(options: HarnessOptions = {}): Promise<VenueHarness> {
    const h = new VenueHarness(options);
    h.dir = await mkdtemp(join(tmpdir(), 'md-venue-'));
    h.engine = await FixEngine.create(
      {
        sessionsDir: h.dir,
        acceptors: [
          {
            port: 0,
            host: '127.0.0.1',
            sessions: SESSIONS.map((id) => ({ beginString: 'FIX.4.4', senderCompId: 'VENUE', targetCompId: id, dictionary, messageLog: false, resetOnLogon: true })),
          },
        ],
      },
      h,
      quickfixValidator,
    );
    await h.engine.start();
    return h;
  }

  get port(): number {
    return this.engine!.acceptorPorts[0]!;
  }

  /** Replaces trade capture (a "restart" over a reopened record). */
  useRecord(record: ExecutionRecord, tc: Partial<Omit<TradeCaptureOptions, 'record'>> = {}): void {
    this.tc = new TradeCaptureService({ record, ...this.options.tc, ...tc });
  }

  // ---- Application

  fromApp(session: SessionHandle, view: FixMessageView, ctx: InboundContext): void {
    if (this.tss?.handle(session, view)) return;
    if (this.md.handle(session, view, ctx)) return;
    if (this.tc?.handle(session, view, ctx, this.entitlements[session.id.targetCompId] ?? [])) return;
    ctx.businessReject(3, `${view.msgType} is not handled by this harness`);
  }

  fromAdmin(_session: SessionHandle, view: FixMessageView): void {
    if (view.msgType === '3') this.clientRejects.push(view.toString());
  }

  onLogout(session: SessionHandle): void {
    this.md.onSessionGone(session.key);
    this.tc?.onSessionGone(session.key);
    this.tss?.onSessionGone(session.key);
  }

  // ---- venue

  apply(cmd: VenueCommand): void {
    this.venue.apply(cmd);
  }

  order(o: OrderSpec): NewOrderCommand {
    const n = ++this.ids;
    return {
      type: 'new', time: o.time ?? ++this.time, session: o.session ?? 'BROKER1', firm: o.firm ?? 'F1', account: o.account ?? 'A1',
      clOrdId: o.clOrdId ?? `c${n}`, symbol: o.symbol ?? 'BTCUSDT', side: o.side, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC,
      price: o.price, stopPx: 0, qty: o.qty, minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0, exDestination: '',
    };
  }

  /** Enters a limit order; returns its venue order id (0 when it did not rest or was refused). */
  place(o: OrderSpec): number {
    const cmd = this.order(o);
    this.venue.apply(cmd);
    return this.venue.orderByClOrdId(cmd.session, cmd.clOrdId)?.orderId ?? 0;
  }

  cancel(orderId: number): void {
    const o = this.venue.order(orderId);
    if (o === undefined) throw new Error(`order ${orderId} is not live`);
    this.venue.apply({
      type: 'cancel', time: ++this.time, session: o.session, firm: o.firm, account: o.account, clOrdId: `x${++this.ids}`,
      origClOrdId: o.clOrdId, orderId: 0, symbol: o.symbol, side: o.side,
    });
  }

  halt(symbol: string, reason: string): void {
    this.venue.apply({ type: 'halt', time: ++this.time, symbol, reason });
  }

  resume(symbol: string, reason: string): void {
    this.venue.apply({ type: 'resume', time: ++this.time, symbol, reason });
  }

  async stop(): Promise<void> {
    await this.engine?.stop(500);
    this.md.close();
    await this.tc?.idle();
    await rm(this.dir, { recursive: true, force: true });
  }
}
