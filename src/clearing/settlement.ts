// Settlement of a batch of trades, as a pure computation: per account and asset, the base asset received
// (bought) or delivered (sold), the quote asset received (sale proceeds) or delivered (paid for purchases),
// and the fees; netted over the batch. The venue is the central counterparty: every obligation is between
// a member's account and the venue, so the net of an account and asset is one instruction, receive or
// deliver. Pure and deterministic: the same trades give byte-identical results, which is what makes a
// retried job harmless.

import { decimalsOf, parseDecimal } from '../venue/model/decimal.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import type { SettlementTrade } from '../records/record-parser.js';
import { formatUnits, pow10n } from './amounts.js';
import type { AssetScales } from './asset-scales.js';
import type { FeeSchedule } from './fees.js';

export interface SettlementContext {
  instruments: ReadonlyMap<string, InstrumentSpec>;
  scales: AssetScales;
  fees: FeeSchedule;
}

/** What one account owes or is owed in one asset, in units of the asset's settlement scale. */
export interface Obligation {
  firm: string;
  account: string;
  asset: string;
  received: bigint;
  delivered: bigint;
  fees: bigint;
}

export interface Instruction {
  firm: string;
  account: string;
  asset: string;
  direction: 'receive' | 'deliver';
  /** Exact decimal at the asset's settlement scale. */
  amount: string;
}

export interface BatchSettlement {
  count: number;
  /** Fee of the buy side and of the sell side of each trade, in order, in quote-asset units. */
  fees: bigint[];
  /** Sorted by firm, account, asset. */
  obligations: Obligation[];
  /** Firms with trades in the batch, sorted. */
  firms: string[];
  /** Settlement decimals of the assets the batch touches. */
  scales: Record<string, number>;
}

function scaled(text: string, what: string, seq: number): { value: bigint; decimals: number } {
  const decimals = decimalsOf(text);
  const v = parseDecimal(text, decimals);
  if (Number.isNaN(v) || v <= 0) throw new Error(`trade ${seq}: ${what} "${text}" is not a positive exact decimal`);
  return { value: BigInt(v), decimals };
}

/** Base quantity and quote notional of a trade, in units of the assets' settlement scales (exact). */
export function tradeAmounts(t: Pick<SettlementTrade, 'seq' | 'price' | 'qty'>, inst: InstrumentSpec, baseScale: number, quoteScale: number): { base: bigint; notional: bigint } {
  const price = scaled(t.price, 'price', t.seq);
  const qty = scaled(t.qty, 'quantity', t.seq);
  if (baseScale < qty.decimals || quoteScale < price.decimals + qty.decimals) {
    throw new Error(`trade ${t.seq}: ${t.price} × ${t.qty} is finer than the settlement scales of ${inst.baseAsset}/${inst.quoteAsset}`);
  }
  return {
    base: qty.value * pow10n(baseScale - qty.decimals),
    notional: price.value * qty.value * pow10n(quoteScale - price.decimals - qty.decimals),
  };
}

export function settleTrades(trades: readonly SettlementTrade[], ctx: SettlementContext): BatchSettlement {
  const book = new Map<string, Obligation>();
  const scales: Record<string, number> = {};
  const firms = new Set<string>();
  const fees: bigint[] = [];

  const obligation = (p: SettlementTrade['buy'], asset: string): Obligation => {
    const key = `${p.firm}\u0000${p.account}\u0000${asset}`;
    let o = book.get(key);
    if (o === undefined) {
      o = { firm: p.firm, account: p.account, asset, received: 0n, delivered: 0n, fees: 0n };
      book.set(key, o);
    }
    return o;
  };
  const scaleOf = (asset: string): number => (scales[asset] ??= ctx.scales.of(asset));

  for (const t of trades) {
    const inst = ctx.instruments.get(t.symbol);
    if (inst === undefined) throw new Error(`trade ${t.seq}: unknown instrument ${t.symbol}`);
    const { base, notional } = tradeAmounts(t, inst, scaleOf(inst.baseAsset), scaleOf(inst.quoteAsset));
    const buyFee = ctx.fees.fee(t.buy.firm, t.buy.role, notional);
    const sellFee = ctx.fees.fee(t.sell.firm, t.sell.role, notional);
    fees.push(buyFee, sellFee);

    obligation(t.buy, inst.baseAsset).received += base;
    const buyQuote = obligation(t.buy, inst.quoteAsset);
    buyQuote.delivered += notional;
    buyQuote.fees += buyFee;
    obligation(t.sell, inst.baseAsset).delivered += base;
    const sellQuote = obligation(t.sell, inst.quoteAsset);
    sellQuote.received += notional;
    sellQuote.fees += sellFee;
    firms.add(t.buy.firm).add(t.sell.firm);
  }

  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const obligations = [...book.values()].sort((a, b) => cmp(a.firm, b.firm) || cmp(a.account, b.account) || cmp(a.asset, b.asset));
  return { count: trades.length, fees, obligations, firms: [...firms].sort(cmp), scales };
}

/** Net of an obligation: what the account receives (positive) or delivers (negative), fees included. */
export function netOf(o: Pick<Obligation, 'received' | 'delivered' | 'fees'>): bigint {
  return o.received - o.delivered - o.fees;
}

/** One instruction per account and asset with a non-zero net. */
export function instructionsOf(obligations: readonly Obligation[], scales: Readonly<Record<string, number>>): Instruction[] {
  const out: Instruction[] = [];
  for (const o of obligations) {
    const net = netOf(o);
    if (net === 0n) continue;
    const d = scales[o.asset];
    if (d === undefined) throw new Error(`no settlement scale for ${o.asset}`);
    out.push({ firm: o.firm, account: o.account, asset: o.asset, direction: net > 0n ? 'receive' : 'deliver', amount: formatUnits(net > 0n ? net : -net, d) });
  }
  return out;
}
