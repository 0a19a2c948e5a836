// Writes a clearing report under <reportsDir>/clearing/<date>/<firm>/: trades.csv, positions.csv,
// instructions.csv (RFC 4180, header row, CRLF) and report.json (everything, same field names). Each file
// is replaced atomically (report-file.ts), so re-running a report overwrites it cleanly.

import path from 'node:path';
import type { ClearingReport } from './clearing-report.js';
import { ReportFile, csvRow } from './report-file.js';

export const TRADE_COLUMNS = [
  'trade_date', 'seq', 'match_id', 'time', 'symbol', 'price', 'qty', 'notional', 'aggressor_side', 'fee_asset',
  'buy_firm', 'buy_account', 'buy_clordid', 'buy_order_id', 'buy_role', 'buy_fee',
  'sell_firm', 'sell_account', 'sell_clordid', 'sell_order_id', 'sell_role', 'sell_fee',
];
export const POSITION_COLUMNS = ['trade_date', 'firm', 'account', 'asset', 'received', 'delivered', 'fees', 'net'];
export const INSTRUCTION_COLUMNS = ['instruction_id', 'trade_date', 'firm', 'account', 'asset', 'direction', 'amount', 'counterparty'];

/** A name that is safe as one path segment whatever the id holds. */
export function safeSegment(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || s === '.' || s === '..' ? `_${s}` : s;
}

async function writeAll(file: string, parts: Iterable<string>): Promise<void> {
  const f = new ReportFile(file);
  try {
    for (const p of parts) await f.write(p);
    await f.commit();
  } catch (err) {
    await f.abort();
    throw err;
  }
}

function* tradeCsv(r: ClearingReport): Iterable<string> {
  yield csvRow(TRADE_COLUMNS);
  for (const t of r.trades ?? []) {
    yield csvRow([
      r.tradeDate, t.seq, t.matchId, t.time, t.symbol, t.price, t.qty, t.notional, t.aggressorSide, t.feeAsset,
      t.buy.firm, t.buy.account, t.buy.clOrdId, t.buy.orderId, t.buy.role, t.buy.fee,
      t.sell.firm, t.sell.account, t.sell.clOrdId, t.sell.orderId, t.sell.role, t.sell.fee,
    ]);
  }
}

function* positionCsv(r: ClearingReport): Iterable<string> {
  yield csvRow(POSITION_COLUMNS);
  for (const p of r.positions) yield csvRow([r.tradeDate, r.firm, p.account, p.asset, p.received, p.delivered, p.fees, p.net]);
}

function* instructionCsv(r: ClearingReport): Iterable<string> {
  yield csvRow(INSTRUCTION_COLUMNS);
  for (const i of r.instructions) yield csvRow([i.id, r.tradeDate, r.firm, i.account, i.asset, i.direction, i.amount, i.counterparty]);
}

/** The JSON, streamed a trade per line so a large report never has to be one string. */
function* reportJson(r: ClearingReport): Iterable<string> {
  const { trades, ...head } = r;
  const headText = JSON.stringify(head, null, 1);
  yield headText.slice(0, -2) + ',\n "trades": [';
  let first = true;
  for (const t of trades ?? []) {
    yield (first ? '\n  ' : ',\n  ') + JSON.stringify(t);
    first = false;
  }
  yield '\n ]\n}\n';
}

/** Writes the four files; returns their paths. */
export async function writeClearingReportFiles(report: ClearingReport, reportsDir: string): Promise<NonNullable<ClearingReport['files']>> {
  const dir = path.join(reportsDir, 'clearing', report.tradeDate, safeSegment(report.firm));
  const files = {
    json: path.join(dir, 'report.json'),
    trades: path.join(dir, 'trades.csv'),
    positions: path.join(dir, 'positions.csv'),
    instructions: path.join(dir, 'instructions.csv'),
  };
  await writeAll(files.trades, tradeCsv(report));
  await writeAll(files.positions, positionCsv(report));
  await writeAll(files.instructions, instructionCsv(report));
  await writeAll(files.json, reportJson({ ...report, files }));
  return files;
}
