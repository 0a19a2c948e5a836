// TradingSessionStatusRequest(g) -> TradingSessionStatus(h) for the venue's one trading session, and h sent
// unsolicited to the sessions that subscribed (SubscriptionRequestType 1) whenever the venue-wide phase changes.
// Order-entry and market-data sessions may ask. Per-instrument halts stay SecurityStatus(f) (src/marketdata).
//
//   phase        TradSesStatus(340)
//   preOpen      4 pre-open
//   continuous   2 open
//   preClose     5 pre-close
//   closed       3 closed
// A request h cannot serve is answered with an h of TradSesStatus 6 (request rejected), TradSesStatusRejReason(567)
// 1 (unknown TradingSessionID) or 99 (other), and a Text naming the field: FIX 4.4 has no separate reject for g.

import {
  MsgType, SubscriptionRequestType, Tag, TradSesStatus, TradSesStatusRejReason, type FieldWriter, type FixMessageView, type SessionHandle,
} from '../fix/index.js';
import type { MarketPhase } from '../venue/model/enums.js';
import type { VenueEvent } from '../venue/model/events.js';

const STATUS: Record<MarketPhase, number> = {
  preOpen: TradSesStatus.PreOpen, continuous: TradSesStatus.Open, preClose: TradSesStatus.PreClose, closed: TradSesStatus.Closed,
};
const REQUEST_REJECTED = TradSesStatus.RequestRejected;
const WORDS: Record<MarketPhase, string> = {
  preOpen: 'pre-open call: orders collect, the opening auction uncrosses at the open',
  continuous: 'continuous trading',
  preClose: 'closing call: orders collect, the closing auction uncrosses at the close',
  closed: 'closed',
};

/** Today's session times (epoch ms; 0 = the day has no such time), from the calendar. */
export interface SessionTimes {
  start: number;
  open: number;
  preClose: number;
  close: number;
}

export interface TradingSessionStatusOptions {
  /** TradingSessionID(336) of the venue's session (the calendar's tradingSessionId). */
  tradingSessionId: string;
  phase: () => MarketPhase;
  /** The current trading date's times, when a calendar is configured. */
  times?: () => SessionTimes | null;
}

interface Answer {
  reqId: string;
  unsolicited: boolean;
  status: number;
  rejReason: number;
  text: string;
  time: number;
}

export class TradingSessionStatusService {
  private readonly options: TradingSessionStatusOptions;
  /** Subscribed sessions by session key: the handle and the TradSesReqID to echo. */
  private readonly subscribers = new Map<string, { handle: SessionHandle; reqId: string }>();
  private answer: Answer = { reqId: '', unsolicited: false, status: 0, rejReason: 0, text: '', time: 0 };

  constructor(options: TradingSessionStatusOptions) {
    this.options = options;
  }

  /** Handles TradingSessionStatusRequest(g); false for any other MsgType. */
  handle(session: SessionHandle, view: FixMessageView): boolean {
    if (view.msgType !== MsgType.TradingSessionStatusRequest) return false;
    const reqId = view.getString(Tag.TradSesReqID) ?? '';
    const sessionId = view.getString(Tag.TradingSessionID);
    if (sessionId !== undefined && sessionId !== this.options.tradingSessionId) {
      this.refuse(session, reqId, TradSesStatusRejReason.UnknownOrInvalidTradingSessionId, `TradingSessionID(336) ${sessionId} is not a session of this venue: its session is ${this.options.tradingSessionId}`);
      return true;
    }
    const kind = view.getString(Tag.SubscriptionRequestType) ?? '';
    switch (kind) {
      case SubscriptionRequestType.Snapshot:
        this.send(session, { reqId, unsolicited: false, status: STATUS[this.options.phase()], rejReason: 0, text: WORDS[this.options.phase()], time: Date.now() });
        return true;
      case SubscriptionRequestType.SnapshotAndUpdates:
        this.subscribers.set(session.key, { handle: session, reqId });
        this.send(session, { reqId, unsolicited: false, status: STATUS[this.options.phase()], rejReason: 0, text: WORDS[this.options.phase()], time: Date.now() });
        return true;
      case SubscriptionRequestType.Unsubscribe:
        if (!this.subscribers.delete(session.key)) this.refuse(session, reqId, TradSesStatusRejReason.Other, 'no trading session status subscription to cancel on this session');
        return true;
      default:
        this.refuse(session, reqId, TradSesStatusRejReason.Other, `SubscriptionRequestType(263) ${kind} is not supported: 0 snapshot, 1 snapshot and updates, 2 unsubscribe`);
        return true;
    }
  }

  /** Venue events: a venue-wide phase change goes to every subscriber. */
  readonly onEvent = (e: VenueEvent): void => {
    if (e.type !== 'phase' || e.symbol !== '') return;
    for (const [key, sub] of this.subscribers) {
      if (!sub.handle.isLoggedOn) {
        this.subscribers.delete(key);
        continue;
      }
      this.send(sub.handle, { reqId: sub.reqId, unsolicited: true, status: STATUS[e.phase], rejReason: 0, text: WORDS[e.phase], time: e.time });
    }
  };

  onSessionGone(sessionKey: string): void {
    this.subscribers.delete(sessionKey);
  }

  get subscriptionCount(): number {
    return this.subscribers.size;
  }

  private refuse(session: SessionHandle, reqId: string, rejReason: number, text: string): void {
    this.send(session, { reqId, unsolicited: false, status: REQUEST_REJECTED, rejReason, text, time: Date.now() });
  }

  private send(session: SessionHandle, answer: Answer): void {
    this.answer = answer;
    try {
      session.send(MsgType.TradingSessionStatus, this.write);
    } catch {
      // The session's store failed: the engine disconnects it; its subscription goes with it.
      this.subscribers.delete(session.key);
    }
  }

  // Fields in the dictionary's order for h.
  private readonly write = (w: FieldWriter): void => {
    const a = this.answer;
    if (a.reqId !== '') w.str(Tag.TradSesReqID, a.reqId);
    w.str(Tag.TradingSessionID, this.options.tradingSessionId);
    w.bool(Tag.UnsolicitedIndicator, a.unsolicited);
    w.int(Tag.TradSesStatus, a.status);
    if (a.rejReason > 0) w.int(Tag.TradSesStatusRejReason, a.rejReason);
    const times = a.status === REQUEST_REJECTED ? null : this.options.times?.() ?? null;
    if (times !== null) {
      if (times.start > 0) w.timestamp(Tag.TradSesStartTime, times.start);
      if (times.open > 0) w.timestamp(Tag.TradSesOpenTime, times.open);
      if (times.preClose > 0) w.timestamp(Tag.TradSesPreCloseTime, times.preClose);
      if (times.close > 0) {
        w.timestamp(Tag.TradSesCloseTime, times.close);
        w.timestamp(Tag.TradSesEndTime, times.close);
      }
    }
    w.str(Tag.Text, a.text);
  };
}
