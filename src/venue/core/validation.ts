// Static checks of an order against its instrument: every number must be an integer on the instrument's
// grid (a price off the tick or a quantity off the lot is refused with the reason, never rounded) and
// every combination of type, time in force and instruction must make sense. Book-dependent checks
// (post-only, MinQty, FOK) happen in the matcher.

import type { NewOrderCommand, ReplaceCommand } from '../model/commands.js';
import { OrdType, RejectReason, Side, TimeInForce } from '../model/enums.js';
import { hasLimitPrice, hasStopPrice, isOrdType } from '../model/order-types.js';
import type { InstrumentBook } from './instrument-book.js';

/** Filled in by a failed check; reused, so read it before the next check. */
export interface Rejection {
  reason: RejectReason;
  text: string;
}

function fail(out: Rejection, reason: RejectReason, text: string): false {
  out.reason = reason;
  out.text = text;
  return false;
}

function isPositiveInt(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function isValidSide(s: number): boolean {
  return s === Side.Buy || s === Side.Sell;
}

function isValidTif(t: number): boolean {
  return t === TimeInForce.Day || t === TimeInForce.GTC || t === TimeInForce.IOC || t === TimeInForce.FOK || t === TimeInForce.GTD ||
    isAuctionTif(t);
}

/** At the Opening / At the Close: the order lives for one auction only. */
export function isAuctionTif(t: number): boolean {
  return t === TimeInForce.AtTheOpening || t === TimeInForce.AtTheClose;
}

/** Market or limit, nothing that executes on entry or hides quantity: what an auction-only order may be. */
function checkAuctionOrder(cmd: NewOrderCommand, out: Rejection): boolean {
  if (!isAuctionTif(cmd.timeInForce)) return true;
  const name = cmd.timeInForce === TimeInForce.AtTheOpening ? 'At the Opening' : 'At the Close';
  if (cmd.ordType !== OrdType.Market && cmd.ordType !== OrdType.Limit) return fail(out, RejectReason.Unsupported, `${name} orders must be market or limit orders`);
  if (cmd.minQty !== 0) return fail(out, RejectReason.Unsupported, `MinQty is not supported on ${name} orders`);
  return true;
}

/** Time in force of an order that may rest in the book. */
export function isRestingTif(t: number): boolean {
  return t === TimeInForce.Day || t === TimeInForce.GTC || t === TimeInForce.GTD;
}


/** Quantity on the lot grid and inside the instrument's min/max. */
export function checkQty(book: InstrumentBook, qty: number, out: Rejection): boolean {
  const spec = book.spec;
  if (!isPositiveInt(qty)) return fail(out, RejectReason.InvalidQuantity, `quantity ${qty} is not a positive integer at scale ${spec.qtyDecimals}`);
  if (qty % spec.lotSize !== 0) return fail(out, RejectReason.InvalidQuantity, `quantity ${qty} is not a multiple of the lot size ${spec.lotSize}`);
  if (qty < spec.minQty) return fail(out, RejectReason.InvalidQuantity, `quantity ${qty} is below the minimum ${spec.minQty}`);
  if (spec.maxQty > 0 && qty > spec.maxQty) return fail(out, RejectReason.InvalidQuantity, `quantity ${qty} is above the maximum ${spec.maxQty}`);
  return true;
}

/** A limit or stop price on the tick grid. */
export function checkPriceOnTick(book: InstrumentBook, price: number, what: string, out: Rejection): boolean {
  const tick = book.spec.tickSize;
  if (!isPositiveInt(price)) return fail(out, RejectReason.InvalidPrice, `${what} ${price} is not a positive integer at scale ${book.spec.priceDecimals}`);
  if (price % tick !== 0) return fail(out, RejectReason.InvalidPrice, `${what} ${price} is not a multiple of the tick size ${tick}`);
  return true;
}

/** A limit price that may trade or rest now: inside the band around the reference price. */
export function checkInBand(book: InstrumentBook, price: number, out: Rejection): boolean {
  const band = book.band;
  if (price < band.low || price > band.high) {
    return fail(out, RejectReason.PriceBand, `price ${price} is outside the price band ${band.low}..${band.high}`);
  }
  return true;
}

// A MaxFloor at or above the quantity is allowed (the whole order shows): members keep their MaxFloor
// when they replace an iceberg down.
function checkDisplayAndMinQty(
  ordType: OrdType, tif: TimeInForce, qty: number, maxFloor: number, minQty: number, postOnly: boolean,
  lot: number, out: Rejection,
): boolean {
  if (maxFloor !== 0) {
    if (!isPositiveInt(maxFloor) || maxFloor % lot !== 0) return fail(out, RejectReason.InvalidQuantity, `MaxFloor ${maxFloor} is not a positive multiple of the lot size ${lot}`);
    if (!hasLimitPrice(ordType) || !isRestingTif(tif)) return fail(out, RejectReason.Unsupported, 'MaxFloor (iceberg) needs a limit price and a resting time in force (Day, GTC, GTD)');
  }
  if (minQty !== 0) {
    if (!isPositiveInt(minQty) || minQty % lot !== 0) return fail(out, RejectReason.InvalidQuantity, `MinQty ${minQty} is not a positive multiple of the lot size ${lot}`);
    if (minQty > qty) return fail(out, RejectReason.InvalidQuantity, `MinQty ${minQty} exceeds the order quantity ${qty}`);
    if (hasStopPrice(ordType)) return fail(out, RejectReason.Unsupported, 'MinQty is not supported on stop orders');
    if (postOnly) return fail(out, RejectReason.Unsupported, 'MinQty cannot be combined with post-only');
  }
  if (postOnly && (ordType !== OrdType.Limit || !isRestingTif(tif))) {
    return fail(out, RejectReason.Unsupported, 'post-only needs a limit order with a resting time in force (Day, GTC, GTD)');
  }
  return true;
}

function checkExpiry(tif: TimeInForce, expireTime: number, now: number, out: Rejection): boolean {
  if (tif !== TimeInForce.GTD) return true;
  if (!isPositiveInt(expireTime)) return fail(out, RejectReason.Other, 'GTD needs an expire time');
  if (expireTime <= now) return fail(out, RejectReason.Other, `expire time ${expireTime} is not after the order time ${now}`);
  return true;
}

function checkMinNotional(book: InstrumentBook, price: number, qty: number, out: Rejection): boolean {
  const min = book.spec.minNotional;
  // A double product is inexact only far above any sensible minimum, so the comparison stays right.
  if (min > 0 && price > 0 && price * qty < min) {
    return fail(out, RejectReason.MinNotional, `notional ${price * qty} is below the minimum ${min}`);
  }
  return true;
}

/** Everything about a new order that does not depend on the book's contents. */
export function validateNewOrder(book: InstrumentBook, cmd: NewOrderCommand, out: Rejection): boolean {
  if (typeof cmd.clOrdId !== 'string' || cmd.clOrdId.length === 0) return fail(out, RejectReason.Other, 'ClOrdID is missing');
  if (!isValidSide(cmd.side)) return fail(out, RejectReason.Unsupported, `side ${cmd.side} is not supported`);
  if (!isOrdType(cmd.ordType)) return fail(out, RejectReason.Unsupported, `order type ${cmd.ordType} is not supported`);
  if (!isValidTif(cmd.timeInForce)) return fail(out, RejectReason.Unsupported, `time in force ${cmd.timeInForce} is not supported`);
  if (!checkAuctionOrder(cmd, out)) return false;
  if (!checkQty(book, cmd.qty, out)) return false;
  const ordType = cmd.ordType;
  if (hasLimitPrice(ordType) && !checkPriceOnTick(book, cmd.price, 'price', out)) return false;
  if (hasStopPrice(ordType) && !checkPriceOnTick(book, cmd.stopPx, 'stop price', out)) return false;
  if (!checkDisplayAndMinQty(ordType, cmd.timeInForce, cmd.qty, cmd.maxFloor, cmd.minQty, cmd.postOnly === true, book.spec.lotSize, out)) return false;
  if (!checkExpiry(cmd.timeInForce, cmd.expireTime, cmd.time, out)) return false;
  // Only a plain limit order is held to the band at entry; a stop-limit's limit is checked when it triggers.
  if (ordType === OrdType.Limit && !checkInBand(book, cmd.price, out)) return false;
  const notionalPrice = hasLimitPrice(ordType) ? cmd.price : hasStopPrice(ordType) ? cmd.stopPx : book.referencePrice;
  return checkMinNotional(book, notionalPrice, cmd.qty, out);
}

/** Static checks of a cancel/replace request against the order's instrument. */
export function validateReplace(
  book: InstrumentBook, cmd: ReplaceCommand, ordType: OrdType, tif: TimeInForce, postOnly: boolean, cumQty: number, out: Rejection,
): boolean {
  if (typeof cmd.clOrdId !== 'string' || cmd.clOrdId.length === 0) return fail(out, RejectReason.Other, 'ClOrdID is missing');
  if (cmd.ordType !== ordType) return fail(out, RejectReason.Unsupported, `order type cannot change (${ordType} to ${cmd.ordType})`);
  // An auction-only order stays one (and for the same auction): it is held or queued apart from the book.
  if (isAuctionTif(tif) || isAuctionTif(cmd.timeInForce)) {
    if (cmd.timeInForce !== tif) return fail(out, RejectReason.Unsupported, `time in force cannot change to or from At the Opening / At the Close (${tif} to ${cmd.timeInForce})`);
  } else if (!isValidTif(cmd.timeInForce) || !isRestingTif(cmd.timeInForce)) {
    return fail(out, RejectReason.Unsupported, `time in force ${cmd.timeInForce} is not allowed on a replace`);
  }
  if (cmd.qty <= cumQty) {
    // Replacing down to (or below) the filled quantity completes the order: only the grid matters.
    if (!isPositiveInt(cmd.qty) || cmd.qty % book.spec.lotSize !== 0) {
      return fail(out, RejectReason.InvalidQuantity, `quantity ${cmd.qty} is not a positive multiple of the lot size ${book.spec.lotSize}`);
    }
    return true;
  }
  if (!checkQty(book, cmd.qty, out)) return false;
  if (hasLimitPrice(ordType) && !checkPriceOnTick(book, cmd.price, 'price', out)) return false;
  if (hasStopPrice(ordType) && !checkPriceOnTick(book, cmd.stopPx, 'stop price', out)) return false;
  if (!checkDisplayAndMinQty(ordType, cmd.timeInForce, cmd.qty, cmd.maxFloor, 0, postOnly, book.spec.lotSize, out)) return false;
  if (!checkExpiry(cmd.timeInForce, cmd.expireTime, cmd.time, out)) return false;
  // The band is checked by the caller, and only when the price changes: reducing an order that the
  // band has since moved away from is still allowed.
  const notionalPrice = hasLimitPrice(ordType) ? cmd.price : cmd.stopPx;
  return checkMinNotional(book, notionalPrice, cmd.qty, out);
}
