// The pre-trade check: synchronous, in memory, no allocation unless it refuses. Checks, in order: kill
// switch, max order qty, max order notional, price band, max open orders, max orders per second, max
// long / short position, credit limit. For a replace, the aggregate checks look at the change the
// replace makes (the order's old reservation is given back first), and only refuse a replace that adds.
//
// Values the core will reject anyway (unknown symbol or order, a quantity that is not a positive integer)
// pass through untouched: the core's own reject is the better answer.

import type { NewOrderCommand, ReplaceCommand } from '../../venue/model/commands.js';
import type { OrderView } from '../../venue/model/events.js';
import { OrdType, Side } from '../../venue/model/enums.js';
import * as percent from '../exact/percent.js';
import * as safeMath from '../exact/safe-math.js';
import type { KillSwitches } from '../kill/kill-switches.js';
import type { SlotRegistry } from '../limits/slot-registry.js';
import * as openOrders from '../exposure/open-orders.js';
import type { OpenOrders } from '../exposure/open-orders.js';
import type { RiskSlot } from '../limits/risk-slot.js';
import { killRefusal, limitRefusal, type RiskRefusal } from '../model/refusal.js';
import type { LimitName } from '../model/limit-names.js';
import { bandText, exceededText, killText, num, unvaluedText } from './refusal-texts.js';
import type { Level } from '../limits/limit-table.js';

// Hot path: under tsx (tests, benchmarks) an imported binding is read through a getter at every use
// (~10 ns); the module-local copies below are plain reads.
const { exceedsPercent } = percent;
const { isPositiveExact, mulExact } = safeMath;
const { notionalOf, reservationPrice } = openOrders;
const LIMIT = OrdType.Limit;
const STOP_LIMIT = OrdType.StopLimit;
const BUY = Side.Buy;

export type RefusalCounts = Record<LimitName | 'kill-switch', number>;

export class PreTradeCheck {
  checks = 0;
  readonly refusals: RefusalCounts = {
    maxOrderQty: 0, maxOrderNotional: 0, priceBandPercent: 0, maxOpenOrders: 0, maxLongPosition: 0,
    maxShortPosition: 0, creditLimit: 0, maxOrdersPerSecond: 0, lossLimit: 0, 'kill-switch': 0,
  };

  constructor(
    private readonly slots: SlotRegistry,
    private readonly orders: OpenOrders,
    private readonly kills: KillSwitches,
  ) {}

  /** `current`: for a replace, the venue's live order it targets (null when there is none). */
  check(cmd: NewOrderCommand | ReplaceCommand, current: OrderView | null): RiskRefusal | null {
    this.checks++;
    const slot = this.slots.find(cmd.firm, cmd.account, cmd.symbol);
    if (slot === null) return null;
    if (this.kills.active > 0) {
      const k = this.kills.match(cmd.firm, cmd.account, cmd.session);
      if (k !== null) {
        this.refusals['kill-switch']++;
        return killRefusal(killText(k));
      }
    }
    const qty = cmd.qty;
    if (!isPositiveExact(qty)) return null;
    const inst = slot.inst;

    let isNew = true;
    let ordType: OrdType;
    let side: Side;
    let price: number;
    let leaves = qty;
    let oldBase = 0;
    let oldReserved = 0;
    if (cmd.type === 'replace') {
      const rec = current === null ? undefined : this.orders.get(current.orderId);
      if (rec === undefined) return null; // no such live order: the core rejects the replace
      isNew = false;
      leaves = qty - rec.cumQty;
      if (leaves <= 0) return null; // replaced down to what has filled: the order ends, nothing to add
      ordType = rec.ordType;
      side = rec.side;
      price = reservationPrice(ordType, cmd.price, cmd.stopPx, rec.triggered, rec.reservePrice);
      oldBase = rec.baseQty;
      oldReserved = rec.reserved;
    } else {
      ordType = cmd.ordType;
      side = cmd.side;
      price = reservationPrice(ordType, cmd.price, cmd.stopPx, false, inst.referencePrice);
    }
    if (!Number.isSafeInteger(price) || price < 0) return null;

    if (qty > slot.maxOrderQty) {
      return this.exceeded('maxOrderQty', num(qty, inst.qtyDecimals), num(slot.maxOrderQty, inst.qtyDecimals), slot, slot.maxOrderQtyLevel);
    }
    if (slot.maxOrderNotional !== Infinity) {
      if (price === 0) return this.refuse('maxOrderNotional', unvaluedText('maxOrderNotional', slot, slot.maxOrderNotionalLevel));
      const notional = notionalOf(slot, qty, price);
      if (!(notional <= slot.maxOrderNotional)) {
        return this.exceeded('maxOrderNotional', num(notional, inst.quoteScale), num(slot.maxOrderNotional, inst.quoteScale), slot, slot.maxOrderNotionalLevel);
      }
    }
    if (slot.bandPercent >= 0 && (ordType === LIMIT || ordType === STOP_LIMIT)) {
      const reference = inst.referencePrice;
      const limitPrice = cmd.price;
      if (reference > 0 && limitPrice !== reference) {
        const distance = limitPrice > reference ? limitPrice - reference : reference - limitPrice;
        if (exceedsPercent(distance, reference, slot.bandPercent)) return this.refuse('priceBandPercent', bandText(slot, limitPrice, reference));
      }
    }
    if (isNew && slot.openOrdersCounters.openOrders + 1 > slot.maxOpenOrders) {
      return this.exceeded('maxOpenOrders', String(slot.openOrdersCounters.openOrders + 1), String(slot.maxOpenOrders), slot, slot.openOrdersLevel);
    }
    if (slot.maxOrdersPerSecond !== Infinity) {
      const n = slot.rateCounters.rate!.countAt(cmd.time) + 1;
      if (n > slot.maxOrdersPerSecond) return this.exceeded('maxOrdersPerSecond', String(n), String(slot.maxOrdersPerSecond), slot, slot.rateLevel);
    }
    const addBase = mulExact(leaves, inst.qtyToBase) - oldBase;
    if (addBase > 0) {
      if (side === BUY) {
        if (slot.maxLong !== Infinity) {
          const p = slot.longPosition;
          const projected = p.netNum + p.openBuy + addBase;
          if (!(projected <= slot.maxLong)) {
            return this.exceeded('maxLongPosition', num(projected, inst.baseScale), num(slot.maxLong, inst.baseScale), slot, slot.longLevel);
          }
        }
      } else if (slot.maxShort !== Infinity) {
        const p = slot.shortPosition;
        const projected = p.openSell + addBase - p.netNum;
        if (!(projected <= slot.maxShort)) {
          return this.exceeded('maxShortPosition', num(projected, inst.baseScale), num(slot.maxShort, inst.baseScale), slot, slot.shortLevel);
        }
      }
    }
    if (slot.creditLimit !== Infinity) {
      if (price === 0) return this.refuse('creditLimit', unvaluedText('creditLimit', slot, slot.creditLevel));
      const added = notionalOf(slot, leaves, price) - oldReserved;
      if (added > 0 || !(added <= 0)) {
        const used = slot.creditUsed(slot.creditLevel) + added;
        if (!(used <= slot.creditLimit)) {
          return this.exceeded('creditLimit', num(used, inst.quoteScale), num(slot.creditLimit, inst.quoteScale), slot, slot.creditLevel);
        }
      }
    }
    return null;
  }

  private exceeded(name: LimitName, value: string, limit: string, slot: RiskSlot, level: Level): RiskRefusal {
    return this.refuse(name, exceededText(name, value, limit, slot, level));
  }

  private refuse(name: LimitName, text: string): RiskRefusal {
    this.refusals[name]++;
    return limitRefusal(name, text);
  }
}
