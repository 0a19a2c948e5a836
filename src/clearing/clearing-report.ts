// The clearing report of a firm for a trade date: every trade the firm was on (both sides, with accounts,
// ClOrdIDs, order and match ids, price, quantity, notional, fees, time), the firm's net positions per
// account and asset, and the settlement instructions those positions make. Built from what settlement
// stored in Redis, so any worker can build it.
//
// A firm's report never shows another firm's accounts, ClOrdIDs, order ids or fees: on a trade against
// another member, the other side shows only that member's firm id and role.

import type { InstrumentSpec } from '../venue/model/instrument.js';
import { sideWord } from '../records/record-format.js';
import { parseTradeLine } from '../records/record-parser.js';
import type { TradeEntry, TradeParty } from '../records/record-entries.js';
import { formatUnits } from './amounts.js';
import type { ClearingStore, PositionRow } from './clearing-store.js';
import { netOf, tradeAmounts } from './settlement.js';

export interface ReportSide {
  firm: string;
  account: string;
  clOrdId: string;
  orderId: string;
  role: 'maker' | 'taker';
  fee: string;
}

export interface ReportTrade {
  seq: number;
  matchId: number;
  /** ISO 8601 UTC. */
  time: string;
  symbol: string;
  price: string;
  qty: string;
  notional: string;
  aggressorSide: 'buy' | 'sell';
  feeAsset: string;
  buy: ReportSide;
  sell: ReportSide;
}

export interface ReportPosition {
  account: string;
  asset: string;
  received: string;
  delivered: string;
  fees: string;
  /** received − delivered − fees. */
  net: string;
}

export interface ReportInstruction {
  id: string;
  account: string;
  asset: string;
  direction: 'receive' | 'deliver';
  amount: string;
  /** The venue, central counterparty of every obligation. */
  counterparty: string;
}

export interface ClearingReport {
  format: 'clearing-report';
  version: 1;
  tradeDate: string;
  firm: string;
  generatedAt: string;
  /** True when every trade the venue enqueued for the date had been settled when the report was built. */
  complete: boolean;
  enqueuedTrades: number;
  settledTrades: number;
  tradeCount: number;
  /** Settlement decimals of each asset on the date. */
  scales: Record<string, number>;
  /** Absent from the Redis copy of very large reports (tradesOmitted): the files have them. */
  trades?: ReportTrade[];
  tradesOmitted?: boolean;
  positions: ReportPosition[];
  instructions: ReportInstruction[];
  files?: { json: string; trades: string; positions: string; instructions: string };
}

export interface ReportContext {
  instruments: ReadonlyMap<string, InstrumentSpec>;
  /** Name of the central counterparty in instructions (the venue's CompID). */
  counterparty: string;
}

export class SettlementIncompleteError extends Error {
  constructor(date: string, enqueued: number, settled: number) {
    super(`settlement of ${date} has not caught up: ${settled} of ${enqueued} enqueued trades settled`);
    this.name = 'SettlementIncompleteError';
  }
}

function side(p: TradeParty, fee: string, firm: string): ReportSide {
  return p.firm === firm
    ? { firm: p.firm, account: p.account, clOrdId: p.clOrdId, orderId: String(p.orderId), role: p.role, fee }
    : { firm: p.firm, account: '', clOrdId: '', orderId: '', role: p.role, fee: '' };
}

function tradeRow(t: TradeEntry, buyFee: bigint, sellFee: bigint, firm: string, ctx: ReportContext, scales: Record<string, number>): ReportTrade {
  const inst = ctx.instruments.get(t.symbol);
  if (inst === undefined) throw new Error(`trade ${t.seq}: unknown instrument ${t.symbol}`);
  const quoteScale = scales[inst.quoteAsset];
  const baseScale = scales[inst.baseAsset];
  if (quoteScale === undefined || baseScale === undefined) throw new Error(`trade ${t.seq}: no settlement scale stored for ${inst.symbol}`);
  return {
    seq: t.seq, matchId: t.matchId, time: new Date(t.time).toISOString(), symbol: t.symbol, price: t.price, qty: t.qty,
    notional: formatUnits(tradeAmounts(t, inst, baseScale, quoteScale).notional, quoteScale),
    aggressorSide: sideWord(t.aggressorSide) as 'buy' | 'sell', feeAsset: inst.quoteAsset,
    buy: side(t.buy, formatUnits(buyFee, quoteScale), firm), sell: side(t.sell, formatUnits(sellFee, quoteScale), firm),
  };
}

function positionRows(rows: PositionRow[], scales: Record<string, number>): ReportPosition[] {
  return rows.map((r) => {
    const d = scales[r.asset] ?? 0;
    return {
      account: r.account, asset: r.asset, received: formatUnits(r.received, d), delivered: formatUnits(r.delivered, d),
      fees: formatUnits(r.fees, d), net: formatUnits(netOf(r), d),
    };
  });
}

function instructionRows(date: string, rows: PositionRow[], scales: Record<string, number>, counterparty: string): ReportInstruction[] {
  const out: ReportInstruction[] = [];
  for (const r of rows) {
    const net = netOf(r);
    if (net === 0n) continue;
    out.push({
      id: `${date}-${r.firm}-${r.account}-${r.asset}`, account: r.account, asset: r.asset, direction: net > 0n ? 'receive' : 'deliver',
      amount: formatUnits(net > 0n ? net : -net, scales[r.asset] ?? 0), counterparty,
    });
  }
  return out;
}

/**
 * Builds the reports of the given firms for a date, reading the date's batches once. With requireComplete,
 * throws SettlementIncompleteError while settled trades lag enqueued ones (the job is then retried).
 */
export async function buildClearingReports(
  store: ClearingStore,
  ctx: ReportContext,
  date: string,
  firms: readonly string[],
  requireComplete: boolean,
): Promise<ClearingReport[]> {
  const status = await store.dayStatus(date);
  if (requireComplete && status.settled < status.enqueued) throw new SettlementIncompleteError(date, status.enqueued, status.settled);
  const scales = await store.scales(date);
  const wanted = new Set(firms);
  const trades = new Map<string, ReportTrade[]>(firms.map((f) => [f, []]));
  await store.scanBatches(date, (batchId, lines, result) => {
    const list = lines.split('\n');
    if (list[list.length - 1] === '') list.pop();
    list.forEach((line, i) => {
      const t = parseTradeLine(line, date);
      const on = new Set([t.buy.firm, t.sell.firm]);
      for (const firm of on) {
        if (!wanted.has(firm)) continue;
        const buyFee = result.fees[2 * i];
        const sellFee = result.fees[2 * i + 1];
        if (buyFee === undefined || sellFee === undefined) throw new Error(`batch ${batchId}: no fees stored for trade ${t.seq}`);
        trades.get(firm)!.push(tradeRow(t, BigInt(buyFee), BigInt(sellFee), firm, ctx, scales));
      }
    });
  });
  const generatedAt = new Date().toISOString();
  const reports: ClearingReport[] = [];
  for (const firm of firms) {
    const rows = trades.get(firm)!.sort((a, b) => a.seq - b.seq);
    const positions = await store.positions(date, firm);
    reports.push({
      format: 'clearing-report', version: 1, tradeDate: date, firm, generatedAt, complete: status.settled >= status.enqueued,
      enqueuedTrades: status.enqueued, settledTrades: status.settled, tradeCount: rows.length, scales, trades: rows,
      positions: positionRows(positions, scales), instructions: instructionRows(date, positions, scales, ctx.counterparty),
    });
  }
  return reports;
}
