// FIX 4.4 code values ↔ the venue's enums, both ways. The values themselves are the FIX engine's one table
// (src/fix/fix44-values.ts); the venue's own codes already follow FIX for Side, OrdType and TimeInForce, so
// most of this is checking that a member sent one the venue supports.

import { CxlRejReason, OrdRejReason } from '../fix/index.js';
import { RejectReason, Side, TimeInForce, type OrdType } from '../venue/model/enums.js';
import { isOrdType } from '../venue/model/order-types.js';

export function sideFromFix(c: string): Side | 0 {
  return c === '1' ? Side.Buy : c === '2' ? Side.Sell : 0;
}

export function sideToFix(side: Side): string {
  return side === Side.Buy ? '1' : '2';
}

/** OrdType(40): the venue's codes are FIX's, so any type in venue/model/order-types.ts is accepted as is. */
export function ordTypeFromFix(c: string): OrdType | 0 {
  const code = c.length === 1 ? c.charCodeAt(0) - 48 : -1;
  return isOrdType(code) ? code : 0;
}

export function ordTypeToFix(t: OrdType): string {
  return String(t);
}

/** TimeInForce(59); absent means Day, per FIX. Returns -1 for values the venue does not support. */
export function timeInForceFromFix(c: string): TimeInForce | -1 {
  switch (c) {
    case '':
    case '0':
      return TimeInForce.Day;
    case '1':
      return TimeInForce.GTC;
    case '3':
      return TimeInForce.IOC;
    case '4':
      return TimeInForce.FOK;
    case '6':
      return TimeInForce.GTD;
    case '2':
      return TimeInForce.AtTheOpening;
    case '7':
      return TimeInForce.AtTheClose;
    default:
      return -1;
  }
}

export function timeInForceToFix(t: TimeInForce): string {
  return String(t);
}

/** OrdRejReason(103) for a venue refusal of a new order. */
export function ordRejReasonFor(reason: RejectReason): number {
  switch (reason) {
    case RejectReason.UnknownSymbol:
      return OrdRejReason.UnknownSymbol;
    case RejectReason.InstrumentHalted:
    case RejectReason.InstrumentClosed:
      return OrdRejReason.ExchangeClosed;
    case RejectReason.InvalidQuantity:
    case RejectReason.MinQtyNotMet:
      return OrdRejReason.IncorrectQuantity;
    case RejectReason.DuplicateClOrdId:
      return OrdRejReason.DuplicateOrder;
    case RejectReason.RiskLimit:
    case RejectReason.MinNotional:
      return OrdRejReason.ExceedsLimit;
    case RejectReason.Unsupported:
    case RejectReason.WouldTakeLiquidity:
      return OrdRejReason.UnsupportedCharacteristic;
    case RejectReason.KillSwitch:
      return OrdRejReason.BrokerOption;
    case RejectReason.UnknownOrder:
      return OrdRejReason.UnknownOrder;
    default:
      return OrdRejReason.Other;
  }
}

/** CxlRejReason(102) for a refused cancel or replace. */
export function cxlRejReasonFor(reason: RejectReason): number {
  switch (reason) {
    case RejectReason.UnknownOrder:
      return CxlRejReason.UnknownOrder;
    case RejectReason.TooLateToCancel:
      return CxlRejReason.TooLateToCancel;
    case RejectReason.DuplicateClOrdId:
      return CxlRejReason.DuplicateClOrdID;
    case RejectReason.RiskLimit:
    case RejectReason.KillSwitch:
    case RejectReason.InstrumentHalted:
      return CxlRejReason.BrokerOption;
    default:
      return CxlRejReason.Other;
  }
}
