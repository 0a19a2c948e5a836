// Reads the order fields a NewOrderSingle(D) and an OrderCancelReplaceRequest(G) share, converting prices and
// quantities from their exact decimal text to the instrument's scaled integers. A value that cannot be
// represented exactly is refused with a text naming the field and the value; nothing is ever rounded.

import { type FixMessageView, OrdRejReason, Tag } from '../../fix/index.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import { OrdType, RejectReason, Side, TimeInForce } from '../../venue/model/enums.js';
import { formatDecimal } from '../../venue/model/decimal.js';
import { ORDER_TYPE_LIST } from '../../venue/model/order-types.js';
import { ordTypeFromFix, sideFromFix, timeInForceFromFix } from '../fix-mappings.js';

const DAY_MS = 86_400_000;

/** The outcome of reading: either all fields, or why not. Reused: copy what you keep. */
export class OrderFields {
  side: Side | 0 = 0;
  sideCode = '';
  ordType: OrdType = OrdType.Limit;
  timeInForce: TimeInForce = TimeInForce.Day;
  price = 0;
  stopPx = 0;
  qty = 0;
  minQty = 0;
  maxFloor = 0;
  postOnly = false;
  expireTime = 0;
  exDestination = '';
  /** Set when the message cannot become a command. */
  error: { reason: RejectReason; text: string; ordRejReason: number } | null = null;
}

function fail(out: OrderFields, reason: RejectReason, text: string, ordRejReason = -1): false {
  out.error = { reason, text, ordRejReason };
  return false;
}

/** A price or quantity field as a scaled integer; false (with out.error set) when present but not exact. */
function readScaled(view: FixMessageView, tag: number, name: string, decimals: number, step: number, out: OrderFields, isPrice: boolean): number | false {
  const v = view.getScaled(tag, decimals);
  if (v === undefined) return 0;
  if (Number.isNaN(v) || v < 0) {
    const text = view.getString(tag) ?? '';
    return fail(
      out,
      isPrice ? RejectReason.InvalidPrice : RejectReason.InvalidQuantity,
      `${name}(${tag}) ${text} is not a valid ${isPrice ? 'price' : 'quantity'}: at most ${decimals} decimals, a multiple of ${formatDecimal(step, decimals)}`,
      isPrice ? OrdRejReason.Other : OrdRejReason.IncorrectQuantity,
    );
  }
  return v;
}

/**
 * Reads side, type, time in force, prices, quantities, expiry and instructions. Returns false (and sets
 * out.error) on the first field the venue cannot accept.
 */
export function readOrderFields(view: FixMessageView, spec: InstrumentSpec, now: number, out: OrderFields): boolean {
  out.error = null;
  const sideCode = view.getString(Tag.Side) ?? '';
  out.sideCode = sideCode;
  out.side = sideFromFix(sideCode);
  if (out.side === 0) {
    return fail(out, RejectReason.Unsupported, `Side(54) ${sideCode} is not supported: 1 (buy) or 2 (sell)`, OrdRejReason.UnsupportedCharacteristic);
  }
  const ordTypeCode = view.getString(Tag.OrdType) ?? '';
  const ordType = ordTypeFromFix(ordTypeCode);
  if (ordType === 0) {
    return fail(out, RejectReason.Unsupported, `OrdType(40) ${ordTypeCode} is not supported: ${ORDER_TYPE_LIST}`, OrdRejReason.UnsupportedCharacteristic);
  }
  out.ordType = ordType;
  const tifCode = view.getString(Tag.TimeInForce) ?? '';
  const tif = timeInForceFromFix(tifCode);
  if (tif === -1) {
    return fail(out, RejectReason.Unsupported, `TimeInForce(59) ${tifCode} is not supported: 0 day, 1 GTC, 2 at the opening, 3 IOC, 4 FOK, 6 GTD, 7 at the close`, OrdRejReason.UnsupportedCharacteristic);
  }
  out.timeInForce = tif;

  const pd = spec.priceDecimals;
  const qd = spec.qtyDecimals;
  const qty = view.has(Tag.OrderQty) ? readScaled(view, Tag.OrderQty, 'OrderQty', qd, spec.lotSize, out, false) : -1;
  if (qty === false) return false;
  if (qty === -1) return fail(out, RejectReason.InvalidQuantity, 'OrderQty(38) is required', OrdRejReason.IncorrectQuantity);
  out.qty = qty;
  const price = readScaled(view, Tag.Price, 'Price', pd, spec.tickSize, out, true);
  if (price === false) return false;
  out.price = price;
  const stopPx = readScaled(view, Tag.StopPx, 'StopPx', pd, spec.tickSize, out, true);
  if (stopPx === false) return false;
  out.stopPx = stopPx;
  const minQty = readScaled(view, Tag.MinQty, 'MinQty', qd, spec.lotSize, out, false);
  if (minQty === false) return false;
  out.minQty = minQty;
  const maxFloor = readScaled(view, Tag.MaxFloor, 'MaxFloor', qd, spec.lotSize, out, false);
  if (maxFloor === false) return false;
  out.maxFloor = maxFloor;

  // ExecInst(18) is a space-separated list; 6 = participate don't initiate (post-only). Others are not offered.
  out.postOnly = false;
  const execInst = view.getString(Tag.ExecInst);
  if (execInst !== undefined) {
    for (const flag of execInst.split(' ')) {
      if (flag === '6') out.postOnly = true;
      else if (flag !== '') {
        return fail(out, RejectReason.Unsupported, `ExecInst(18) ${flag} is not supported: only 6 (participate don't initiate)`, OrdRejReason.UnsupportedCharacteristic);
      }
    }
  }

  out.expireTime = 0;
  if (tif === TimeInForce.GTD) {
    const expireTime = view.getTimestamp(Tag.ExpireTime);
    const expireDate = view.getString(Tag.ExpireDate);
    if (expireTime !== undefined && !Number.isNaN(expireTime)) out.expireTime = expireTime;
    else if (expireDate !== undefined && /^\d{8}$/.test(expireDate)) {
      // ExpireDate: the order lives to the end of that UTC day.
      out.expireTime = Date.UTC(+expireDate.slice(0, 4), +expireDate.slice(4, 6) - 1, +expireDate.slice(6, 8)) + DAY_MS - 1;
    } else {
      return fail(out, RejectReason.Other, 'GTD orders need ExpireTime(126) or ExpireDate(432)', OrdRejReason.Other);
    }
    if (out.expireTime <= now) return fail(out, RejectReason.Other, 'ExpireTime(126) is in the past', OrdRejReason.Other);
  }
  out.exDestination = view.getString(Tag.ExDestination) ?? '';
  return true;
}
