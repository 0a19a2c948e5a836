// Instruments, commands and hand-built venue events for the risk tests. Events are built the way the
// core emits them (seq numbers, order views after the change), so the engine can be driven precisely.

import { parseDecimal } from '../../../src/venue/model/decimal.js';
import type { NewOrderCommand, ReplaceCommand } from '../../../src/venue/model/commands.js';
import { OrderStatus, OrdType, Side, TimeInForce } from '../../../src/venue/model/enums.js';
import type { OrderView, VenueEvent } from '../../../src/venue/model/events.js';
import type { InstrumentSpec } from '../../../src/venue/model/instrument.js';
import type { KillScope } from '../../../src/risk/model/scopes.js';
import type { RiskActions } from '../../../src/risk/risk-actions.js';

/** BTCUSDT: prices with 2 decimals, quantities with 5 (USDT amounts then have 7). */
export const BTC: InstrumentSpec = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 5, tickSize: 1, lotSize: 1,
  minQty: 1, maxQty: 100_000_000_000, minNotional: 0, priceBandPercent: 0, referencePrice: 6_000_000, status: 'open',
};
/** ETHUSDT: prices with 2 decimals, quantities with 4; no configured reference price. */
export const ETH: InstrumentSpec = {
  symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 4, tickSize: 1, lotSize: 1,
  minQty: 1, maxQty: 100_000_000_000, minNotional: 0, priceBandPercent: 0, referencePrice: 0, status: 'open',
};
export const INSTRUMENTS = [BTC, ETH];
export const FIRMS = [
  { id: 'F1', accounts: ['ACC1', 'ACC2'] },
  { id: 'F2', accounts: ['ACC3'] },
];

export const px = (text: string, spec: InstrumentSpec = BTC): number => parseDecimal(text, spec.priceDecimals);
export const qty = (text: string, spec: InstrumentSpec = BTC): number => parseDecimal(text, spec.qtyDecimals);

const ACCOUNT_FIRM: Record<string, string> = { ACC1: 'F1', ACC2: 'F1', ACC3: 'F2' };

let clOrd = 0;

export function newOrder(fields: Partial<NewOrderCommand> & { account?: string } = {}): NewOrderCommand {
  const account = fields.account ?? 'ACC1';
  return {
    type: 'new', time: 1_700_000_000_000, session: `S-${account}`, firm: ACCOUNT_FIRM[account] ?? 'F1', account,
    clOrdId: `c${++clOrd}`, symbol: 'BTCUSDT', side: Side.Buy, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC,
    price: px('60000'), stopPx: 0, qty: qty('1'), minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0, exDestination: '',
    ...fields,
  };
}

export function replaceOf(o: OrderView, fields: Partial<ReplaceCommand> = {}): ReplaceCommand {
  return {
    type: 'replace', time: 1_700_000_000_000, session: o.session, firm: o.firm, account: o.account, clOrdId: `r${++clOrd}`,
    origClOrdId: o.clOrdId, orderId: 0, symbol: o.symbol, side: o.side, ordType: o.ordType, timeInForce: o.timeInForce,
    price: o.price, stopPx: o.stopPx, qty: o.qty, maxFloor: o.maxFloor, expireTime: 0, ...fields,
  };
}

type MutableOrder = { -readonly [K in keyof OrderView]: OrderView[K] };

/** Emits events into a listener with gap-free seqs, keeping live order views like the core does. */
export class EventFeed {
  seq = 0;
  time = 1_700_000_000_000;
  private orderId = 0;

  constructor(private readonly listener: (e: VenueEvent) => void) {}

  private base(): { seq: number; commandSeq: number; time: number } {
    return { seq: ++this.seq, commandSeq: this.seq, time: this.time };
  }

  /** An accepted order from a new-order command (reported to the listener). */
  accept(cmd: NewOrderCommand): MutableOrder {
    const o: MutableOrder = {
      orderId: ++this.orderId, session: cmd.session, firm: cmd.firm, account: cmd.account, clOrdId: cmd.clOrdId, origClOrdId: '',
      symbol: cmd.symbol, side: cmd.side, ordType: cmd.ordType, timeInForce: cmd.timeInForce,
      price: cmd.ordType === OrdType.Limit || cmd.ordType === OrdType.StopLimit ? cmd.price : 0,
      stopPx: cmd.stopPx, qty: cmd.qty, cumQty: 0, leavesQty: cmd.qty, cumNotional: 0, maxFloor: cmd.maxFloor, expireTime: 0,
      status: OrderStatus.New, time: cmd.time, visibleQty: cmd.qty, minQty: 0, postOnly: false, triggered: false, decrementedQty: 0,
    };
    this.time = cmd.time;
    this.listener({ type: 'accepted', ...this.base(), order: { ...o } });
    return o;
  }

  /** A fill of maker (resting) against taker at price for qty; both views are updated. */
  trade(maker: MutableOrder, taker: MutableOrder, price: number, q: number): void {
    for (const o of [maker, taker]) {
      o.cumQty += q;
      o.leavesQty -= q;
      o.cumNotional += price * q;
      o.status = o.leavesQty === 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
    }
    this.listener({
      type: 'trade', ...this.base(), matchId: this.seq, symbol: maker.symbol, price, qty: q, aggressorSide: taker.side,
      maker: { ...maker }, taker: { ...taker },
    });
  }

  cancel(o: MutableOrder): void {
    o.leavesQty = 0;
    o.status = OrderStatus.Cancelled;
    this.listener({ type: 'cancelled', ...this.base(), order: { ...o }, reason: 'user', requestId: '' });
  }

  expire(o: MutableOrder): void {
    o.leavesQty = 0;
    o.status = OrderStatus.Expired;
    this.listener({ type: 'expired', ...this.base(), order: { ...o } });
  }

  /** A replace as the core applies it (new ClOrdID, quantities, price). */
  replace(o: MutableOrder, cmd: ReplaceCommand): void {
    o.origClOrdId = o.clOrdId;
    o.clOrdId = cmd.clOrdId;
    o.qty = cmd.qty;
    o.leavesQty = Math.max(0, cmd.qty - o.cumQty);
    if (o.ordType === OrdType.Limit || o.ordType === OrdType.StopLimit) o.price = cmd.price;
    this.time = cmd.time;
    this.listener({ type: 'replaced', ...this.base(), order: { ...o }, keptPriority: false });
  }

  /** A trade between two fresh orders of the given accounts (the second one aggresses). */
  cross(makerAccount: string, makerSide: Side, takerAccount: string, price: number, q: number, spec: InstrumentSpec = BTC): void {
    const time = this.time;
    const maker = this.accept(newOrder({ account: makerAccount, side: makerSide, price, qty: q, symbol: spec.symbol, time }));
    const taker = this.accept(newOrder({ account: takerAccount, side: makerSide === Side.Buy ? Side.Sell : Side.Buy, price, qty: q, symbol: spec.symbol, time }));
    this.trade(maker, taker, price, q);
  }
}

/** RiskActions that record what was asked, with a way to await the next request. */
export class RecordingActions implements RiskActions {
  readonly massCancels: Array<{ scope: KillScope; reason: string }> = [];
  readonly halts: Array<{ symbol: string; reason: string }> = [];
  readonly resumes: Array<{ symbol: string; reason: string }> = [];
  private waiters: Array<() => void> = [];

  massCancel(scope: KillScope, reason: string): void {
    this.massCancels.push({ scope, reason });
    this.wake();
  }

  halt(symbol: string, reason: string): void {
    this.halts.push({ symbol, reason });
    this.wake();
  }

  resume(symbol: string, reason: string): void {
    this.resumes.push({ symbol, reason });
    this.wake();
  }

  /** Resolves when cond() holds, checking after every request; rejects after timeoutMs. */
  until(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a risk action')), timeoutMs);
      const check = (): void => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Resolves when cond() holds, polling every few ms; rejects after timeoutMs. */
export async function eventually(cond: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
