// The start-up report catch-up's view of a session store (src/gateway/report-catch-up.ts) after a crash tore the
// store's tail. A trade is two reports to a drop copy (and to a session that owns both sides): <seq>B and <seq>S,
// stored one after the other. A tear between them keeps the first: the store's newest event is then the trade, yet
// one of its reports is missing, and the catch-up must owe exactly that one (the crash soak found a drop copy that
// never received a trade's second side).

import { expect } from 'chai';
import { stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileMessageStore } from '../../src/fix/store/file-store.js';
import { BATCH_ENTRY, BATCH_HEADER, MESSAGE_OVERHEAD, putMessageRecord, writeHeader } from '../../src/fix/store/store-records.js';
import { owedTo, readReportHead, type ReportHead } from '../../src/gateway/report-catch-up.js';
import { Side } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { makeTempDir } from '../support/temp-dir.js';
import { Harness } from '../venue/support/harness.js';

const report = (seq: number, execId: string): Buffer =>
  Buffer.from(`8=FIX.4.4\x019=0\x0135=8\x0134=${seq}\x0149=VENUE\x0156=DROPCOPY\x0117=${execId}\x0139=0\x01`, 'latin1');

async function headOf(dir: string): Promise<{ head: ReportHead; nextSenderSeq: number }> {
  const store = await FileMessageStore.open(dir);
  try {
    const head = await readReportHead((b, e) => store.range(b, e), store.nextSenderSeq, store.creationTime);
    return { head, nextSenderSeq: store.nextSenderSeq };
  } finally {
    await store.close();
  }
}

describe('report catch-up: a store whose torn tail cut a trade in half', () => {
  it("owes the trade's report the store lost, not the one it holds, nor anything older", async () => {
    // The drop copy's store exists before the events (those older than its epoch belong to a reset-away history).
    const dir = makeTempDir('report-catch-up-');
    const store = await FileMessageStore.open(dir);
    const h = new Harness();
    h.time = Date.now();
    const [sellAccepted] = h.sell(100, 5, { session: 'S1' });
    const buyEvents = h.buy(100, 5, { session: 'S2' });
    const trade = buyEvents.find((e): e is Extract<VenueEvent, { type: 'trade' }> => e.type === 'trade')!;
    const buyAccepted = buyEvents.find((e) => e.type === 'accepted')!;
    const [later] = h.sell(101, 1, { session: 'S1' });
    const side = (o: { side: Side }): string => `${trade.seq}${o.side === Side.Buy ? 'B' : 'S'}`;
    const first = side(trade.maker);
    const second = side(trade.taker);

    // Both acceptances, then the trade's two reports and a later acceptance in one batch.
    store.append(1, report(1, String(sellAccepted!.seq)), false);
    store.append(2, report(2, String(buyAccepted.seq)), false);
    await store.flush();
    const turn = [report(3, first), report(4, second), report(5, String(later!.seq))];
    turn.forEach((bytes, i) => store.append(3 + i, bytes, false));
    await store.flush();
    await store.close();

    // Untorn, the head is the later acceptance and the trade is fully held.
    const whole = await headOf(dir);
    expect(whole.head.eventSeq).to.equal(later!.seq);
    expect(owedTo(trade, whole.head)).to.equal(false);

    // A crash tore the batch half way through the trade's second report: the batch is lost as a whole (one CRC),
    // so the store's head is back at the buy's acceptance and both of the trade's reports are owed.
    const file = join(dir, 'store.1.dat');
    const batchBytes = BATCH_HEADER + turn.reduce((n, b) => n + BATCH_ENTRY + b.length, 0) + 4;
    const size = (await stat(file)).size;
    await truncate(file, size - batchBytes + BATCH_HEADER + turn[0]!.length + 20);
    const torn = await headOf(dir);
    expect(torn.nextSenderSeq).to.equal(3);
    expect(torn.head.eventSeq).to.equal(buyAccepted.seq);
    expect(owedTo(trade, torn.head), 'the trade is collected for the catch-up').to.equal(true);
    expect(owedTo(trade, torn.head, first)).to.equal(true);
    expect(owedTo(trade, torn.head, second)).to.equal(true);
    expect(owedTo(buyAccepted, torn.head, String(buyAccepted.seq))).to.equal(false);
    expect(owedTo(later!, torn.head, String(later!.seq))).to.equal(true);
  });

  it("owes only the lost report of a trade cut in half in a store of per-message records (written before batches)", async () => {
    const dir = makeTempDir('report-catch-up-');
    const h = new Harness();
    h.time = Date.now();
    const [sellAccepted] = h.sell(100, 5, { session: 'S1' });
    const buyEvents = h.buy(100, 5, { session: 'S2' });
    const trade = buyEvents.find((e): e is Extract<VenueEvent, { type: 'trade' }> => e.type === 'trade')!;
    const buyAccepted = buyEvents.find((e) => e.type === 'accepted')!;
    const [later] = h.sell(101, 1, { session: 'S1' });
    const side = (o: { side: Side }): string => `${trade.seq}${o.side === Side.Buy ? 'B' : 'S'}`;
    const first = side(trade.maker);
    const second = side(trade.taker);
    // An older store file: one record per message, the torn tail cutting the trade's second report.
    const messages = [report(1, String(sellAccepted!.seq)), report(2, String(buyAccepted.seq)), report(3, first)];
    const records = messages.map((m, i) => {
      const r = Buffer.alloc(MESSAGE_OVERHEAD + m.length);
      putMessageRecord(r, 0, i + 1, 0, m);
      return r;
    });
    const torn4 = Buffer.alloc(MESSAGE_OVERHEAD + report(4, second).length);
    putMessageRecord(torn4, 0, 4, 0, report(4, second));
    await writeFile(join(dir, 'store.1.dat'), Buffer.concat([writeHeader(1, h.time - 1000), ...records, torn4.subarray(0, 20)]));
    const torn = await headOf(dir);
    expect(torn.nextSenderSeq).to.equal(4);
    expect(torn.head.eventSeq).to.equal(trade.seq);
    expect([...torn.head.heldAtHead]).to.deep.equal([first]);

    expect(owedTo(trade, torn.head), 'the trade is collected for the catch-up').to.equal(true);
    expect(owedTo(trade, torn.head, second), 'its lost report is owed').to.equal(true);
    expect(owedTo(trade, torn.head, first), 'its stored report is not owed again').to.equal(false);
    expect(owedTo(buyAccepted, torn.head, String(buyAccepted.seq))).to.equal(false);
    expect(owedTo(later!, torn.head, String(later!.seq))).to.equal(true);
  });
});
