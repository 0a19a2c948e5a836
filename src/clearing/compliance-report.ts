// The compliance report: every order event, execution, reject and cancel of a period (optionally one firm,
// account or symbol), from the execution record, as CSV and JSON files under <reportsDir>/compliance/, and
// as rows for the admin API. A trade gives one execution row per side, so each row is one order's view.
//
// It runs in the venue process, next to the record it reads (the record's files are local to the venue),
// streaming: a period of any length is written a chunk at a time.

import path from 'node:path';
import type { ExecutionRecord } from '../records/execution-record.js';
import type { RecordEntry, RecordFilter, RecordedOrder, TradeEntry, TradeParty } from '../records/record-entries.js';
import { ordTypeWord, sideWord, statusWord, tifWord } from '../records/record-format.js';
import { Side } from '../venue/model/enums.js';
import { ReportFile, csvRow } from './report-file.js';

export const COMPLIANCE_COLUMNS = [
  'seq', 'time', 'category', 'event', 'firm', 'account', 'session', 'order_id', 'clordid', 'orig_clordid', 'symbol', 'side',
  'ord_type', 'tif', 'price', 'stop_px', 'qty', 'cum_qty', 'leaves_qty', 'status', 'last_px', 'last_qty', 'match_id', 'role',
  'reason', 'text',
] as const;

export type ComplianceCategory = 'order' | 'execution' | 'reject' | 'cancel' | 'status';

export interface ComplianceRow {
  seq: number;
  time: string;
  category: ComplianceCategory;
  event: RecordEntry['type'];
  firm: string;
  account: string;
  session: string;
  orderId: string;
  clOrdId: string;
  origClOrdId: string;
  symbol: string;
  side: string;
  ordType: string;
  tif: string;
  price: string;
  stopPx: string;
  qty: string;
  cumQty: string;
  leavesQty: string;
  status: string;
  lastPx: string;
  lastQty: string;
  matchId: string;
  role: string;
  reason: string;
  text: string;
}

export interface ComplianceQuery {
  /** Inclusive period, epoch ms. */
  from: number;
  to: number;
  filter?: RecordFilter;
}

export interface ComplianceReport {
  from: string;
  to: string;
  filter: RecordFilter;
  generatedAt: string;
  counts: Record<ComplianceCategory, number>;
  files: { csv: string; json: string };
}

const EMPTY: ComplianceRow = {
  seq: 0, time: '', category: 'order', event: 'accepted', firm: '', account: '', session: '', orderId: '', clOrdId: '', origClOrdId: '',
  symbol: '', side: '', ordType: '', tif: '', price: '', stopPx: '', qty: '', cumQty: '', leavesQty: '', status: '', lastPx: '',
  lastQty: '', matchId: '', role: '', reason: '', text: '',
};

function orderFields(o: RecordedOrder): Partial<ComplianceRow> {
  return {
    firm: o.firm, account: o.account, session: o.session, orderId: String(o.orderId), clOrdId: o.clOrdId, origClOrdId: o.origClOrdId,
    symbol: o.symbol, side: sideWord(o.side), ordType: ordTypeWord(o.ordType), tif: tifWord(o.timeInForce), price: o.price,
    stopPx: o.stopPx, qty: o.qty, cumQty: o.cumQty, leavesQty: o.leavesQty, status: statusWord(o.status),
  };
}

function execution(t: TradeEntry, p: TradeParty, side: Side, head: Pick<ComplianceRow, 'seq' | 'time'>): ComplianceRow {
  return {
    ...EMPTY, ...head, category: 'execution', event: 'trade', firm: p.firm, account: p.account, session: p.session,
    orderId: String(p.orderId), clOrdId: p.clOrdId, symbol: t.symbol, side: sideWord(side), cumQty: p.cumQty, leavesQty: p.leavesQty,
    status: statusWord(p.status), lastPx: t.price, lastQty: t.qty, matchId: String(t.matchId), role: p.role,
  };
}

/** The rows of one record entry (a trade: one per side that passes the filter). */
export function complianceRows(e: RecordEntry, filter: RecordFilter = {}): ComplianceRow[] {
  const head = { seq: e.seq, time: new Date(e.time).toISOString() };
  switch (e.type) {
    case 'trade': {
      const ok = (p: TradeParty): boolean => (!filter.firm || p.firm === filter.firm) && (!filter.account || p.account === filter.account);
      const rows: ComplianceRow[] = [];
      if (ok(e.buy)) rows.push(execution(e, e.buy, Side.Buy, head));
      if (ok(e.sell)) rows.push(execution(e, e.sell, Side.Sell, head));
      return rows;
    }
    case 'rejected':
      return [{
        ...EMPTY, ...head, category: 'reject', event: e.type, firm: e.firm, account: e.account, session: e.session,
        orderId: e.orderId === 0 ? '' : String(e.orderId), clOrdId: e.clOrdId, origClOrdId: e.origClOrdId, symbol: e.symbol,
        side: e.side === 0 ? `?${e.sideCode}` : sideWord(e.side), reason: `${e.command}: ${e.reason}`, text: e.text,
      }];
    case 'cancelled':
      return [{ ...EMPTY, ...head, ...orderFields(e.order), category: 'cancel', event: e.type, reason: e.reason, text: e.requestId ? `request ${e.requestId}` : '' }];
    case 'massCancelDone':
      return [{ ...EMPTY, ...head, category: 'cancel', event: e.type, session: e.requestedBy, clOrdId: e.requestId, text: `${e.cancelled} orders cancelled` }];
    case 'tradingStatus':
      return [{ ...EMPTY, ...head, category: 'status', event: e.type, symbol: e.symbol, status: e.status, reason: e.reason }];
    case 'replaced':
      return [{ ...EMPTY, ...head, ...orderFields(e.order), category: 'order', event: e.type, reason: e.keptPriority ? 'kept priority' : 'lost priority' }];
    case 'restated':
      return [{ ...EMPTY, ...head, ...orderFields(e.order), category: 'order', event: e.type, reason: e.reason }];
    case 'routed':
      // A fill at an external venue is an execution of the member's order; the other steps are order events.
      return [{
        ...EMPTY, ...head, ...orderFields(e.order), category: e.kind === 'fill' ? 'execution' : e.kind === 'rejected' ? 'reject' : 'order',
        event: e.type, lastPx: e.price, lastQty: e.qty, matchId: e.execId, reason: `${e.kind} via ${e.route}`, text: e.text,
      }];
    default:
      return [{ ...EMPTY, ...head, ...orderFields(e.order), category: 'order', event: e.type }];
  }
}

function csvOf(r: ComplianceRow): string {
  return csvRow([
    r.seq, r.time, r.category, r.event, r.firm, r.account, r.session, r.orderId, r.clOrdId, r.origClOrdId, r.symbol, r.side, r.ordType,
    r.tif, r.price, r.stopPx, r.qty, r.cumQty, r.leavesQty, r.status, r.lastPx, r.lastQty, r.matchId, r.role, r.reason, r.text,
  ]);
}

/** The rows of a period, at most `limit` (for the admin API; use the report for long periods). */
export async function complianceEvents(record: ExecutionRecord, q: ComplianceQuery, limit = 10_000): Promise<ComplianceRow[]> {
  const rows: ComplianceRow[] = [];
  await record.scanEvents({ from: q.from, to: q.to, filter: q.filter }, (e) => {
    if (rows.length < limit) rows.push(...complianceRows(e, q.filter).slice(0, limit - rows.length));
  });
  return rows;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

/** Writes compliance-<from>_<to>[_firm][_account][_symbol].csv / .json and returns the summary. */
export async function runComplianceReport(record: ExecutionRecord, reportsDir: string, q: ComplianceQuery): Promise<ComplianceReport> {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.from > q.to) throw new RangeError('compliance report: from and to must be times with from <= to');
  const filter = q.filter ?? {};
  const tags = [filter.firm, filter.account, filter.symbol].filter((x): x is string => !!x).map((x) => x.replace(/[^A-Za-z0-9._-]/g, '_'));
  const base = path.join(reportsDir, 'compliance', ['compliance', `${stamp(q.from)}_${stamp(q.to)}`, ...tags].join('_'));
  const files = { csv: `${base}.csv`, json: `${base}.json` };
  const summary: ComplianceReport = {
    from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString(), filter, generatedAt: new Date().toISOString(),
    counts: { order: 0, execution: 0, reject: 0, cancel: 0, status: 0 }, files,
  };
  const csv = new ReportFile(files.csv);
  const json = new ReportFile(files.json);
  try {
    await csv.write(csvRow(COMPLIANCE_COLUMNS));
    const head = JSON.stringify({ format: 'compliance-report', version: 1, from: summary.from, to: summary.to, filter, generatedAt: summary.generatedAt });
    await json.write(head.slice(0, -1) + ',"events":[');
    let csvChunk = '';
    let jsonChunk = '';
    let first = true;
    await record.scanEvents(
      { from: q.from, to: q.to, filter },
      (e) => {
        for (const r of complianceRows(e, filter)) {
          summary.counts[r.category]++;
          csvChunk += csvOf(r);
          jsonChunk += (first ? '\n' : ',\n') + JSON.stringify(r);
          first = false;
        }
      },
      async () => {
        await csv.write(csvChunk);
        await json.write(jsonChunk);
        csvChunk = '';
        jsonChunk = '';
      },
    );
    await csv.write(csvChunk);
    await json.write(`${jsonChunk}\n],"counts":${JSON.stringify(summary.counts)}}\n`);
    await csv.commit();
    await json.commit();
  } catch (err) {
    await csv.abort();
    await json.abort();
    throw err;
  }
  return summary;
}
