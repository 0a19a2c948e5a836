// A venue order as Binance order parameters, and Binance's words for an order's end as the venue's. Binance has no
// Day or GTD time in force: such orders go out GTC and the venue cancels them at the end of their time (the core
// asks, see routed-orders.ts). MinQty has no Binance counterpart and is refused rather than dropped.

import type { NewOrderRequest } from '../binance/rest-client.js';
import type { BinanceOrderStatus, BinanceTimeInForce } from '../binance/types.js';
import { formatDecimal } from '../../venue/model/decimal.js';
import { CancelReason, OrdType, Side, TimeInForce } from '../../venue/model/enums.js';
import type { OrderView } from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';

/** Parameters for the order's next Binance incarnation of `qty` (scaled), or why it cannot be sent. */
export function binanceOrder(
  o: OrderView, spec: InstrumentSpec, symbol: string, clientOrderId: string, qty: number,
): NewOrderRequest | { unsupported: string } {
  if (o.minQty > 0) return { unsupported: 'MinQty(110) cannot be routed to Binance' };
  const pd = spec.priceDecimals;
  const qd = spec.qtyDecimals;
  const req: NewOrderRequest = {
    symbol,
    side: o.side === Side.Buy ? 'BUY' : 'SELL',
    type: 'LIMIT',
    quantity: formatDecimal(qty, qd, true),
    newClientOrderId: clientOrderId,
    newOrderRespType: 'RESULT',
  };
  const tif: BinanceTimeInForce = o.timeInForce === TimeInForce.IOC ? 'IOC' : o.timeInForce === TimeInForce.FOK ? 'FOK' : 'GTC';
  switch (o.ordType) {
    case OrdType.Limit:
      req.price = formatDecimal(o.price, pd, true);
      if (o.postOnly) req.type = 'LIMIT_MAKER';
      else req.timeInForce = tif;
      break;
    case OrdType.Market:
      req.type = 'MARKET';
      break;
    case OrdType.Stop:
      req.type = 'STOP_LOSS';
      req.stopPrice = formatDecimal(o.stopPx, pd, true);
      break;
    case OrdType.StopLimit:
      req.type = 'STOP_LOSS_LIMIT';
      req.price = formatDecimal(o.price, pd, true);
      req.stopPrice = formatDecimal(o.stopPx, pd, true);
      req.timeInForce = tif;
      break;
    default:
      return { unsupported: `order type ${String(o.ordType)} cannot be routed to Binance` };
  }
  if (o.maxFloor > 0 && o.maxFloor < qty) req.icebergQty = formatDecimal(o.maxFloor, qd, true);
  return req;
}

/** How the venue reports an order Binance ended without being asked (EXPIRED, EXPIRED_IN_MATCH, CANCELED). */
export function endReason(o: OrderView, status: BinanceOrderStatus): CancelReason {
  if (status === 'EXPIRED_IN_MATCH') return CancelReason.SelfTrade;
  if (status !== 'EXPIRED') return CancelReason.Routed;
  if (o.timeInForce === TimeInForce.IOC) return CancelReason.ImmediateOrCancel;
  if (o.timeInForce === TimeInForce.FOK) return CancelReason.FillOrKill;
  if (o.ordType === OrdType.Market || o.ordType === OrdType.Stop) return CancelReason.MarketNoLiquidity;
  return CancelReason.Routed;
}
