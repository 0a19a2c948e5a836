// What Binance checks before an order reaches its matching engine, in the simulator: symbol status and
// permissions, the order type's availability, filters (shared with our client), decimals the symbol can
// hold, client order id uniqueness, stop prices that would trigger at once, and the balance the order
// must lock. A quoteOrderQty becomes the base quantity the visible book gives for it, and a market buy's
// lock is what the visible book would charge, so the lock is an upper bound of what the order pays.

import { checkFilters, isAlgoType, type FilterContext } from '../../../routing/binance/filters.js';
import { exactDecimal, floorAtScale, significantDecimals } from '../../../routing/binance/exact-decimal.js';
import type { ValidNewOrder } from '../../../routing/binance/order-params.js';
import type { BinanceOrderType, BinanceStpMode } from '../../../routing/binance/types.js';
import type { LevelView } from '../../../venue/core/queries.js';
import type { Venue } from '../../../venue/core/venue.js';
import { Side } from '../../../venue/model/enums.js';
import { ApiError, badRequest } from '../api-error.js';
import type { SimAccount } from './accounts.js';
import { generateClientOrderId } from './ids.js';
import type { Ledger } from './ledger.js';
import { walkForNotional, walkForQty, type OwnQty } from './liquidity.js';
import type { SimSymbol } from './sim-symbol.js';

const NOT_SUPPORTED: Record<BinanceOrderType, string> = {
  LIMIT: 'Unsupported order combination',
  LIMIT_MAKER: 'Unsupported order combination',
  MARKET: 'Market orders are not supported for this symbol.',
  STOP_LOSS: 'Stop loss orders are not supported for this symbol.',
  STOP_LOSS_LIMIT: 'Stop loss limit orders are not supported for this symbol.',
  TAKE_PROFIT: 'Take profit orders are not supported for this symbol.',
  TAKE_PROFIT_LIMIT: 'Take profit limit orders are not supported for this symbol.',
};

const INSUFFICIENT_BALANCE = 'Account has insufficient balance for requested action.';

/**
 * A decimal the symbol cannot hold: finer than its precision (-1111), or too large for any balance
 * (-1108). Filters normally refuse both first; this answers when the symbol has no such filter.
 */
export function unrepresentable(param: string, text: string, decimals: number): ApiError {
  if (significantDecimals(text) > decimals) return badRequest(-1111, `Parameter '${param}' has too much precision.`);
  return badRequest(-1108, `Parameter '${param}' overflowed.`);
}

/** An order that passed every check, in core units, with the lock it needs. */
export interface PreparedOrder {
  price: number;
  stopPrice: number;
  qty: number;
  iceberg: number;
  icebergSent: boolean;
  quoteOrderQty: number;
  lock: number;
  stpMode: BinanceStpMode;
  clientOrderId: string;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class OrderIntake {
  constructor(
    private readonly venue: Venue,
    private readonly ledger: Ledger,
    private readonly averagePrice: (sym: SimSymbol, now: number) => string | undefined,
  ) {}

  /** Throws ApiError with Binance's code and message when the order would be refused. */
  prepare(acct: SimAccount, sym: SimSymbol, o: ValidNewOrder, now: number): PreparedOrder {
    if (sym.info.status !== 'TRADING') throw badRequest(-2010, 'Market is closed.');
    if (!acct.canTrade) throw badRequest(-2010, 'This account may not place or cancel orders.');
    if (!sym.info.orderTypes.includes(o.type)) throw badRequest(-2010, NOT_SUPPORTED[o.type]);
    if (o.trailingDelta !== undefined) throw badRequest(-2010, 'Trailing stop orders are not supported for this symbol.');
    if (o.pegPriceType !== undefined) throw badRequest(-2010, 'Pegged orders are not supported for this symbol.');
    if (o.quoteOrderQty !== undefined && !sym.info.quoteOrderQtyMarketAllowed) {
      throw badRequest(-2010, 'Quote order qty market orders are not support for this symbol.');
    }
    const icebergSent = o.icebergQty !== undefined && exactDecimal(o.icebergQty)?.units !== 0n;
    if (icebergSent && !sym.info.icebergAllowed) throw badRequest(-2010, 'Iceberg orders are not supported for this symbol.');
    const stpMode = o.selfTradePreventionMode ?? sym.info.defaultSelfTradePreventionMode;
    if (!sym.allowedStp.has(stpMode)) throw badRequest(-1130, "Data sent for parameter 'selfTradePreventionMode' is not valid.");

    const open = this.ledger.openOrders(acct, sym.name);
    const context: FilterContext = {
      referencePrice: this.averagePrice(sym, now),
      openOrders: open.length,
      openAlgoOrders: open.filter((x) => x.isAlgo).length,
      openIcebergOrders: open.filter((x) => x.icebergQty > 0).length,
    };
    const failed = checkFilters(sym.filters, o, context);
    if (failed !== null) throw badRequest(-1013, `Filter failure: ${failed}`);

    const price = o.price === undefined ? 0 : sym.parsePrice(o.price);
    if (Number.isNaN(price)) throw unrepresentable('price', o.price as string, sym.pd);
    const stopPrice = o.stopPrice === undefined ? 0 : sym.parsePrice(o.stopPrice);
    if (Number.isNaN(stopPrice)) throw unrepresentable('stopPrice', o.stopPrice as string, sym.pd);
    const iceberg = o.icebergQty === undefined ? -1 : sym.parseQty(o.icebergQty);
    if (Number.isNaN(iceberg)) throw unrepresentable('icebergQty', o.icebergQty as string, sym.qd);

    const clientOrderId = o.newClientOrderId ?? generateClientOrderId();
    if (this.ledger.openByClient(acct, sym.name, clientOrderId) !== undefined) throw badRequest(-2010, 'Duplicate order sent.');

    if (isAlgoType(o.type)) {
      const last = this.ledger.stats.get(sym.name)!.lastPrice;
      const immediate = last > 0 && (o.side === 'BUY' ? stopPrice <= last : stopPrice >= last);
      if (immediate) throw badRequest(-2010, 'Order would trigger immediately.');
    }

    const own = this.ownVisible(acct, sym, o.side, stpMode);
    let qty: number;
    let quoteOrderQty = 0;
    let lock: number;
    if (o.quoteOrderQty !== undefined) {
      ({ qty, quoteOrderQty, lock } = this.quoteOrderQuantity(acct, sym, o, own));
    } else {
      qty = sym.parseQty(o.quantity as string);
      if (Number.isNaN(qty)) throw unrepresentable('quantity', o.quantity as string, sym.qd);
      lock = this.lockFor(sym, o, price, stopPrice, qty, own);
    }
    if (icebergSent && iceberg >= qty) throw badRequest(-2010, 'IcebergQty exceeds QTY.');
    const lockAsset = o.side === 'BUY' ? sym.config.quoteAsset : sym.config.baseAsset;
    if (!acct.canLock(lockAsset, lock)) throw badRequest(-2010, INSUFFICIENT_BALANCE);
    return { price, stopPrice, qty, iceberg, icebergSent, quoteOrderQty, lock, stpMode, clientOrderId };
  }

  /** Own resting visible quantity per price on the side a new order would trade against, when STP skips it. */
  private ownVisible(acct: SimAccount, sym: SimSymbol, side: 'BUY' | 'SELL', stpMode: BinanceStpMode): OwnQty {
    const own = new Map<number, number>();
    if (stpMode === 'NONE') return own;
    const opposite = side === 'BUY' ? Side.Sell : Side.Buy;
    for (const view of this.venue.liveOrders({ account: acct.name, symbol: sym.name, side: opposite })) {
      own.set(view.price, (own.get(view.price) ?? 0) + view.visibleQty);
    }
    return own;
  }

  private oppositeLevels(sym: SimSymbol, side: 'BUY' | 'SELL'): LevelView[] {
    const book = this.venue.book(sym.name)!;
    return side === 'BUY' ? book.asks : book.bids;
  }

  /** Quote (BUY) or base (SELL) units an order locks while it lives. */
  private lockFor(sym: SimSymbol, o: ValidNewOrder, price: number, stopPrice: number, qty: number, own: OwnQty): number {
    if (o.side === 'SELL') return sym.qtyToBase(qty);
    if (price > 0) return sym.notionalToQuote(price * qty);
    if (stopPrice > 0) return sym.notionalToQuote(stopPrice * qty);
    // A market buy by quantity: what the visible book would charge for it, an upper bound of what it pays.
    return sym.notionalToQuote(walkForQty(this.oppositeLevels(sym, 'BUY'), own, qty).notional);
  }

  /** quoteOrderQty -> the base quantity the book gives for it, kept on the LOT_SIZE/MARKET_LOT_SIZE grid. */
  private quoteOrderQuantity(acct: SimAccount, sym: SimSymbol, o: ValidNewOrder, own: OwnQty): { qty: number; quoteOrderQty: number; lock: number } {
    const quoteAsset = sym.config.quoteAsset;
    const q = exactDecimal(o.quoteOrderQty as string)!;
    const quoteUnits = Number(floorAtScale(q, acct.scaleOf(quoteAsset)));
    if (!Number.isSafeInteger(quoteUnits)) throw unrepresentable('quoteOrderQty', o.quoteOrderQty as string, acct.scaleOf(quoteAsset));
    const budget = Number(floorAtScale(q, sym.pd + sym.qd));
    const f = sym.filters;
    const lot = f.lot;
    const marketLot = f.marketLot;
    let step = 1;
    for (const s of [lot?.step ?? 0, marketLot?.step ?? 0]) if (s > 0) step = (step * s) / gcd(step, s);
    const levels = this.oppositeLevels(sym, o.side);
    if (levels.length === 0) throw badRequest(-2010, 'Order book liquidity is less than symbol minimum quantity.');
    let qty = walkForNotional(levels, own, budget, step).qty;
    const max = Math.min(lot?.max || Infinity, marketLot?.max || Infinity);
    if (qty > max) qty = max - (max % step);
    if (lot !== null && qty < Math.max(lot.min, 1)) throw badRequest(-2010, 'Order book liquidity is less than `LOT_SIZE` filter minimum quantity.');
    if (marketLot !== null && qty < Math.max(marketLot.min, 1)) throw badRequest(-2010, 'Order book liquidity is less than `MARKET_LOT_SIZE` filter minimum quantity.');
    if (qty <= 0) throw badRequest(-2010, 'Order book liquidity is less than symbol minimum quantity.');
    return { qty, quoteOrderQty: quoteUnits, lock: o.side === 'BUY' ? quoteUnits : sym.qtyToBase(qty) };
  }
}
