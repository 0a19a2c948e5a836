import { expect } from 'chai';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { ExecutionRecord, type ExecutionRecordOptions } from '../../src/records/execution-record.js';
import type { TradeEntry } from '../../src/records/record-entries.js';
import { OrderStatus, OrdType, Side, TimeInForce } from '../../src/venue/model/enums.js';
import type { TradeEvent, VenueEvent } from '../../src/venue/model/events.js';
import { INSTRUMENTS, T0, oneOfEach, rejected, trade } from './support/events.js';

const HOUR = 3_600_000;

describe('execution record', () => {
  let dir: string;
  const open: ExecutionRecord[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'venue-record-'));
  });
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openRecord(over: Partial<ExecutionRecordOptions> = {}): Promise<ExecutionRecord> {
    const r = new ExecutionRecord({ dir, instruments: INSTRUMENTS, fsync: false, ...over });
    await r.open();
    open.push(r);
    return r;
  }

  async function reopen(r: ExecutionRecord, over: Partial<ExecutionRecordOptions> = {}): Promise<ExecutionRecord> {
    await r.close();
    open.splice(open.indexOf(r), 1);
    return openRecord(over);
  }

  const dayPath = (date: string): string => path.join(dir, `${date}.rec`);
  /** The events of a day file as the v1 text lines a reader renders them (without newlines). */
  async function eventLines(r: ExecutionRecord, date: string): Promise<string[]> {
    const out: string[] = [];
    await r.renderDay(date, (line) => out.push(line.slice(0, -1)));
    return out;
  }

  /** Trades alternating between firms F1/F2 and accounts, 10 minutes apart, seqs 10, 20, 30 ... */
  function trades(n: number, start = T0): VenueEvent[] {
    return Array.from({ length: n }, (_, i) =>
      trade({
        seq: (i + 1) * 10, time: start + i * 600_000, symbol: i % 3 === 2 ? 'ETHUSDT' : 'BTCUSDT', price: 6_000_000 + i, qty: 1000 + i,
        makerSide: i % 2 === 0 ? Side.Buy : Side.Sell,
        maker: { firm: 'F1', account: i % 2 === 0 ? 'A1' : 'A2', orderId: 2 * i + 1 },
        taker: { firm: 'F2', account: 'B1', orderId: 2 * i + 2 },
      }),
    );
  }

  it('writes every kind of kept event as a readable line and reads it back exactly', async () => {
    const r = await openRecord();
    const events = oneOfEach(1);
    for (const e of events) r.onEvent(e);
    await r.flush();
    expect(fs.readFileSync(dayPath('2025-03-04')).subarray(0, 8).toString('latin1')).to.equal('VENUEREC');
    const lines = await eventLines(r, '2025-03-04');
    expect(lines.map((l) => l.split('\t')[0])).to.deep.equal([
      'accepted', 'rejected', 'replaced', 'restated', 'trade', 'cancelled', 'triggered', 'expired', 'massCancelDone', 'tradingStatus',
    ]);
    expect(lines[0]).to.equal(
      'accepted\t1\t1\t2025-03-04T10:00:00.000Z\t1\tS1\tF1\tA1\tc1\t\tBTCUSDT\tbuy\tlimit\tgtc\t60000.00\t\t1.00000\t0.00000\t1.00000\tnew\t\t\t\t0',
    );
    expect(lines[4]).to.equal(
      'trade\t6\t6\t2025-03-04T10:00:00.000Z\tBTCUSDT\t6\t60001.00\t0.40000\tsell\t' +
        '1\tF1\tF1\tA1\to1\tmaker\t0.40000\t0.00000\tfilled\t2\tF2\tF2\tB1\to2\ttaker\t0.40000\t0.00000\tfilled',
    );
    // Tabs and newlines inside text are escaped, so one event stays one line.
    expect(lines[1]).to.contain('bad\\tid').and.contain('"NOPE"\\nline two \\\\ end');

    const back = await r.eventsBetween({ from: T0, to: T0 });
    expect(back.map((e) => e.seq)).to.deep.equal([1, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const rej = back[1]!;
    expect(rej.type === 'rejected' && rej.clOrdId).to.equal('bad\tid');
    expect(rej.type === 'rejected' && rej.text).to.equal('unknown symbol "NOPE"\nline two \\ end');
    const tr = back[4] as TradeEntry;
    expect(tr).to.deep.include({ type: 'trade', seq: 6, matchId: 6, symbol: 'BTCUSDT', price: '60001.00', qty: '0.40000', aggressorSide: Side.Sell, tradeDate: '2025-03-04' });
    expect(tr.buy).to.deep.equal({ orderId: 1, session: 'F1', firm: 'F1', account: 'A1', clOrdId: 'o1', role: 'maker', cumQty: '0.40000', leavesQty: '0.00000', status: OrderStatus.Filled });
    const trig = back[6]!;
    expect(trig.type === 'triggered' && trig.order).to.deep.include({ ordType: OrdType.Stop, stopPx: '59000.00', price: '' });
    const exp = back[7]!;
    expect(exp.type === 'expired' && exp.order).to.deep.include({ timeInForce: TimeInForce.GTD, expireTime: T0 + 1000, status: OrderStatus.Expired });
  });

  it('keeps a reject of a side the venue does not know as the side code that was sent', async () => {
    const r = await openRecord();
    r.onEvent(rejected({
      seq: 1, commandSeq: 1, time: T0, command: 'new', session: 'S1', firm: 'F1', account: 'A1', clOrdId: 'c9', origClOrdId: '',
      symbol: 'BTCUSDT', side: 0, sideCode: '7', reason: 'unsupported', text: 'side 7 is not supported',
    }));
    await r.flush();
    expect((await eventLines(r, '2025-03-04'))[0]!.split('\t')[11]).to.equal('?7');
    const [back] = await r.eventsBetween({ from: T0, to: T0 });
    expect(back).to.deep.include({ type: 'rejected', side: 0, sideCode: '7', reason: 'unsupported' });
  });

  it('writes the lines of many events in one write, not once per event', async () => {
    const writes: number[] = [];
    const r = await openRecord();
    r.onDurable((seq) => writes.push(seq));
    for (const e of trades(500)) r.onEvent(e);
    expect(fs.existsSync(dayPath('2025-03-04'))).to.equal(false); // nothing written inside the turn
    await r.flush();
    expect(writes).to.deep.equal([5000]); // one write, durable through seq 5000
    expect(r.durableSeq).to.equal(5000);
  });

  it('writes by itself at the end of each turn that recorded something, once per turn', async () => {
    const writes: number[] = [];
    const r = await openRecord();
    const events = trades(6);
    let wrote!: () => void;
    r.onDurable((seq) => {
      writes.push(seq);
      wrote();
    });
    for (let turn = 0; turn < 3; turn++) {
      const written = new Promise<void>((resolve) => (wrote = resolve));
      r.onEvent(events[2 * turn]!);
      r.onEvent(events[2 * turn + 1]!);
      expect(r.durableSeq).to.equal(20 * turn); // not inside the turn
      await written;
    }
    expect(writes).to.deep.equal([20, 40, 60]); // one write per turn, covering both of its events
    expect(await eventLines(r, '2025-03-04')).to.have.length(6);
  });

  it('with flushIntervalMs, collects the turns of the interval into one write', async () => {
    const writes: number[] = [];
    // Long next to five event-loop turns even when a loaded machine stalls the process between them.
    const r = await openRecord({ flushIntervalMs: 1000 });
    const written = new Promise<void>((resolve) => r.onDurable((seq) => resolve(void writes.push(seq))));
    const started = performance.now();
    for (const e of trades(5)) {
      r.onEvent(e);
      await new Promise((res) => setImmediate(res)); // one event per event-loop turn
    }
    expect(r.durableSeq).to.equal(0);
    await written;
    expect(performance.now() - started).to.be.at.least(990); // not at the end of the first turn
    expect(writes).to.deep.equal([50]); // the five turns in one write
    expect(await eventLines(r, '2025-03-04')).to.have.length(5);
  });

  it('with flushIntervalMs, close() writes what is pending without waiting for the interval', async () => {
    const r = await openRecord({ flushIntervalMs: 60_000 });
    for (const e of trades(3)) r.onEvent(e);
    const started = performance.now();
    await reopen(r);
    expect(performance.now() - started).to.be.below(30_000);
    const again = open[open.length - 1]!;
    expect(await eventLines(again, '2025-03-04')).to.have.length(3);
  });

  it('takes a long synchronous run (a journal replay) in chunks and writes it whole', async () => {
    const r = await openRecord();
    const t = trades(1)[0]! as TradeEvent;
    for (let i = 1; i <= 60_000; i++) r.onEvent({ ...t, seq: i, matchId: i }); // about 15 MB of lines, one turn
    await r.flush();
    expect(r.durableSeq).to.equal(60_000);
    const lines = await eventLines(r, '2025-03-04');
    expect(lines).to.have.length(60_000);
    expect(lines.every((l, i) => l.split('\t')[1] === String(i + 1))).to.equal(true);
  });

  it('survives a restart and then accepts only events above the last seq it holds', async () => {
    let r = await openRecord();
    const all = trades(6);
    for (const e of all.slice(0, 4)) r.onEvent(e);
    await r.flush();
    r = await reopen(r);
    expect(r.lastSeq).to.equal(40);
    for (const e of all) r.onEvent(e); // a journal replay feeds everything again
    await r.flush();
    expect(r.skippedEvents).to.equal(4);
    expect(r.lastSeq).to.equal(60);
    const seqs = (await eventLines(r, '2025-03-04')).map((l) => Number(l.split('\t')[1]));
    expect(seqs).to.deep.equal([10, 20, 30, 40, 50, 60]);
  });

  it('cuts a torn last batch at open and recovers the rest from the replay', async () => {
    let r = await openRecord();
    const all = trades(3);
    for (const e of all) {
      r.onEvent(e);
      await r.flush(); // one batch per event
    }
    await r.close();
    open.length = 0;
    // Simulate a crash in the middle of writing the batch of seq 30: its last 40 bytes never landed.
    const file = dayPath('2025-03-04');
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 40);
    r = await openRecord();
    expect(r.lastSeq).to.equal(20);
    for (const e of all) r.onEvent(e);
    await r.flush();
    expect((await eventLines(r, '2025-03-04')).map((l) => Number(l.split('\t')[1]))).to.deep.equal([10, 20, 30]);
    expect((await r.tradesBetween(T0, T0 + HOUR)).map((t) => t.seq)).to.deep.equal([10, 20, 30]);
    expect(fs.statSync(file).size).to.equal(size); // the torn batch was cut off and written again whole
  });

  it('rotates per UTC trade date and never files an event under an earlier date', async () => {
    const r = await openRecord();
    const midnight = Date.UTC(2025, 2, 5);
    const t = (seq: number, time: number): VenueEvent =>
      trade({ seq, time, price: 100, qty: 1, makerSide: Side.Buy, maker: { firm: 'F1', account: 'A1', orderId: seq }, taker: { firm: 'F2', account: 'B1', orderId: seq + 1 } });
    r.onEvent(t(1, midnight - 1));
    r.onEvent(t(3, midnight));
    r.onEvent(t(5, midnight - 5)); // the clock stepped back: stays on the 5th
    await r.flush();
    expect(r.tradeDates()).to.deep.equal(['2025-03-04', '2025-03-05']);
    expect((await eventLines(r, '2025-03-04')).map((l) => l.split('\t')[1])).to.deep.equal(['1']);
    expect((await eventLines(r, '2025-03-05')).map((l) => l.split('\t')[1])).to.deep.equal(['3', '5']);
    const back = await r.tradesAfter(0);
    expect(back.map((x) => [x.seq, x.tradeDate])).to.deep.equal([[1, '2025-03-04'], [3, '2025-03-05'], [5, '2025-03-05']]);
  });

  it('answers trade queries by time range and firm/account/symbol, from memory and from files alike', async () => {
    // Three days of 8 trades; the second record keeps only 3 trades in memory, so most answers come from files.
    const events = [...trades(8, T0), ...trades(8, T0 + 24 * HOUR).map((e) => ({ ...e, seq: e.seq + 100 })), ...trades(8, T0 + 48 * HOUR).map((e) => ({ ...e, seq: e.seq + 200 }))];
    let r = await openRecord();
    for (const e of events) r.onEvent(e);
    await r.flush();
    const queries: Array<[number, number, Record<string, string>]> = [
      [T0, T0 + 72 * HOUR, {}],
      [T0 + 600_000, T0 + 24 * HOUR + 1_200_000, {}],
      [T0, T0 + 72 * HOUR, { firm: 'F1', account: 'A2' }],
      [T0, T0 + 72 * HOUR, { symbol: 'ETHUSDT' }],
      [T0 + 48 * HOUR, T0 + 48 * HOUR + 1_800_000, { account: 'B1', symbol: 'BTCUSDT' }],
      [T0, T0 + 72 * HOUR, { firm: 'F3' }],
    ];
    const fromMemory = [];
    for (const [from, to, f] of queries) fromMemory.push((await r.tradesBetween(from, to, f)).map((t) => t.seq));
    expect(fromMemory[0]).to.have.length(24);
    expect(fromMemory[1]).to.deep.equal([20, 30, 40, 50, 60, 70, 80, 110, 120, 130]);
    expect(fromMemory[2]).to.deep.equal([20, 40, 60, 80, 120, 140, 160, 180, 220, 240, 260, 280]);
    expect(fromMemory[3]).to.deep.equal([30, 60, 130, 160, 230, 260]);
    expect(fromMemory[4]).to.deep.equal([210, 220, 240]);
    expect(fromMemory[5]).to.deep.equal([]);

    r = await reopen(r, { memoryTrades: 3 });
    for (const [i, [from, to, f]] of queries.entries()) {
      expect((await r.tradesBetween(from, to, f)).map((t) => t.seq), `query ${i}`).to.deep.equal(fromMemory[i]);
    }
  });

  it('lists trades after a seq across files and memory, in order, in pages', async () => {
    const events = [...trades(8, T0), ...trades(8, T0 + 24 * HOUR).map((e) => ({ ...e, seq: e.seq + 100 }))];
    let r = await openRecord();
    for (const e of events) r.onEvent(e);
    await r.flush();
    r = await reopen(r, { memoryTrades: 5 });
    // Add two more after the restart; the newest five trades are in memory, the rest only in files.
    r.onEvent({ ...events[0]!, seq: 200 } as VenueEvent);
    r.onEvent({ ...events[1]!, seq: 210 } as VenueEvent);
    await r.flush();
    const seen: number[] = [];
    let after = 15;
    for (;;) {
      const page = await r.tradeLinesAfter(after, 3);
      if (page.length === 0) break;
      seen.push(...page.map((t) => t.seq));
      after = page[page.length - 1]!.seq;
    }
    const expected = [20, 30, 40, 50, 60, 70, 80, 110, 120, 130, 140, 150, 160, 170, 180, 200, 210];
    expect(seen).to.deep.equal(expected);
    expect(r.countTradesBetween(170, 210)).to.equal(3);
    expect(r.countTradesBetween(10, 210)).to.equal(-1); // memory cannot tell
  });

  it('filters compliance queries by entry type and firm', async () => {
    const r = await openRecord();
    for (const e of oneOfEach(1)) r.onEvent(e);
    const rejects = await r.eventsBetween({ from: T0, to: T0, types: ['rejected'] });
    expect(rejects.map((e) => e.seq)).to.deep.equal([3]);
    const f2 = await r.eventsBetween({ from: T0, to: T0, filter: { firm: 'F2' } });
    expect(f2.map((e) => e.type)).to.deep.equal(['trade']);
    const later = await r.eventsBetween({ from: T0 + 1, to: T0 + HOUR });
    expect(later).to.deep.equal([]);
  });

  it('surfaces a write error: the flush rejects, onError is told once, the record stops', async () => {
    const errors: Error[] = [];
    const registry = new Registry();
    const r = new ExecutionRecord({ dir, instruments: INSTRUMENTS, fsync: false, registry, onError: (e) => errors.push(e), autoFlush: false });
    await r.open();
    open.push(r);
    // The day file is a link to /dev/full: every write fails with ENOSPC.
    fs.symlinkSync('/dev/full', dayPath('2025-03-04'));
    r.onEvent(trades(1)[0]!);
    let caught: unknown;
    await r.flush().catch((e: unknown) => (caught = e));
    expect((caught as NodeJS.ErrnoException).code).to.equal('ENOSPC');
    expect(errors).to.have.length(1);
    expect(r.error).to.equal(caught);
    r.onEvent(trades(2)[1]!);
    await r.flush().then(
      () => expect.fail('a failed record must keep refusing'),
      (e: unknown) => expect(e).to.equal(caught),
    );
    expect(errors).to.have.length(1);
    expect(await registry.getSingleMetricAsString('venue_record_failed')).to.match(/venue_record_failed 1/);
  });

  it('writes nothing before its beforeWrite gate (the journal commit) resolves, and nothing if it fails', async () => {
    let open!: () => void;
    let fail!: (e: Error) => void;
    let gate = new Promise<void>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    const r = await openRecord({ beforeWrite: () => gate, autoFlush: false });
    const [t1, t2] = trades(2);
    r.onEvent(t1!);
    const first = r.flush();
    await new Promise((res) => setTimeout(res, 50)); // (asserting that nothing happens needs a window of time)
    expect(fs.existsSync(dayPath('2025-03-04'))).to.equal(false);
    expect(r.durableSeq).to.equal(0);
    open();
    await first;
    expect(await eventLines(r, '2025-03-04')).to.have.length(1);

    gate = new Promise<void>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    const sizeAfterFirst = fs.statSync(dayPath('2025-03-04')).size;
    r.onEvent(t2!);
    const second = r.flush();
    fail(new Error('journal write failed'));
    await second.then(
      () => expect.fail('the write must not happen'),
      (e: Error) => expect(e.message).to.equal('journal write failed'),
    );
    expect(r.error?.message).to.equal('journal write failed');
    expect(fs.statSync(dayPath('2025-03-04')).size).to.equal(sizeAfterFirst); // seq 20 never reached the file
  });

  it('refuses to read a line of a text day file (an earlier version\'s) that is not in the format, naming the file', async () => {
    fs.writeFileSync(path.join(dir, '2025-03-04.tsv'), 'trade\t5\t5\t2025-03-04T10:00:00.000Z\tBTCUSDT\tnot enough fields\n');
    const r = await openRecord();
    expect(r.lastSeq).to.equal(5);
    await r.eventsBetween({ from: T0 - HOUR, to: T0 + HOUR }).then(
      () => expect.fail('should refuse'),
      (e: Error) => expect(e.message).to.contain('2025-03-04.tsv').and.contain('fields'),
    );
  });
});
