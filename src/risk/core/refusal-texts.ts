// Reject texts: the limit, the value the order would reach, the limit's value, and the scope the limit
// was set at, e.g. "max order qty exceeded: 150 > 100 (account ACC1, BTCUSDT)". Numbers are exact decimals
// with trailing zeros trimmed. Built only when refusing, so the allocation is off the accept path.

import { formatDecimal } from '../../venue/model/decimal.js';
import { PERCENT_DECIMALS } from '../exact/percent.js';
import { Level } from '../limits/limit-table.js';
import type { RiskSlot } from '../limits/risk-slot.js';
import { formatBigDecimal } from '../exact/big-decimal.js';
import { LIMIT_LABELS, type LimitName } from '../model/limit-names.js';
import type { KillRecord } from '../kill/kill-switches.js';

export function scopeText(slot: RiskSlot, level: Level): string {
  if (level === Level.Firm) return `firm ${slot.firm}`;
  if (level === Level.Account) return `account ${slot.account}`;
  return `account ${slot.account}, ${slot.symbol}`;
}

export function num(value: number, decimals: number): string {
  return Number.isSafeInteger(value) ? formatDecimal(value, decimals, true) : 'a value beyond the exact range';
}

export function exceededText(name: LimitName, value: string, limit: string, slot: RiskSlot, level: Level): string {
  return `${LIMIT_LABELS[name]} exceeded: ${value} > ${limit} (${scopeText(slot, level)})`;
}

export function unvaluedText(name: LimitName, slot: RiskSlot, level: Level): string {
  return `${LIMIT_LABELS[name]} cannot be checked: no last or reference price to value a market order in ${slot.symbol} (${scopeText(slot, level)})`;
}

/** "price band exceeded: 66001 > 66000 (10% above reference 60000; account ACC1)". */
export function bandText(slot: RiskSlot, price: number, reference: number): string {
  const decimals = slot.inst.priceDecimals;
  const above = price > reference;
  // edge = reference × (1 ± pct / 100), exact at priceDecimals + 6 places.
  const unit = 1_000_000n;
  const pct = BigInt(slot.bandPercent);
  const edge = BigInt(reference) * (above ? unit + pct : unit - pct);
  const edgeText = formatBigDecimal(edge, decimals + 6);
  const pctText = formatDecimal(slot.bandPercent, PERCENT_DECIMALS, true);
  return `price band exceeded: ${num(price, decimals)} ${above ? '>' : '<'} ${edgeText} ` +
    `(${pctText}% ${above ? 'above' : 'below'} reference ${num(reference, decimals)}; ${scopeText(slot, slot.bandLevel)})`;
}

export function killText(k: KillRecord): string {
  return `kill switch on (${k.scope.kind} ${k.scope.id}): ${k.reason}`;
}
