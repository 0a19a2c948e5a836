import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE } from '../../src/venue/journal/journaled-venue.js';
import { ByteReader, ByteWriter } from '../../src/venue/journal/byte-writer.js';
import { decodeCommand, encodeCommand } from '../../src/venue/journal/command-codec.js';
import type { VenueCommand } from '../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../src/venue/model/enums.js';
import { Harness, spec } from './support/harness.js';
import { OrderStream } from './support/random-stream.js';
import { makeTempDir } from '../support/temp-dir.js';
import { openJournaled } from './support/open-journaled.js';

const CONFIG = { instruments: [spec()], stp: { defaultMode: StpMode.CancelResting, scope: 'account' as const } };

function tempDir(): string {
  return makeTempDir('venue-journal-');
}

function openVenue(dir: string, opts: Parameters<typeof openJournaled>[2] = {}) {
  return openJournaled(CONFIG, dir, opts);
}

function allCommandKinds(h: Harness): VenueCommand[] {
  return [
    h.newOrder({ side: Side.Sell, price: 101, qty: 5, clOrdId: 'ü-unicode' }),
    h.newOrder({ side: Side.Buy, price: 101, qty: 2, maxFloor: 1, timeInForce: TimeInForce.GTD, expireTime: 99_999 }),
    h.newOrder({ side: Side.Buy, ordType: OrdType.StopLimit, stopPx: 105, price: 106, qty: 1, account: 'X' }),
    { type: 'cancel', time: 5, session: 'S1', firm: 'F1', account: 'A', clOrdId: 'x', origClOrdId: 'ü-unicode', orderId: 0, symbol: 'ABC', side: Side.Sell },
    { type: 'replace', time: 6, session: 'S1', firm: 'F1', account: 'A', clOrdId: 'y', origClOrdId: 'nope', orderId: 77, symbol: 'ABC', side: Side.Buy, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC, price: -3, stopPx: 0, qty: 2 ** 52, maxFloor: 0, expireTime: 0 },
    { type: 'massCancel', time: 7, requestedBy: 'ops', requestId: 'm1', firm: 'F1', account: '', session: '', symbol: 'ABC', side: Side.Buy, reason: 'kill-switch' },
    { type: 'halt', time: 8, symbol: 'ABC', reason: 'test' },
    { type: 'resume', time: 9, symbol: 'ABC', reason: '' },
    { type: 'time', time: 10 },
    { type: 'phase', time: 10, phase: 'preOpen', symbol: '', tradeDate: '2024-01-02' },
    { type: 'phase', time: 10, phase: 'continuous', symbol: 'ABC', tradeDate: '' },
    { type: 'endOfDay', time: 11, tradeDate: '20240102' },
    { type: 'setStp', time: 12, account: 'X', mode: StpMode.DecrementAndCancel },
    {
      type: 'reject', time: 13, session: 'S1', firm: 'F1', account: 'A', command: 'replace', clOrdId: 'z', origClOrdId: 'ü-unicode',
      symbol: 'ABC', side: 0, sideCode: 'B', reason: 'risk-limit', text: 'max order qty exceeded: 150 > 100', ordRejReason: 3, cxlRejReason: 99,
    },
  ];
}

describe('venue journal: command codec', () => {
  it('round-trips every command type exactly', () => {
    const w = new ByteWriter(16);
    const r = new ByteReader();
    for (const cmd of allCommandKinds(new Harness())) {
      w.reset();
      encodeCommand(w, cmd);
      expect(w.coerced).to.equal(false);
      r.reset(w.buf, 0, w.pos);
      expect(decodeCommand(r)).to.deep.equal(cmd);
    }
  });

  it('keeps odd numbers exact and coerces wrong types, flagging it', () => {
    const w = new ByteWriter(16);
    const r = new ByteReader();
    const h = new Harness();
    const odd = h.newOrder({ price: 1.5, qty: Number.NaN, expireTime: 2 ** 60 });
    encodeCommand(w, odd);
    expect(w.coerced).to.equal(false);
    r.reset(w.buf, 0, w.pos);
    const back = decodeCommand(r) as typeof odd;
    expect(back.price).to.equal(1.5);
    expect(back.qty).to.be.NaN;
    expect(back.expireTime).to.equal(2 ** 60);
    w.reset();
    w.coerced = false;
    encodeCommand(w, { ...h.newOrder(), session: undefined as unknown as string, postOnly: 'yes' as unknown as boolean });
    expect(w.coerced).to.equal(true);
    r.reset(w.buf, 0, w.pos);
    expect(decodeCommand(r)).to.include({ session: '', postOnly: false });
  });

  it('refuses truncated bytes instead of inventing a command', () => {
    const w = new ByteWriter(16);
    encodeCommand(w, new Harness().newOrder());
    const r = new ByteReader();
    for (let cut = 0; cut < w.pos; cut++) {
      r.reset(w.buf, 0, cut);
      expect(decodeCommand(r)).to.equal(null);
    }
  });
});

describe('venue journal: group commit and recovery', () => {
  it('releases events only after the batch is written, one write per commit', async () => {
    const dir = tempDir();
    const { jv, live } = await openVenue(dir);
    const h = new Harness();
    jv.apply(h.newOrder({ side: Side.Sell, price: 100, qty: 5 }));
    jv.apply(h.newOrder({ side: Side.Buy, price: 100, qty: 3 }));
    expect(live).to.have.length(0);
    const sizeBefore = fs.statSync(path.join(dir, JOURNAL_FILE)).size;
    await jv.commit();
    expect(live.map((e) => e.type)).to.deep.equal(['accepted', 'bookDelta', 'accepted', 'trade', 'bookDelta']);
    expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).to.be.greaterThan(sizeBefore);
    await jv.close();
  });

  it('commits once per event-loop turn by itself', async () => {
    const dir = tempDir();
    const { jv, live } = await openVenue(dir, { autoCommit: true });
    jv.apply(new Harness().newOrder());
    expect(live).to.have.length(0);
    const deadline = Date.now() + 5000;
    while (live.length === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(live.map((e) => e.type)).to.deep.equal(['accepted', 'bookDelta']);
    await jv.close();
  });

  it("in 'immediate' mode delivers synchronously and commit() is the flush barrier", async () => {
    const dir = tempDir();
    const { jv, live } = await openVenue(dir, { release: 'immediate' });
    jv.apply(new Harness().newOrder());
    expect(live.map((e) => e.type)).to.deep.equal(['accepted', 'bookDelta']);
    await jv.commit();
    const again = await openVenue(dir);
    expect(again.jv.venue.liveOrderCount).to.equal(1);
    await jv.close();
    await again.jv.close();
  });

  it("journals a command applied from inside a listener ('immediate' mode) in the order the core runs it", async () => {
    const dir = tempDir();
    const first = await openVenue(dir, { release: 'immediate' });
    const h = new Harness();
    first.jv.subscribe((e) => {
      if (e.type === 'trade' && e.maker.leavesQty > 0) {
        first.jv.apply({
          type: 'cancel', time: e.time, session: e.maker.session, firm: e.maker.firm, account: e.maker.account,
          clOrdId: `x${e.matchId}`, origClOrdId: e.maker.clOrdId, orderId: 0, symbol: 'ABC', side: e.maker.side,
        });
      }
    });
    first.jv.apply(h.newOrder({ side: Side.Sell, price: 100, qty: 5, account: 'M' }));
    first.jv.apply(h.newOrder({ side: Side.Buy, price: 100, qty: 2, account: 'T' }));
    first.jv.apply(h.newOrder({ side: Side.Sell, price: 101, qty: 5, account: 'M' }));
    await first.jv.commit();
    expect(first.live.filter((e) => e.type === 'cancelled')).to.have.length(1);
    const state = first.jv.venue.exportState();
    await first.jv.close();
    const second = await openVenue(dir);
    expect(second.report.replayedCommands).to.equal(4);
    expect(second.jv.venue.exportState()).to.deep.equal(state);
    expect(second.replayed).to.deep.equal(first.live);
    await second.jv.close();
  });

  it('replays to the same books, ids and sequence numbers, and re-creates events only for replay listeners', async () => {
    const dir = tempDir();
    const first = await openVenue(dir);
    const h = new Harness();
    for (const cmd of allCommandKinds(h)) first.jv.apply(cmd);
    const stream = new OrderStream(7);
    for (let i = 0; i < 3000; i++) first.jv.apply(stream.next(100 + i));
    first.jv.apply({ ...h.newOrder(), account: undefined as unknown as string }); // malformed: coerced
    await first.jv.commit();
    const state = first.jv.venue.exportState();
    await first.jv.close();

    const second = await openVenue(dir);
    expect(second.report).to.include({ replayedCommands: 3015, truncatedBytes: 0, snapshotSeq: 0 });
    expect(second.jv.venue.exportState()).to.deep.equal(state);
    expect(second.live).to.have.length(0);
    expect(second.replayed).to.deep.equal(first.live);
    // New commands continue the numbering.
    second.jv.apply(h.newOrder({ price: 1 }));
    await second.jv.commit();
    expect(second.live[0]!.seq).to.equal(state.eventSeq + 1);
    expect(second.live[0]!.commandSeq).to.equal(3016);
    await second.jv.close();
  });

  it('cuts a torn last record and carries on from the last good one', async () => {
    const dir = tempDir();
    const first = await openVenue(dir);
    const h = new Harness();
    for (let i = 0; i < 10; i++) first.jv.apply(h.newOrder({ price: 90 + i }));
    await first.jv.commit();
    const state = first.jv.venue.exportState();
    await first.jv.close();
    const file = path.join(dir, JOURNAL_FILE);
    const goodSize = fs.statSync(file).size;
    // A crash mid-write: half of a real record, then zeros as a file system may leave.
    const extraDir = tempDir();
    const extra = await openVenue(extraDir);
    extra.jv.apply(h.newOrder());
    await extra.jv.commit();
    const bytes = fs.readFileSync(path.join(extraDir, JOURNAL_FILE));
    const record = bytes.subarray(32);
    fs.appendFileSync(file, Buffer.concat([record.subarray(0, Math.floor(record.length / 2)), Buffer.alloc(64)]));
    await extra.jv.close();

    const second = await openVenue(dir);
    expect(second.report.truncatedBytes).to.equal(Math.floor(record.length / 2) + 64);
    expect(second.report.stopReason).to.not.equal('');
    expect(fs.statSync(file).size).to.equal(goodSize);
    expect(second.jv.venue.exportState()).to.deep.equal(state);
    second.jv.apply(h.newOrder({ price: 50 }));
    await second.jv.commit();
    await second.jv.close();
    const third = await openVenue(dir);
    expect(third.report.truncatedBytes).to.equal(0);
    expect(third.jv.venue.liveOrderCount).to.equal(11);
    await third.jv.close();
  });

  it('a flipped byte in the last record is detected by the checksum', async () => {
    const dir = tempDir();
    const first = await openVenue(dir);
    const h = new Harness();
    first.jv.apply(h.newOrder({ price: 90 }));
    first.jv.apply(h.newOrder({ price: 91 }));
    await first.jv.commit();
    await first.jv.close();
    const file = path.join(dir, JOURNAL_FILE);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 3]! ^= 0x10;
    fs.writeFileSync(file, bytes);
    const second = await openVenue(dir);
    expect(second.report.stopReason).to.equal('checksum mismatch');
    expect(second.jv.venue.liveOrderCount).to.equal(1);
    await second.jv.close();
  });

  it('starts from a snapshot and replays only what followed, reaching the same state as a full replay', async () => {
    const dir = tempDir();
    const first = await openVenue(dir);
    const stream = new OrderStream(11);
    for (let i = 0; i < 2000; i++) first.jv.apply(stream.next(i + 1));
    const info = await first.jv.snapshot();
    expect(info.commandSeq).to.equal(2000);
    for (let i = 0; i < 500; i++) first.jv.apply(stream.next(5000 + i));
    await first.jv.commit();
    const state = first.jv.venue.exportState();
    await first.jv.close();

    const fromSnap = await openVenue(dir);
    expect(fromSnap.report).to.include({ snapshotSeq: 2000, replayedCommands: 500 });
    const full = await openVenue(dir, { useSnapshot: false });
    expect(full.report).to.include({ snapshotSeq: 0, replayedCommands: 2500 });
    expect(fromSnap.jv.venue.exportState()).to.deep.equal(state);
    expect(full.jv.venue.exportState()).to.deep.equal(state);
    // The same next command gives the same events either way.
    const next = stream.next(9999);
    fromSnap.jv.apply(next);
    full.jv.apply(next);
    await Promise.all([fromSnap.jv.commit(), full.jv.commit()]);
    expect(fromSnap.live).to.deep.equal(full.live);
    await fromSnap.jv.close();
    await full.jv.close();
  });

  it('refuses a snapshot that belongs to another journal, and a file that is not a journal', async () => {
    const a = tempDir();
    const b = tempDir();
    const va = await openVenue(a);
    const taken = await va.jv.snapshot();
    await va.jv.close();
    const vb = await openVenue(b);
    await vb.jv.close();
    fs.copyFileSync(taken.path, path.join(b, path.basename(taken.path)));
    let error = '';
    await openVenue(b).catch((e: Error) => (error = e.message));
    expect(error).to.contain('belongs to journal');
    const c = tempDir();
    fs.writeFileSync(path.join(c, JOURNAL_FILE), 'this is not a journal at all, just text');
    await openVenue(c).catch((e: Error) => (error = e.message));
    expect(error).to.contain('not a venue journal');
  });

  it('replays a 50k-command journal (speed is measured in npm run bench:match)', async () => {
    const dir = tempDir();
    const first = await openVenue(dir);
    const stream = new OrderStream(3);
    for (let i = 0; i < 50_000; i++) first.jv.apply(stream.next(i + 1));
    await first.jv.commit();
    const seq = first.jv.venue.eventSeq;
    await first.jv.close();
    const second = await openVenue(dir);
    expect(second.report.replayedCommands).to.equal(50_000);
    expect(second.report.eventSeq).to.equal(seq);
    await second.jv.close();
  });
});
