import { expect } from 'chai';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeRecord } from '../../src/records/binary-decoder.js';
import { BinaryRecordEncoder } from '../../src/records/binary-encoder.js';
import { ExecutionRecord, type ExecutionRecordOptions } from '../../src/records/execution-record.js';
import { LineBuffer } from '../../src/records/line-buffer.js';
import { RecordEncoder } from '../../scripts/bench/record-text-v1-encoder.js';
import { fileHeader as textFileHeader } from '../../src/records/record-format.js';
import { parseRecordLine } from '../../src/records/record-parser.js';
import { RecordStaging } from '../../src/records/record-staging.js';
import { formatRecordLine } from '../../src/records/record-text.js';
import { tradeLineFromBinary } from '../../src/records/trade-line.js';
import { instrument } from './support/events.js';
import { OrderStatus, OrdType, Side, TimeInForce } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { INSTRUMENTS, T0, oneOfEach, order, rejected, trade } from './support/events.js';

const DAY = 86_400_000;
/** A price scale the core uses for fine-grained instruments: 8 decimals, prices up to 2^53 - 1. */
const FINE = instrument('FINEUSD', 'FINE', 'USD', 8, 8);
const ALL_INSTRUMENTS = [...INSTRUMENTS, FINE];

/** Every kind the record keeps, including a routed step, non-ASCII and long text, and extreme exact amounts. */
function everyKind(seq: number, time = T0): VenueEvent[] {
  const base = (n: number) => ({ seq: seq + n, commandSeq: seq + n, time });
  const long = 'x'.repeat(300) + 'ü€😀' + '\t\n\\';
  return [
    ...oneOfEach(seq, time),
    { ...base(11), type: 'routed', kind: 'fill', route: 'binance', price: 6_000_050, qty: 10_000, execId: 'bx-1', requestId: '', reason: 'user', text: '',
      order: order({ orderId: 9, clOrdId: 'r1', route: 'binance', cumQty: 10_000, leavesQty: 90_000, status: OrderStatus.PartiallyFilled, time }) },
    { ...base(12), type: 'routed', kind: 'rejected', route: 'binance', price: 0, qty: 0, execId: '', requestId: 'q2', reason: 'user', text: 'Filter failure: LOT_SIZE',
      order: order({ orderId: 10, clOrdId: 'r2', ordType: OrdType.Market, price: 0, status: OrderStatus.Rejected, time }) },
    { ...base(13), type: 'accepted',
      order: order({ orderId: 2 ** 40, symbol: 'FINEUSD', clOrdId: long, account: 'Kontø-Ä', price: 2 ** 53 - 1, qty: 123_456_789_012_345, leavesQty: 123_456_789_012_345,
        maxFloor: 1, minQty: 100_000_000, timeInForce: TimeInForce.GTD, expireTime: time + DAY, postOnly: true, side: Side.Sell, time }) },
    trade({ seq: seq + 14, time, symbol: 'FINEUSD', price: 9_007_199_254_740_991, qty: 1, makerSide: Side.Sell,
      maker: { firm: 'F€', account: 'A1', orderId: 2 ** 41, clOrdId: long }, taker: { firm: 'F2', account: '', orderId: 5 } }),
    rejected({ ...base(15), command: 'cancel', session: 'S1', firm: 'F1', account: 'A1', clOrdId: 'c7', origClOrdId: 'c6', symbol: 'BTCUSDT',
      side: 0, sideCode: 'Z', reason: 'unsupported', text: long, order: order({ orderId: 77 }) }),
  ];
}

/** The v1 text line the venue used to write for an event (without newline). */
function oldLine(e: VenueEvent, date: string): string {
  const b = new LineBuffer();
  new RecordEncoder(ALL_INSTRUMENTS).encode(e, date, b);
  return b.buf.toString('utf8', 0, b.len - 1);
}

describe('execution record: binary format', () => {
  let dir: string;
  const open: ExecutionRecord[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'venue-record-bin-'));
  });
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openRecord(over: Partial<ExecutionRecordOptions> = {}): Promise<ExecutionRecord> {
    const r = new ExecutionRecord({ dir, instruments: ALL_INSTRUMENTS, fsync: false, autoFlush: false, ...over });
    await r.open();
    open.push(r);
    return r;
  }

  async function closeAll(): Promise<void> {
    for (const r of open.splice(0)) await r.close();
  }

  async function lines(r: ExecutionRecord, date: string): Promise<string[]> {
    const out: string[] = [];
    await r.renderDay(date, (l) => out.push(l.slice(0, -1)));
    return out;
  }

  const kept = (events: VenueEvent[]): VenueEvent[] => events.filter((e) => e.type !== 'bookDelta');

  it('round-trips every entry kind: the same entries as the text format gave, rendered to the same lines', async () => {
    const events = everyKind(1);
    const r = await openRecord();
    for (const e of events) r.onEvent(e);
    await r.flush();
    const entries = await r.eventsBetween({ from: T0, to: T0 });
    const expected = kept(events).map((e) => parseRecordLine(oldLine(e, '2025-03-04'), '2025-03-04'));
    expect(entries.map((e) => e.type)).to.deep.equal(expected.map((e) => e.type));
    expect(entries).to.deep.equal(expected);
    expect(await lines(r, '2025-03-04')).to.deep.equal(kept(events).map((e) => oldLine(e, '2025-03-04')));
  });

  it('keeps money exact: integers to 2^53 - 1 at 8 decimals come back as exact decimal strings', async () => {
    const r = await openRecord();
    for (const e of everyKind(1)) r.onEvent(e);
    await r.flush();
    const [t] = (await r.tradesBetween(T0, T0, { symbol: 'FINEUSD' }));
    expect(t!.price).to.equal('90071992.54740991');
    expect(t!.qty).to.equal('0.00000001');
    const accepted = (await r.eventsBetween({ from: T0, to: T0, types: ['accepted'] })).find((e) => e.seq === 14)!;
    expect(accepted.type === 'accepted' && accepted.order).to.deep.include({
      orderId: 2 ** 40, price: '90071992.54740991', qty: '1234567.89012345', maxFloor: '0.00000001', minQty: '1.00000000', account: 'Kontø-Ä',
    });
    // Clearing's payload is the text line; its price field is the same exact string.
    const [line] = (await r.tradeLinesAfter(14, 1)).map((x) => x.line.split('\t'));
    expect(line![6]).to.equal('90071992.54740991');
  });

  it('decodes in memory and from the file alike (trades evicted from memory are read back from disk)', async () => {
    const events = everyKind(1);
    const r = await openRecord({ memoryTrades: 1 });
    for (const e of events) r.onEvent(e);
    await r.flush();
    const fromMemoryAndFile = await r.tradesAfter(0);
    await closeAll();
    const again = await openRecord({ memoryTrades: 1 });
    expect(await again.tradesAfter(0)).to.deep.equal(fromMemoryAndFile);
    expect(fromMemoryAndFile.map((t) => t.seq)).to.deep.equal([6, 15]);
  });

  it('encodes into a staging buffer that grows as needed; its bytes decode back to the event', () => {
    const s = new RecordStaging(64);
    const enc = new BinaryRecordEncoder(ALL_INSTRUMENTS);
    const e = everyKind(1)[14]!; // the trade with long, non-ASCII ids: grows the 64-byte buffer
    enc.encode(e, '2025-03-04', s);
    s.seal();
    const entry = decodeRecord(s.buf, s.currentRecordStart, s.len, '2025-03-04');
    expect(formatRecordLine(entry).slice(0, -1)).to.equal(oldLine(e, '2025-03-04'));
    expect(s.batchCount).to.equal(1);
    expect(s.batches[0]).to.deep.include({ date: '2025-03-04', records: 1, lastSeq: 15, start: 0, end: s.len });
  });

  it('renders a trade straight from its bytes to the same line as decoding it first (clearing\'s payload)', () => {
    const enc = new BinaryRecordEncoder(ALL_INSTRUMENTS);
    const trades = everyKind(1).filter((e) => e.type === 'trade');
    const times = [T0, 0, 951_782_400_000, 4_102_444_799_999, 1_709_251_199_123]; // 2000-02-29, 2099-12-31, 2024-02-29
    let x = 12_345; // a fixed pseudo-random walk over years 1970-9999, so a failure repeats
    for (let i = 0; i < 40; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      times.push(Math.floor((x / 2_147_483_648) * 253_402_300_799_999));
    }
    expect(trades.length).to.be.greaterThan(1);
    for (const time of times) {
      for (const t of trades) {
        const s = new RecordStaging(64);
        enc.encode({ ...t, time }, '2025-03-04', s);
        s.seal();
        const direct = tradeLineFromBinary(s.buf, s.currentRecordStart, s.len, '2025-03-04');
        const decoded = formatRecordLine(decodeRecord(s.buf, s.currentRecordStart, s.len, '2025-03-04'));
        expect(direct, new Date(time).toISOString()).to.equal(decoded);
      }
    }
  });

  it('refuses to render a record that is not a trade as a trade line', () => {
    const enc = new BinaryRecordEncoder(ALL_INSTRUMENTS);
    const s = new RecordStaging(64);
    enc.encode(everyKind(1).find((e) => e.type === 'accepted')!, '2025-03-04', s);
    s.seal();
    expect(() => tradeLineFromBinary(s.buf, s.currentRecordStart, s.len, '2025-03-04')).to.throw('expected a trade record, got accepted');
  });

  it('ignores a torn tail on read, cuts it at the next open, and the restarted writer appends after it', async () => {
    let r = await openRecord();
    const events = kept(everyKind(1));
    for (const e of events.slice(0, 5)) r.onEvent(e);
    await r.flush(); // batch 1: seqs 1..6
    for (const e of events.slice(5, 9)) r.onEvent(e);
    await r.flush(); // batch 2
    const file = path.join(dir, '2025-03-04.rec');
    const whole = fs.statSync(file).size;
    // A crash halfway through writing batch 2, while this record is still open: a reader skips the torn batch.
    fs.truncateSync(file, whole - 100);
    expect((await r.eventsBetween({ from: T0, to: T0 })).map((e) => e.seq)).to.deep.equal(events.slice(0, 5).map((e) => e.seq));
    expect(fs.statSync(file).size).to.equal(whole - 100); // reading ignores the torn batch and cuts nothing
    const reader = new ExecutionRecord({ dir, instruments: ALL_INSTRUMENTS, fsync: false, autoFlush: false });
    const report = await reader.open();
    open.push(reader);
    expect(report.lastSeq).to.equal(events[4]!.seq);
    expect(report.tornBytes).to.be.greaterThan(0);
    await closeAll();
    const cut = fs.statSync(file).size;
    expect(cut).to.be.lessThan(whole - 100); // the torn batch is gone, not left for the next batch to follow
    r = await openRecord();
    for (const e of everyKind(1)) r.onEvent(e); // the journal replay: seqs above lastSeq are kept
    await r.flush();
    expect((await r.eventsBetween({ from: T0, to: T0 })).map((e) => e.seq)).to.deep.equal(events.map((e) => e.seq));
    await closeAll();
    const reopened = await openRecord();
    expect(reopened.lastSeq).to.equal(events[events.length - 1]!.seq);
  });

  it('treats a last batch that fails its CRC as torn, and a bad batch with more after it as damage naming file and offset', async () => {
    let r = await openRecord();
    const events = kept(everyKind(1));
    for (const e of events.slice(0, 3)) r.onEvent(e);
    await r.flush();
    const firstEnd = fs.statSync(path.join(dir, '2025-03-04.rec')).size;
    for (const e of events.slice(3, 6)) r.onEvent(e);
    await r.flush();
    await closeAll();
    const file = path.join(dir, '2025-03-04.rec');
    const bytes = fs.readFileSync(file);
    // Flip one byte inside the last batch: its CRC no longer matches; it is the tail, so it is cut.
    const last = Buffer.from(bytes);
    last[last.length - 3]! ^= 0xff;
    fs.writeFileSync(file, last);
    r = await openRecord();
    expect(r.lastSeq).to.equal(events[2]!.seq);
    expect(fs.statSync(file).size).to.equal(firstEnd);
    await closeAll();
    // Flip one byte inside the first batch with the second one whole after it: not a tear.
    const middle = Buffer.from(bytes);
    middle[firstEnd - 3]! ^= 0xff;
    fs.writeFileSync(file, middle);
    const damaged = new ExecutionRecord({ dir, instruments: ALL_INSTRUMENTS, fsync: false });
    await damaged.open().then(
      () => expect.fail('a damaged record must not open silently'),
      (e: Error) => expect(e.message).to.contain('2025-03-04.rec').and.contain('offset 32').and.contain('CRC'),
    );
    expect(fs.readFileSync(file).equals(middle)).to.equal(true); // nothing cut
  });

  it('cuts a torn file header or a zero-filled tail, and starts the file again cleanly', async () => {
    fs.writeFileSync(path.join(dir, '2025-03-04.rec'), Buffer.from('VENUER', 'latin1')); // the crash came while writing the header
    let r = await openRecord();
    expect(r.lastSeq).to.equal(0);
    for (const e of oneOfEach(1)) r.onEvent(e);
    await r.flush();
    await closeAll();
    const file = path.join(dir, '2025-03-04.rec');
    fs.appendFileSync(file, Buffer.alloc(4096)); // a filesystem that extended the file with zeros before the crash
    r = await openRecord();
    expect(r.lastSeq).to.equal(11);
    expect(await lines(r, '2025-03-04')).to.have.length(10);
    await closeAll();
    fs.writeFileSync(file, Buffer.alloc(100)); // a new file whose header the crash left as zeros
    r = await openRecord();
    expect(r.lastSeq).to.equal(0);
    for (const e of oneOfEach(1)) r.onEvent(e);
    await r.flush();
    expect(await lines(r, '2025-03-04')).to.have.length(10);
  });

  it('reads text day files of an earlier version: older dates, and the upgrade day continued in a binary file', async () => {
    const day1 = oneOfEach(1, T0 - DAY); // 2025-03-03, seqs 1..11
    const day2 = oneOfEach(21, T0); // 2025-03-04, seqs 21..31 (the upgrade day)
    const text = (events: VenueEvent[], date: string): string =>
      textFileHeader(date) + kept(events).map((e) => oldLine(e, date) + '\n').join('');
    fs.writeFileSync(path.join(dir, '2025-03-03.tsv'), text(day1, '2025-03-03'));
    // The upgrade day's text file ends in a torn line (the old version crashed mid-write): cut as before.
    fs.writeFileSync(path.join(dir, '2025-03-04.tsv'), text(day2.slice(0, 6), '2025-03-04') + 'trade\t27\t27\t2025-03-0');
    const r = await openRecord();
    expect(r.lastSeq).to.equal(26);
    for (const e of [...day1, ...day2]) r.onEvent(e); // the replay: only seqs above 26 are kept, into 2025-03-04.rec
    await r.flush();
    expect(fs.existsSync(path.join(dir, '2025-03-04.rec'))).to.equal(true);
    expect(r.tradeDates()).to.deep.equal(['2025-03-03', '2025-03-04']);
    const all = await r.eventsBetween({ from: T0 - DAY, to: T0 });
    expect(all.map((e) => e.seq)).to.deep.equal([...kept(day1), ...kept(day2)].map((e) => e.seq));
    expect(all).to.deep.equal([...kept(day1).map((e) => parseRecordLine(oldLine(e, '2025-03-03'), '2025-03-03')), ...kept(day2).map((e) => parseRecordLine(oldLine(e, '2025-03-04'), '2025-03-04'))]);
    // Trades of both formats, by time and by seq (clearing's lines are the text lines either way).
    expect((await r.tradesBetween(T0 - DAY, T0)).map((t) => t.seq)).to.deep.equal([6, 26]);
    const tradeLines = await r.tradeLinesAfter(0, 10);
    expect(tradeLines.map((t) => [t.seq, t.tradeDate])).to.deep.equal([[6, '2025-03-03'], [26, '2025-03-04']]);
    expect(tradeLines[1]!.line).to.equal(oldLine(day2[5]!, '2025-03-04') + '\n');
    expect(await lines(r, '2025-03-04')).to.deep.equal(kept(day2).map((e) => oldLine(e, '2025-03-04')));
    // After a restart the upgrade day is read from both files again, and new trades follow in memory.
    await closeAll();
    const again = await openRecord();
    expect(again.lastSeq).to.equal(31);
    again.onEvent(trade({ seq: 40, time: T0, price: 6_000_000, qty: 1000, makerSide: Side.Buy, maker: { firm: 'F1', account: 'A1', orderId: 50 }, taker: { firm: 'F2', account: 'B1', orderId: 51 } }));
    await again.flush();
    expect((await again.tradesBetween(T0 - DAY, T0)).map((t) => t.seq)).to.deep.equal([6, 26, 40]);
    expect((await again.tradesAfter(0)).map((t) => t.seq)).to.deep.equal([6, 26, 40]);
  });
});
