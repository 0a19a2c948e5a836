// Trade capture (compliance pull): TradeCaptureReportRequest(AD) -> TradeCaptureReportRequestAck(AQ), then one
// TradeCaptureReport(AE) per trade, read from the durable execution record so trades from before a restart are
// included. The caller says which firms the session may see (a drop-copy session its entitled firms, an order-entry
// session its own firm); a request for another firm is refused, and without a firm filter the answer holds only
// trades with an entitled side, the other side anonymised.
//
// The record is read asynchronously and the reports are sent a batch per event-loop turn, so a large request never
// holds up order entry. One request per session runs at a time.

import {
  type FixMessageView,
  type InboundContext,
  MsgType,
  type SessionHandle,
  Tag,
  TradeRequestResult,
  TradeRequestStatus,
} from '../fix/index.js';
import type { Logger } from '../shared/logger.js';
import { silentLogger } from '../shared/logger.js';
import type { RecordFilter, TradeEntry, TradeParty } from '../records/index.js';
import { TradeReportWriter } from './trade-capture-report.js';
import { readTradeCaptureRequest, type TradeQuery, type TradeQueryRefusal } from './trade-capture-request.js';

/** What trade capture reads from the execution record. */
export interface TradeSource {
  tradesBetween(from: number, to: number, filter?: RecordFilter): Promise<TradeEntry[]>;
}

export interface TradeCaptureOptions {
  record: TradeSource;
  logger?: Logger;
  /** Largest answer; a request matching more trades is refused with a hint to narrow it. Default 100,000. */
  maxReports?: number;
  /** Reports sent per event-loop turn. Default 500. */
  reportsPerTurn?: number;
  /** Clock for open-ended ranges (tests pin it). */
  now?: () => number;
}

/** Firms a session may see: ['*'] for every firm. */
export type EntitledFirms = readonly string[];

interface Running {
  session: SessionHandle;
  cancelled: boolean;
  done: Promise<void>;
}

const ALL_FIRMS = '*';

export class TradeCaptureService {
  private readonly record: TradeSource;
  private readonly logger: Logger;
  private readonly maxReports: number;
  private readonly reportsPerTurn: number;
  private readonly now: () => number;
  private readonly running = new Map<string, Running>();
  private readonly reports = new TradeReportWriter();

  constructor(options: TradeCaptureOptions) {
    this.record = options.record;
    this.logger = options.logger ?? silentLogger;
    this.maxReports = options.maxReports ?? 100_000;
    this.reportsPerTurn = Math.max(1, options.reportsPerTurn ?? 500);
    this.now = options.now ?? Date.now;
  }

  /**
   * Handles TradeCaptureReportRequest(AD); false for any other MsgType. Reads every field before returning (the view
   * is only valid during the call); the answer follows asynchronously.
   */
  handle(session: SessionHandle, view: FixMessageView, _ctx: InboundContext, entitled: EntitledFirms): boolean {
    if (view.msgType !== MsgType.TradeCaptureReportRequest) return false;
    const query = readTradeCaptureRequest(view, this.now());
    if (!query.ok) {
      this.refuse(session, query);
      return true;
    }
    if (query.firm !== '' && !isEntitled(entitled, query.firm)) {
      this.refuse(session, { ...query, ok: false, result: TradeRequestResult.NotAuthorized, text: `not entitled to trades of firm ${query.firm}` });
      return true;
    }
    const busy = this.running.get(session.key);
    if (busy !== undefined) {
      this.refuse(session, { ...query, ok: false, result: TradeRequestResult.Other, text: 'a trade capture request is still being answered on this session; wait for its last report' });
      return true;
    }
    const run: Running = { session, cancelled: false, done: Promise.resolve() };
    this.running.set(session.key, run);
    run.done = this.answer(run, query, entitled)
      .catch((err: unknown) => {
        this.logger.error('trade capture failed', { session: session.key, requestId: query.requestId, error: (err as Error).message });
        if (!run.cancelled) this.trySend(run, () => this.refuse(session, { ...query, ok: false, result: TradeRequestResult.Other, text: 'the trade record cannot be read now; try again later' }));
      })
      .finally(() => {
        if (this.running.get(session.key) === run) this.running.delete(session.key);
      });
    return true;
  }

  /** Stops sending reports to a session that logged out or disconnected. */
  onSessionGone(sessionKey: string): void {
    const run = this.running.get(sessionKey);
    if (run !== undefined) run.cancelled = true;
  }

  /** Resolves when no request is being answered (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async answer(run: Running, query: TradeQuery, entitled: EntitledFirms): Promise<void> {
    const filter: RecordFilter = {};
    if (query.symbol !== '') filter.symbol = query.symbol;
    if (query.firm !== '') filter.firm = query.firm;
    if (query.account !== '') filter.account = query.account;
    const candidates = await this.record.tradesBetween(query.from, query.to, filter);
    const trades = candidates.filter((t) => matches(t, query, entitled));
    if (run.cancelled) return;
    if (trades.length > this.maxReports) {
      this.trySend(run, () =>
        this.refuse(run.session, { ...query, ok: false, result: TradeRequestResult.Other, text: `${trades.length} trades match; at most ${this.maxReports} per request: narrow the time range or add filters` }),
      );
      return;
    }
    this.trySend(run, () => this.acknowledge(run.session, query, trades.length));
    for (let from = 0; from < trades.length && !run.cancelled; from += this.reportsPerTurn) {
      if (from > 0) await nextTurn();
      const end = Math.min(trades.length, from + this.reportsPerTurn);
      this.trySend(run, () => this.sendReports(run.session, query, trades, from, end, entitled));
    }
  }

  private sendReports(session: SessionHandle, query: TradeQuery, trades: TradeEntry[], from: number, end: number, entitled: EntitledFirms): void {
    const w = this.reports;
    w.requestId = query.requestId;
    w.total = trades.length;
    try {
      for (let i = from; i < end; i++) {
        const t = trades[i]!;
        w.trade = t;
        w.last = i === trades.length - 1;
        w.showBuy = isEntitled(entitled, t.buy.firm);
        w.showSell = isEntitled(entitled, t.sell.firm);
        session.send(MsgType.TradeCaptureReport, w.write);
      }
    } finally {
      w.trade = null;
    }
  }

  /** Sends unless the session went away; a session that cannot take messages any more ends the answer. */
  private trySend(run: Running, send: () => void): void {
    if (run.cancelled) return;
    if (!run.session.isLoggedOn) {
      run.cancelled = true;
      return;
    }
    try {
      send();
    } catch (err) {
      run.cancelled = true;
      this.logger.warn('trade capture: cannot send, answer abandoned', { session: run.session.key, error: (err as Error).message });
    }
  }

  private acknowledge(session: SessionHandle, query: TradeQuery, count: number): void {
    session.send(MsgType.TradeCaptureReportRequestAck, (w) => {
      w.str(Tag.TradeRequestID, query.requestId);
      w.int(Tag.TradeRequestType, query.requestType);
      w.int(Tag.TotNumTradeReports, count);
      w.int(Tag.TradeRequestResult, TradeRequestResult.Successful);
      // Accepted: the reports follow. With nothing to report the request is already complete.
      w.int(Tag.TradeRequestStatus, count > 0 ? TradeRequestStatus.Accepted : TradeRequestStatus.Completed);
      if (query.symbol !== '') w.str(Tag.Symbol, query.symbol);
      if (count === 0) w.str(Tag.Text, 'no trades match the request');
    });
  }

  private refuse(session: SessionHandle, refusal: TradeQueryRefusal): void {
    session.send(MsgType.TradeCaptureReportRequestAck, (w) => {
      w.str(Tag.TradeRequestID, refusal.requestId);
      // TradeRequestType is required in AQ: echo it, or 0 when the request had none worth echoing.
      w.int(Tag.TradeRequestType, refusal.requestType >= 0 ? refusal.requestType : 0);
      w.int(Tag.TradeRequestResult, refusal.result);
      w.int(Tag.TradeRequestStatus, TradeRequestStatus.Rejected);
      w.str(Tag.Text, refusal.text);
    });
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isEntitled(entitled: EntitledFirms, firm: string): boolean {
  return entitled.includes(ALL_FIRMS) || entitled.includes(firm);
}

/** A trade matches when the match id fits and some side the requester may see fits every side filter. */
function matches(t: TradeEntry, q: TradeQuery, entitled: EntitledFirms): boolean {
  if (q.matchId !== '' && String(t.matchId) !== q.matchId) return false;
  if (q.symbol !== '' && t.symbol !== q.symbol) return false;
  return sideMatches(t.buy, '1', q, entitled) || sideMatches(t.sell, '2', q, entitled);
}

function sideMatches(p: TradeParty, side: string, q: TradeQuery, entitled: EntitledFirms): boolean {
  return (
    isEntitled(entitled, p.firm) &&
    (q.firm === '' || p.firm === q.firm) &&
    (q.account === '' || p.account === q.account) &&
    (q.side === '' || side === q.side) &&
    (q.orderId === '' || String(p.orderId) === q.orderId) &&
    (q.clOrdId === '' || p.clOrdId === q.clOrdId)
  );
}
