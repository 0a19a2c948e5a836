// How Binance notions map onto our matching core's: the account a command comes from, sides and order
// types, self-trade prevention modes, time in force, and the core's refusals as Binance answers them.

import type { BinanceOrderType, BinanceStpMode } from '../../../routing/binance/types.js';
import { OrdType, RejectReason, Side, StpMode, TimeInForce } from '../../../venue/model/enums.js';
import { ApiError, badRequest } from '../api-error.js';
import type { SimAccount } from './accounts.js';
import type { CommandContext } from './ledger.js';

export const CORE_STP: Record<BinanceStpMode, StpMode> = {
  NONE: StpMode.None,
  EXPIRE_TAKER: StpMode.CancelAggressing,
  EXPIRE_MAKER: StpMode.CancelResting,
  EXPIRE_BOTH: StpMode.CancelBoth,
  DECREMENT: StpMode.DecrementAndCancel,
  // Same account: TRANSFER behaves as DECREMENT (stp_faq.md); trade groups are not simulated.
  TRANSFER: StpMode.DecrementAndCancel,
};

export const CORE_TIF = { GTC: TimeInForce.GTC, IOC: TimeInForce.IOC, FOK: TimeInForce.FOK } as const;

/** The core's view of who sends a command: one simulated account is one session, firm and account. */
export function origin(acct: SimAccount): { session: string; firm: string; account: string } {
  return { session: acct.name, firm: acct.name, account: acct.name };
}

export function coreSide(side: 'BUY' | 'SELL'): Side {
  return side === 'BUY' ? Side.Buy : Side.Sell;
}

export function coreOrdType(type: BinanceOrderType): OrdType {
  return type === 'MARKET' ? OrdType.Market : type === 'STOP_LOSS' ? OrdType.Stop : type === 'STOP_LOSS_LIMIT' ? OrdType.StopLimit : OrdType.Limit;
}

/** The core refused the order: Binance's code and message for the same refusal. */
export function coreRejection(ctx: CommandContext): ApiError {
  const r = ctx.rejection;
  if (r === null) return new ApiError(500, -1000, 'An unknown error occurred while processing the request.');
  switch (r.reason) {
    case RejectReason.WouldTakeLiquidity:
      return badRequest(-2010, 'Order would immediately match and take.');
    case RejectReason.InstrumentHalted:
    case RejectReason.InstrumentClosed:
      return badRequest(-2010, 'Market is closed.');
    case RejectReason.DuplicateClOrdId:
      return badRequest(-2010, 'Duplicate order sent.');
    case RejectReason.InvalidPrice:
      return badRequest(-1013, 'Filter failure: PRICE_FILTER');
    case RejectReason.InvalidQuantity:
      return badRequest(-1013, 'Filter failure: LOT_SIZE');
    case RejectReason.MinNotional:
      return badRequest(-1013, 'Filter failure: NOTIONAL');
    case RejectReason.PriceBand:
      return badRequest(-1013, 'Filter failure: PERCENT_PRICE_BY_SIDE');
    case RejectReason.Unsupported:
      return badRequest(-1014, 'Unsupported order combination.');
    default:
      return badRequest(-2010, r.text);
  }
}
