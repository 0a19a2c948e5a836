// Trade capture end to end: FIX clients (validating FixEngine initiators) send TradeCaptureReportRequest(AD) over TCP;
// the answers come from a real execution record in a temp folder, fed by a real matching core, and reopened to
// show that trades from before a "restart" are reported.

import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BodyWriter, FieldWriter } from '../../src/fix/index.js';
import { TradeCaptureService, type TradeSource } from '../../src/gateway/trade-capture.js';
import { ExecutionRecord, type RecordFilter } from '../../src/records/index.js';
import { Side } from '../../src/venue/model/enums.js';
import { field, group, TestClient, type Msg } from '../marketdata/support/fix-client.js';
import { INSTRUMENTS, VenueHarness } from '../marketdata/support/venue-harness.js';

const DAY1 = Date.UTC(2025, 2, 4);
const DAY2 = Date.UTC(2025, 2, 5);
const H = 3_600_000;
/** The clock trade capture sees (for open-ended ranges). */
const NOW = DAY2 + 12 * H;

interface AdSpec {
  id: string;
  type?: number;
  dates?: Array<{ time?: number; date?: string }>;
  parties?: Array<[string, number]>;
  symbol?: string;
  side?: string;
  matchId?: string;
  orderId?: string;
  clOrdId?: string;
  extra?: (w: FieldWriter) => void;
}

function ad(s: AdSpec): BodyWriter {
  return (w) => {
    w.str(568, s.id);
    w.int(569, s.type ?? 0);
    const dates = s.dates ?? [{ time: DAY1 }, { time: DAY2 + 24 * H - 1 }];
    if (dates.length > 0) {
      w.group(580, dates.length);
      for (const d of dates) {
        w.instance();
        if (d.date !== undefined) w.str(75, d.date);
        if (d.time !== undefined) w.timestamp(60, d.time);
      }
      w.endGroup();
    }
    if (s.parties) {
      w.group(453, s.parties.length);
      for (const [id, role] of s.parties) w.instance().str(448, id).char(447, 'D').int(452, role);
      w.endGroup();
    }
    if (s.symbol !== undefined) w.str(55, s.symbol);
    if (s.side !== undefined) w.char(54, s.side);
    if (s.matchId !== undefined) w.str(880, s.matchId);
    if (s.orderId !== undefined) w.str(37, s.orderId);
    if (s.clOrdId !== undefined) w.str(11, s.clOrdId);
    s.extra?.(w);
  };
}

/** Sends a request and collects the ack and every report it announces. */
async function request(c: TestClient, spec: AdSpec): Promise<{ ack: Msg; reports: Msg[] }> {
  c.send('AD', ad(spec));
  const ack = (await c.nextOf('AQ')).msg;
  const reports: Msg[] = [];
  if (field(ack, 750) === '0') {
    const n = Number(field(ack, 748));
    for (let i = 0; i < n; i++) reports.push((await c.nextOf('AE')).msg);
  }
  return { ack, reports };
}

/** Match ids of the reports, in order. */
const ids = (reports: Msg[]): string[] => reports.map((r) => field(r, 880)!);

describe('trade capture over FIX', function () {
  let dir: string;
  let record: ExecutionRecord;
  let h: VenueHarness;
  let clients: TestClient[];
  /** Match id per trade, 1-based in the order they were made. */
  const trade: string[] = [''];
  const orders: Record<string, number> = {};

  async function connect(id: string): Promise<TestClient> {
    const c = await TestClient.connect(h.port, id);
    clients.push(c);
    return c;
  }

  /** A resting order and the one that trades against it. */
  function cross(maker: Parameters<VenueHarness['place']>[0], taker: Parameters<VenueHarness['place']>[0]): void {
    orders[maker.clOrdId!] = h.place(maker);
    h.place(taker);
  }

  beforeEach(async function () {
    clients = [];
    trade.length = 1;
    dir = await mkdtemp(join(tmpdir(), 'trade-capture-'));
    record = new ExecutionRecord({ dir, instruments: INSTRUMENTS, fsync: false });
    await record.open();
    h = await VenueHarness.start({
      record,
      tc: { now: () => NOW },
      entitlements: { COMP: ['*'], AUDIT1: ['F1'], BROKER1: ['F1'], BROKER2: ['F2'] },
    });
    h.venue.subscribe((e) => {
      if (e.type === 'trade') trade.push(String(e.matchId));
    });
    const btc = (o: { side: Side; price: number; qty: number; firm: string; account: string; clOrdId: string; time: number; symbol?: string }) => ({
      ...o, session: o.firm === 'F1' ? 'BROKER1' : 'BROKER2',
    });
    // 1, 2: F2/B1 buys from F1/A1 in two fills; 3: ETH, F1/A2 buys from F2/B2. Day 2: 4 is F2 only, 5 is F1 only.
    cross(btc({ side: Side.Sell, price: 10_000, qty: 100_000, firm: 'F1', account: 'A1', clOrdId: 's1', time: DAY1 + 10 * H }),
      btc({ side: Side.Buy, price: 10_000, qty: 40_000, firm: 'F2', account: 'B1', clOrdId: 'b1', time: DAY1 + 10 * H + 1000 }));
    h.place(btc({ side: Side.Buy, price: 10_000, qty: 60_000, firm: 'F2', account: 'B1', clOrdId: 'b2', time: DAY1 + 10 * H + 2000 }));
    cross(btc({ side: Side.Buy, price: 200_000, qty: 20_000, firm: 'F1', account: 'A2', clOrdId: 'e1', time: DAY1 + 11 * H, symbol: 'ETHUSDT' }),
      btc({ side: Side.Sell, price: 200_000, qty: 20_000, firm: 'F2', account: 'B2', clOrdId: 'e2', time: DAY1 + 11 * H + 1, symbol: 'ETHUSDT' }));
    cross(btc({ side: Side.Sell, price: 10_100, qty: 100_000, firm: 'F2', account: 'B1', clOrdId: 's4', time: DAY2 + 9 * H }),
      btc({ side: Side.Buy, price: 10_100, qty: 100_000, firm: 'F2', account: 'B3', clOrdId: 'b4', time: DAY2 + 9 * H + 1 }));
    cross(btc({ side: Side.Sell, price: 10_200, qty: 50_000, firm: 'F1', account: 'A1', clOrdId: 's5', time: DAY2 + 9.5 * H }),
      btc({ side: Side.Buy, price: 10_200, qty: 50_000, firm: 'F1', account: 'A3', clOrdId: 'b5', time: DAY2 + 9.5 * H + 1 }));
    expect(trade).to.have.length(6);
  });

  afterEach(async function () {
    for (const c of clients) await c.stop();
    const rejects = h.clientRejects.slice();
    await h.stop();
    await record.close();
    await rm(dir, { recursive: true, force: true });
    expect(rejects, 'clients refused what the venue sent').to.deep.equal([]);
  });

  it('reports every trade of a time range with both sides, parties, match id, price, quantity and times', async function () {
    const c = await connect('COMP');
    const { ack, reports } = await request(c, { id: 'all' });
    expect([field(ack, 568), field(ack, 569), field(ack, 748), field(ack, 749), field(ack, 750)]).to.deep.equal(['all', '0', '5', '0', '0']);
    expect(ids(reports)).to.deep.equal(trade.slice(1));
    expect(reports.map((r) => field(r, 912))).to.deep.equal(['N', 'N', 'N', 'N', 'Y']);

    const first = reports[0]!;
    expect(Object.fromEntries([571, 568, 828, 748, 880, 570, 55, 32, 31, 75, 60].map((t) => [t, field(first, t)]))).to.deep.equal({
      571: trade[1], 568: 'all', 828: '0', 748: '5', 880: trade[1], 570: 'N', 55: 'BTCUSDT', 32: '0.40000', 31: '100.00', 75: '20250304',
      60: '20250304-10:00:01.000',
    });
    const [buy, sell] = group(first, 552);
    const side = (s: Msg) => ({
      side: field(s, 54), orderId: field(s, 37), clOrdId: field(s, 11), account: field(s, 1), text: field(s, 58),
      parties: group(s, 453).map((p) => `${field(p, 448)}/${field(p, 447)}/${field(p, 452)}`),
    });
    expect(side(buy!)).to.deep.equal({ side: '1', orderId: field(buy!, 37), clOrdId: 'b1', account: 'B1', text: 'taker', parties: ['F2/D/1'] });
    expect(field(buy!, 37)).to.match(/^\d+$/);
    expect(side(sell!)).to.deep.equal({ side: '2', orderId: String(orders.s1), clOrdId: 's1', account: 'A1', text: 'maker', parties: ['F1/D/1'] });
    expect(field(reports[2]!, 55)).to.equal('ETHUSDT');
    expect([field(reports[2]!, 32), field(reports[2]!, 31)]).to.deep.equal(['2.0000', '2000.00']);
  });

  it('includes trades from before a restart, read back from the record files', async function () {
    await record.flush();
    await record.close();
    record = new ExecutionRecord({ dir, instruments: INSTRUMENTS, fsync: false });
    const opened = await record.open();
    expect(opened.days).to.equal(2);
    h.useRecord(record);
    const c = await connect('COMP');
    const { ack, reports } = await request(c, { id: 'after-restart' });
    expect(field(ack, 748)).to.equal('5');
    expect(ids(reports)).to.deep.equal(trade.slice(1));
    expect(group(reports[4]!, 552).map((s) => field(s, 1))).to.deep.equal(['A3', 'A1']);
  });

  it('filters by trade date, open-ended time, symbol, firm, account, side, match id, order id and ClOrdID', async function () {
    const c = await connect('COMP');
    const cases: Array<[AdSpec, number[]]> = [
      [{ id: 'day2', dates: [{ date: '20250305' }] }, [4, 5]],
      [{ id: 'day1-to-day1', dates: [{ date: '20250304' }, { date: '20250304' }] }, [1, 2, 3]],
      [{ id: 'since', dates: [{ time: DAY2 + 9.25 * H }] }, [5]],
      [{ id: 'window', dates: [{ time: DAY1 + 10 * H + 1500 }, { time: DAY1 + 11 * H }] }, [2]],
      [{ id: 'eth', symbol: 'ETHUSDT' }, [3]],
      [{ id: 'f1', parties: [['F1', 1]] }, [1, 2, 3, 5]],
      [{ id: 'f2-entering', parties: [['F2', 7]] }, [1, 2, 3, 4]],
      [{ id: 'a3', parties: [['A3', 24]] }, [5]],
      [{ id: 'f1-buys', parties: [['F1', 13]], side: '1' }, [3, 5]],
      [{ id: 'match', matchId: '' }, [2]],
      [{ id: 'order-s1', orderId: '' }, [1, 2]],
      [{ id: 'clordid-b2', clOrdId: 'b2' }, [2]],
      [{ id: 'none', symbol: 'ETHUSDT', dates: [{ date: '20250305' }] }, []],
    ];
    cases[9]![0].matchId = trade[2];
    cases[10]![0].orderId = String(orders.s1);
    for (const [spec, expected] of cases) {
      const { ack, reports } = await request(c, spec);
      expect(ids(reports), spec.id).to.deep.equal(expected.map((i) => trade[i]));
      expect(field(ack, 748), spec.id).to.equal(String(expected.length));
      if (expected.length === 0) expect([field(ack, 750), field(ack, 58)]).to.deep.equal(['1', 'no trades match the request']);
    }
  });

  it('shows a session only the firms it is entitled to, the other side anonymised', async function () {
    const audit = await connect('AUDIT1');
    const refused = (await request(audit, { id: 'other-firm', parties: [['F2', 1]] })).ack;
    expect([field(refused, 749), field(refused, 750), field(refused, 58)]).to.deep.equal(['9', '2', 'not entitled to trades of firm F2']);

    const { reports } = await request(audit, { id: 'mine' });
    expect(ids(reports)).to.deep.equal([1, 2, 3, 5].map((i) => trade[i]));
    const [buy, sell] = group(reports[0]!, 552);
    expect([...buy!.fields.entries()]).to.deep.equal([[54, '1'], [37, 'NONE']]);
    expect(buy!.groups.size).to.equal(0);
    expect([field(sell!, 11), field(sell!, 1)]).to.deep.equal(['s1', 'A1']);
    // Trade 5 is F1 on both sides: nothing hidden.
    expect(group(reports[3]!, 552).map((s) => field(s, 11))).to.deep.equal(['b5', 's5']);

    // An order-entry session of F2 asking for F1's account gets nothing of F1's.
    const broker = await connect('BROKER2');
    const other = await request(broker, { id: 'peek', parties: [['A1', 24]] });
    expect([field(other.ack, 748), field(other.ack, 750)]).to.deep.equal(['0', '1']);
    const own = await request(broker, { id: 'own', symbol: 'BTCUSDT' });
    expect(ids(own.reports)).to.deep.equal([1, 2, 4].map((i) => trade[i]));
  });

  it('refuses unsupported request types, bad ranges and filters it cannot honour, with a reason and a text', async function () {
    const c = await connect('COMP');
    const cases: Array<[AdSpec, string, string]> = [
      [{ id: 'unmatched', type: 2 }, '8', 'TradeRequestType(569) 2 is not supported: 0 (all trades) or 1 (matched trades)'],
      [{ id: 'sub', extra: (w) => w.char(263, '1') }, '99', 'SubscriptionRequestType(263) 1 is not supported: trade capture answers snapshots (0); real-time copies come through drop copy'],
      [{ id: 'no-range', dates: [] }, '99', 'a time range is required: NoDates(580) with TransactTime(60) or TradeDate(75)'],
      [{ id: 'backwards', dates: [{ time: DAY2 }, { time: DAY1 }] }, '99', 'the range starts after it ends (2025-03-05T00:00:00.000Z > 2025-03-04T00:00:00.000Z)'],
      [{ id: 'three', dates: [{ time: DAY1 }, { time: DAY1 }, { time: DAY2 }] }, '99', 'NoDates(580) has 3 entries: give 1 (start, or one trade date) or 2 (start and end)'],
      [{ id: 'bad-date', dates: [{ date: '20250231' }] }, '99', 'NoDates(580) entry 1: TradeDate(75) 20250231 is not a date (YYYYMMDD)'],
      [{ id: 'exec', extra: (w) => w.str(17, 'E1') }, '99', 'tag 17 is not supported as a trade capture filter'],
      [{ id: 'role', parties: [['X', 3]] }, '3', 'PartyRole(452) 3 is not supported: 1, 7 or 13 for a firm, 24 for an account'],
      [{ id: 'two-firms', parties: [['F1', 1], ['F2', 1]] }, '3', 'more than one firm in Parties: ask for one firm per request'],
    ];
    for (const [spec, result, text] of cases) {
      c.send('AD', ad(spec));
      const ack = (await c.nextOf('AQ')).msg;
      expect([field(ack, 568), field(ack, 749), field(ack, 750), field(ack, 58)], spec.id).to.deep.equal([spec.id, result, '2', text]);
    }
  });

  it('refuses an answer larger than the limit and sends large answers a batch per turn', async function () {
    h.useRecord(record, { maxReports: 4, reportsPerTurn: 2 });
    const c = await connect('COMP');
    const big = (await request(c, { id: 'big' })).ack;
    expect([field(big, 749), field(big, 750), field(big, 58)]).to.deep.equal(['99', '2', '5 trades match; at most 4 per request: narrow the time range or add filters']);
    const { ack, reports } = await request(c, { id: 'four', dates: [{ date: '20250304' }, { date: '20250305' }], parties: [['F1', 1]] });
    expect(field(ack, 748)).to.equal('4');
    expect(ids(reports)).to.deep.equal([1, 2, 3, 5].map((i) => trade[i]));
    expect(reports.map((r) => field(r, 912))).to.deep.equal(['N', 'N', 'N', 'Y']);
  });

  it('answers one request per session at a time', async function () {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: TradeSource = {
      tradesBetween: async (from: number, to: number, filter?: RecordFilter) => {
        await gate;
        return record.tradesBetween(from, to, filter);
      },
    };
    h.tc = new TradeCaptureService({ record: slow });
    const c = await connect('COMP');
    c.send('AD', ad({ id: 'first' }));
    c.send('AD', ad({ id: 'second' }));
    const busy = (await c.nextOf('AQ')).msg;
    expect([field(busy, 568), field(busy, 750), field(busy, 58)]).to.deep.equal([
      'second', '2', 'a trade capture request is still being answered on this session; wait for its last report',
    ]);
    release();
    const first = (await c.nextOf('AQ')).msg;
    expect([field(first, 568), field(first, 748)]).to.deep.equal(['first', '5']);
  });
});
