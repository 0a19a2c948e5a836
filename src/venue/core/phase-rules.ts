// Which new orders the phase of the trading day admits (orders routed to an external venue are not
// concerned: the local phase says nothing about another venue's book).
//
//   closed      nothing (cancels are still accepted: a member can always take an order out)
//   preOpen     no IOC / FOK / MinQty (nothing executes on entry in a call); At the Opening accepted here only
//   continuous  At the Opening refused; At the Close held until the closing call
//   preClose    as preOpen; At the Opening refused
// At the Opening / At the Close orders are market or limit orders without MinQty, iceberg or post-only
// (validation.ts).

import type { NewOrderCommand } from '../model/commands.js';
import { isCallPhase, MarketPhase, RejectReason, TimeInForce } from '../model/enums.js';
import type { Rejection } from './validation.js';

const PHASE_NAMES: Record<MarketPhase, string> = {
  closed: 'closed',
  preOpen: 'in the pre-open call',
  continuous: 'in continuous trading',
  preClose: 'in the closing call',
};

export function phaseAllows(phase: MarketPhase, cmd: NewOrderCommand, out: Rejection): boolean {
  if (phase === MarketPhase.Closed) {
    out.reason = RejectReason.InstrumentClosed;
    out.text = `${cmd.symbol}: the market is closed (orders are accepted from the pre-open)`;
    return false;
  }
  const tif = cmd.timeInForce;
  if (tif === TimeInForce.AtTheOpening && phase !== MarketPhase.PreOpen) {
    return wrong(out, `At the Opening orders are accepted only in the pre-open call; the market is ${PHASE_NAMES[phase]}`);
  }
  if (isCallPhase(phase)) {
    if (tif === TimeInForce.IOC || tif === TimeInForce.FOK) {
      return wrong(out, `${tif === TimeInForce.IOC ? 'IOC' : 'FOK'} orders are not accepted ${PHASE_NAMES[phase]}: nothing executes until the uncross`);
    }
    if (cmd.minQty > 0) return wrong(out, `MinQty is not accepted ${PHASE_NAMES[phase]}: nothing executes until the uncross`);
  }
  return true;
}

function wrong(out: Rejection, text: string): false {
  out.reason = RejectReason.WrongPhase;
  out.text = text;
  return false;
}
