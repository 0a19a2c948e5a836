import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { complianceEvents, runComplianceReport } from '../../src/clearing/compliance-report.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import { OrderStatus, Side } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { T0, order, rejected, trade } from '../records/support/events.js';
import { openRecord, tempDir } from './support/harness.js';

const T = '2025-03-04T10:00:00.000Z';
const REJECT_TEXT = 'price "61000.00" outside band,\nsee rules';

function events(): VenueEvent[] {
  const at = (seq: number) => ({ seq, commandSeq: seq, time: T0 });
  return [
    { ...at(1), type: 'accepted', order: order() },
    rejected({
      ...at(2), command: 'new', session: 'S2', firm: 'F2', account: 'B1', clOrdId: 'r,1', origClOrdId: '', symbol: 'BTCUSDT',
      side: Side.Sell, reason: 'price-band', text: REJECT_TEXT,
    }),
    { ...at(3), type: 'bookDelta', symbol: 'BTCUSDT', side: Side.Buy, price: 6_000_000, qty: 100_000, orderCount: 1 },
    trade({ seq: 4, time: T0, price: 6_000_000, qty: 40_000, makerSide: Side.Buy, maker: { firm: 'F1', account: 'A1', orderId: 1 }, taker: { firm: 'F2', account: 'B1', orderId: 2 } }),
    {
      ...at(5), type: 'cancelled', reason: 'user', requestId: 'x1',
      order: order({ clOrdId: 'x1', origClOrdId: 'c1', cumQty: 40_000, leavesQty: 0, status: OrderStatus.Cancelled }),
    },
    { ...at(6), type: 'massCancelDone', requestedBy: 'S2', requestId: 'm1', cancelled: 0 },
    { ...at(7), type: 'tradingStatus', symbol: 'BTCUSDT', status: 'halted', reason: 'ops halt' },
  ];
}

const HEADER =
  'seq,time,category,event,firm,account,session,order_id,clordid,orig_clordid,symbol,side,ord_type,tif,price,stop_px,qty,cum_qty,leaves_qty,status,last_px,last_qty,match_id,role,reason,text';
const c = (n: number): string => ','.repeat(n);
const ROWS = {
  accepted: `1,${T},order,accepted,F1,A1,S1,1,c1,,BTCUSDT,buy,limit,gtc,60000.00,,1.00000,0.00000,1.00000,new${c(6)}`,
  rejected: `2,${T},reject,rejected,F2,B1,S2,,"r,1",,BTCUSDT,sell${c(13)}new: price-band,"price ""61000.00"" outside band,\nsee rules"`,
  buy: `4,${T},execution,trade,F1,A1,F1,1,o1,,BTCUSDT,buy${c(6)}0.40000,0.00000,filled,60000.00,0.40000,4,maker,,`,
  sell: `4,${T},execution,trade,F2,B1,F2,2,o2,,BTCUSDT,sell${c(6)}0.40000,0.00000,filled,60000.00,0.40000,4,taker,,`,
  cancelled: `5,${T},cancel,cancelled,F1,A1,S1,1,x1,c1,BTCUSDT,buy,limit,gtc,60000.00,,1.00000,0.40000,0.00000,cancelled${c(5)}user,request x1`,
  massCancel: `6,${T},cancel,massCancelDone,,,S2,,m1${c(17)}0 orders cancelled`,
  status: `7,${T},status,tradingStatus${c(7)}BTCUSDT${c(9)}halted${c(5)}ops halt,`,
};

describe('clearing: compliance report from the execution record', () => {
  let dir: string;
  let record: ExecutionRecord;

  beforeEach(async () => {
    dir = tempDir('venue-compliance-');
    record = await openRecord(path.join(dir, 'records'));
    for (const e of events()) record.onEvent(e);
  });
  afterEach(async () => {
    await record.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every order event, execution (one row per side), reject and cancel of the period, exactly', async () => {
    const report = await runComplianceReport(record, path.join(dir, 'reports'), { from: T0 - 1000, to: T0 + 1000 });
    expect(report.counts).to.deep.equal({ order: 1, execution: 2, reject: 1, cancel: 2, status: 1 });
    expect(report.files.csv).to.equal(path.join(dir, 'reports', 'compliance', 'compliance_2025-03-04T09-59-59-000Z_2025-03-04T10-00-01-000Z.csv'));
    const rows = [HEADER, ROWS.accepted, ROWS.rejected, ROWS.buy, ROWS.sell, ROWS.cancelled, ROWS.massCancel, ROWS.status, ''];
    expect(fs.readFileSync(report.files.csv, 'utf8')).to.equal(rows.join('\r\n'));
    const json = JSON.parse(fs.readFileSync(report.files.json, 'utf8')) as { format: string; events: Array<Record<string, unknown>>; counts: unknown; from: string };
    expect(json.format).to.equal('compliance-report');
    expect(json.from).to.equal('2025-03-04T09:59:59.000Z');
    expect(json.counts).to.deep.equal(report.counts);
    expect(json.events.map((e) => e.event)).to.deep.equal(['accepted', 'rejected', 'trade', 'trade', 'cancelled', 'massCancelDone', 'tradingStatus']);
    expect(json.events[1]).to.deep.include({ clOrdId: 'r,1', text: REJECT_TEXT, reason: 'new: price-band' });
    expect(json.events[3]).to.deep.include({ firm: 'F2', side: 'sell', role: 'taker', lastPx: '60000.00', lastQty: '0.40000', matchId: '4' });
  });

  it('narrows to one firm: its own side of a trade, its rejects; no venue-wide events', async () => {
    const report = await runComplianceReport(record, path.join(dir, 'reports'), { from: T0, to: T0, filter: { firm: 'F2' } });
    expect(report.files.csv).to.match(/_F2\.csv$/);
    expect(fs.readFileSync(report.files.csv, 'utf8')).to.equal([HEADER, ROWS.rejected, ROWS.sell, ''].join('\r\n'));
    const rows = await complianceEvents(record, { from: T0, to: T0, filter: { firm: 'F1' } });
    expect(rows.map((r) => `${r.seq} ${r.event} ${r.side}`)).to.deep.equal(['1 accepted buy', '4 trade buy', '5 cancelled buy']);
    expect(await complianceEvents(record, { from: T0, to: T0 }, 3)).to.have.length(3);
  });

  it('reports a fill at an external venue as an execution of the member\'s order', async () => {
    record.onEvent({
      type: 'routed', seq: 8, commandSeq: 8, time: T0, kind: 'fill', route: 'BINANCE', price: 6_000_100, qty: 10_000, execId: 'bx-77',
      requestId: '', reason: 'user', text: '', order: order({ cumQty: 10_000, leavesQty: 90_000, status: OrderStatus.PartiallyFilled }),
    });
    const rows = await complianceEvents(record, { from: T0, to: T0, filter: { firm: 'F1' } });
    expect(rows.find((r) => r.seq === 8)).to.deep.include({
      category: 'execution', event: 'routed', orderId: '1', clOrdId: 'c1', side: 'buy', lastPx: '60001.00', lastQty: '0.10000',
      matchId: 'bx-77', cumQty: '0.10000', leavesQty: '0.90000', status: 'partially-filled', reason: 'fill via BINANCE',
    });
  });

  it('refuses a period that ends before it starts', async () => {
    await runComplianceReport(record, dir, { from: T0, to: T0 - 1 }).then(
      () => expect.fail('should refuse'),
      (e: Error) => expect(e).to.be.instanceOf(RangeError),
    );
  });
});
