// What another venue's ExecutionReport(8) or OrderCancelReject(9) means for the member's order. The order is found
// from our ClOrdID (or OrigClOrdID) alone; prices and quantities are read exactly at the instrument's scale, and a
// value that does not fit (a finer tick over there, an overfill) is a discrepancy for ops, never rounded.

import { CxlRejResponseTo, ExecType, Tag as T, type FixMessageView } from '../../fix/index.js';
import type { RouteReportKind } from '../../venue/model/commands.js';
import { CancelReason, OrderStatus, OrdType, TimeInForce } from '../../venue/model/enums.js';
import type { OrderView } from '../../venue/model/events.js';
import type { ClientIds } from '../client-ids.js';
import type { RoutedOrder, RouteReport } from '../route-adapter.js';

export type FixReport =
  | { orderId: number; kind: RouteReportKind; fields: Partial<RouteReport> }
  | { orderId: number; discrepancy: string };

/** Why the other venue ended an order it was not asked to end, in the venue's terms. */
function ownEndReason(o: OrderView): CancelReason {
  if (o.timeInForce === TimeInForce.IOC) return CancelReason.ImmediateOrCancel;
  if (o.timeInForce === TimeInForce.FOK) return CancelReason.FillOrKill;
  if (o.ordType === OrdType.Market) return CancelReason.MarketNoLiquidity;
  return CancelReason.Routed;
}

export function reportFromExecution(
  view: FixMessageView, ids: ClientIds, orderOf: (orderId: number) => RoutedOrder | undefined,
): FixReport | null {
  const ref = ids.parse(view.getString(T.ClOrdID) ?? '') ?? ids.parse(view.getString(T.OrigClOrdID) ?? '');
  if (ref === null) return null;
  const found = orderOf(ref.orderId);
  if (found === undefined) return null; // done already: nothing it says can change it
  const { view: rv, spec } = found;
  const orderId = ref.orderId;
  const externalOrderId = view.getString(T.OrderID) ?? '';
  const text = view.getString(T.Text) ?? '';
  const unsolicited = !ref.cancel && rv.pending?.kind !== 'cancel';
  switch (view.getString(T.ExecType)) {
    case ExecType.New:
      return { orderId, kind: 'acknowledged', fields: { externalOrderId } };
    case ExecType.Trade: {
      const execId = view.getString(T.ExecID) ?? '';
      const price = view.getScaled(T.LastPx, spec.priceDecimals);
      const qty = view.getScaled(T.LastQty, spec.qtyDecimals);
      if (execId === '' || price === undefined || qty === undefined || !(price > 0) || !(qty > 0)) {
        return { orderId, discrepancy: `fill ${execId} of ${view.getString(T.LastQty)} @ ${view.getString(T.LastPx)} is missing fields or off the instrument's scale` };
      }
      if (qty > rv.order.leavesQty && !rv.execIds.includes(execId)) {
        return { orderId, discrepancy: `fill ${execId} of ${view.getString(T.LastQty)} exceeds the order's open quantity` };
      }
      return { orderId, kind: 'fill', fields: { execId, price, qty, externalOrderId } };
    }
    case ExecType.Cancelled:
      return { orderId, kind: 'cancelled', fields: unsolicited ? { cancelReason: ownEndReason(rv.order), text, externalOrderId } : { externalOrderId } };
    case ExecType.Expired:
      return { orderId, kind: 'expired', fields: { externalOrderId } };
    case ExecType.Replaced: {
      const p = rv.pending;
      if (p === null || p.kind !== 'replace' || p.requestSeq !== ref.seq) return null;
      return { orderId, kind: 'replaced', fields: { externalOrderId } };
    }
    case ExecType.Rejected:
      return ref.seq === rv.incarnation && !rv.acknowledged ? { orderId, kind: 'rejected', fields: { text } } : null;
    case ExecType.OrderStatus:
      return statusAnswer(view, ref.seq === rv.incarnation && !ref.cancel, found, text);
    default:
      return null; // pending new / cancel / replace, restatements: nothing to apply
  }
}

/** An answer to our OrderStatusRequest: what it shows that we have not heard. */
function statusAnswer(view: FixMessageView, current: boolean, found: RoutedOrder, text: string): FixReport | null {
  const { view: rv, spec } = found;
  const orderId = rv.order.orderId;
  if (!current) return null; // about another incarnation: the resent reports tell that story
  switch (view.getString(T.OrdStatus)) {
    case OrderStatus.New:
    case OrderStatus.PartiallyFilled:
    case OrderStatus.PendingCancel:
    case OrderStatus.PendingReplace:
      return rv.acknowledged ? null : { orderId, kind: 'acknowledged', fields: { externalOrderId: view.getString(T.OrderID) ?? '' } };
    case OrderStatus.Cancelled:
      return { orderId, kind: 'cancelled', fields: { cancelReason: CancelReason.Routed, text: `cancelled at the other venue (status request): ${text}` } };
    case OrderStatus.Expired:
      return { orderId, kind: 'expired', fields: {} };
    case OrderStatus.Rejected:
      return rv.acknowledged
        ? { orderId, discrepancy: `acknowledged order is unknown at the other venue: ${text}` }
        : { orderId, kind: 'rejected', fields: { text: `not known at the other venue: ${text}` } };
    case OrderStatus.Filled: {
      const theirs = view.getScaled(T.CumQty, spec.qtyDecimals);
      return theirs !== undefined && theirs > rv.order.cumQty ? { orderId, discrepancy: `filled there (${view.getString(T.CumQty)}) beyond the fills received` } : null;
    }
    default:
      return null;
  }
}

export function reportFromCancelReject(view: FixMessageView, ids: ClientIds): { orderId: number; kind: RouteReportKind; fields: Partial<RouteReport> } | null {
  const ref = ids.parse(view.getString(T.OrigClOrdID) ?? '') ?? ids.parse(view.getString(T.ClOrdID) ?? '');
  if (ref === null) return null;
  const kind: RouteReportKind = view.getString(T.CxlRejResponseTo) === CxlRejResponseTo.Replace ? 'replaceRejected' : 'cancelRejected';
  return { orderId: ref.orderId, kind, fields: { text: view.getString(T.Text) ?? '' } };
}
