// Open-order exposure, reserved when the venue accepts an order and adjusted on every change of it
// (replace, partial fill, STP decrement, trigger) until it is done (filled, cancelled, expired). Built
// only from events, so a journal replay rebuilds it exactly, and updated synchronously inside the
// venue's event delivery, so the next check already sees it: many orders in flight cannot slip past the
// credit check.
//
// Reservation of an order = remaining quantity × its reservation price, in quote units: the limit price
// (limit, stop-limit), the stop price of an untriggered stop, and for a market order the reference price
// when it was accepted (last trade, else the configured reference).

import { OrdType, Side } from '../../venue/model/enums.js';
import type { OrderView } from '../../venue/model/events.js';
import * as safeMath from '../exact/safe-math.js';
import type { RiskSlot } from '../limits/risk-slot.js';
import { OpenOrderTable } from './open-order-table.js';

// Hot path: under tsx (tests, benchmarks) an imported binding is read through a getter at every use
// (~10 ns); the module-local copies below are plain reads.
const { addExact, mulExact } = safeMath;
const LIMIT = OrdType.Limit;
const STOP_LIMIT = OrdType.StopLimit;
const STOP = OrdType.Stop;
const BUY = Side.Buy;

export class OpenOrder {
  orderId = 0;
  slot: RiskSlot | null = null;
  side: Side = Side.Buy;
  ordType: OrdType = OrdType.Limit;
  triggered = false;
  cumQty = 0;
  /** Remaining quantity, instrument scale. */
  leaves = 0;
  reservePrice = 0;
  /** Reserved notional, quote units. */
  reserved = 0;
  /** Remaining quantity in base units. */
  baseQty = 0;
}

/** The price an order's remaining quantity is reserved at (see the header). */
export function reservationPrice(ordType: OrdType, price: number, stopPx: number, triggered: boolean, fallback: number): number {
  if (ordType === LIMIT || ordType === STOP_LIMIT) return price;
  if (ordType === STOP && !triggered) return stopPx;
  return fallback;
}

/** Remaining quantity × price in quote units (Infinity beyond the exact range). */
export function notionalOf(slot: RiskSlot, qty: number, price: number): number {
  return mulExact(mulExact(qty, price), slot.inst.notionalToQuote);
}

export class OpenOrders {
  private readonly byId = new OpenOrderTable();
  private readonly pool: OpenOrder[] = [];

  get size(): number {
    return this.byId.size;
  }

  get(orderId: number): OpenOrder | undefined {
    return this.byId.get(orderId);
  }

  /**
   * Brings the reservation of an order in line with the venue's view of it: adds it when new and live,
   * updates it, removes it when done. `slot` is the order's (firm, account, symbol) slot.
   */
  sync(view: OrderView, slot: RiskSlot, known?: OpenOrder): void {
    let rec = known ?? this.byId.get(view.orderId);
    const leaves = view.leavesQty > 0 ? view.leavesQty : 0;
    if (rec === undefined) {
      if (leaves === 0) return;
      rec = this.pool.pop() ?? new OpenOrder();
      rec.orderId = view.orderId;
      rec.slot = slot;
      rec.side = view.side;
      rec.leaves = 0;
      rec.reserved = 0;
      rec.baseQty = 0;
      rec.reservePrice = 0;
      this.byId.add(rec);
      slot.firmCounters.openOrders++;
      slot.accountCounters.openOrders++;
      slot.instrumentCounters.openOrders++;
      rec.reservePrice = reservationPrice(view.ordType, view.price, view.stopPx, view.triggered, slot.inst.referencePrice);
    } else {
      rec.reservePrice = reservationPrice(view.ordType, view.price, view.stopPx, view.triggered, rec.reservePrice);
    }
    rec.ordType = view.ordType;
    rec.triggered = view.triggered;
    rec.cumQty = view.cumQty;
    this.reserve(rec, leaves, leaves === 0 ? 0 : notionalOf(rec.slot!, leaves, rec.reservePrice));
    if (leaves === 0) this.remove(rec);
  }

  /** Forgets every order and reservation (before a resync from the venue's live orders). */
  clear(): void {
    for (const rec of this.byId.values()) {
      this.reserve(rec, 0, 0);
      this.remove(rec);
    }
  }

  private reserve(rec: OpenOrder, leaves: number, reserved: number): void {
    const slot = rec.slot!;
    const baseQty = mulExact(leaves, slot.inst.qtyToBase);
    const dQty = baseQty - rec.baseQty;
    const dNotional = reserved - rec.reserved;
    if (dQty !== 0) {
      if (rec.side === BUY) {
        slot.basePosition.openBuy = addExact(slot.basePosition.openBuy, dQty);
        slot.firmBase.openBuy = addExact(slot.firmBase.openBuy, dQty);
      } else {
        slot.basePosition.openSell = addExact(slot.basePosition.openSell, dQty);
        slot.firmBase.openSell = addExact(slot.firmBase.openSell, dQty);
      }
    }
    if (dNotional !== 0) {
      slot.instrumentCounters.openNotional = addExact(slot.instrumentCounters.openNotional, dNotional);
      slot.accountCredit.open = addExact(slot.accountCredit.open, dNotional);
      slot.firmCredit.open = addExact(slot.firmCredit.open, dNotional);
    }
    rec.leaves = leaves;
    rec.baseQty = baseQty;
    rec.reserved = reserved;
  }

  private remove(rec: OpenOrder): void {
    const slot = rec.slot!;
    slot.firmCounters.openOrders--;
    slot.accountCounters.openOrders--;
    slot.instrumentCounters.openOrders--;
    this.byId.delete(rec.orderId);
    rec.slot = null;
    this.pool.push(rec);
  }
}
