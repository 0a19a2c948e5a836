import { expect } from 'chai';
import path from 'node:path';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestRedis } from '../support/redis-server.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';
import type { VenueApp } from '../../src/app/venue-app.js';

const body = FixTestClient.body;

/** What a restart must bring back besides the books: risk's reservations and positions, the record's head. */
function riskAndRecord(app: VenueApp) {
  const positions = [...app.risk.core.books.positions()]
    .filter((p) => !p.untouched || p.openBuy !== 0 || p.openSell !== 0)
    .map((p) => `${p.account}:${p.asset} net=${String(p.net)} open=${p.openBuy}/${p.openSell} last=${p.lastSeq}`)
    .sort();
  return { positions, openOrders: app.risk.core.stats().openOrders, recordLastSeq: app.record.lastSeq, durableEventSeq: app.journal.durableEventSeq };
}

function order(clOrdId: string, side: '1' | '2', qty: string, price: string) {
  return body([[11, clOrdId], [38, qty], [40, '2'], [44, price], [54, side], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]);
}

// A venue started from a snapshot plus the journal after it is the venue a full replay gives: books, ids, sequence
// numbers, risk reservations and positions, the record; and it goes on numbering where it stopped.
describe('venue app: restart from a snapshot and the journal tail', function () {
  this.timeout(60000);
  let venue: TestVenue;

  before(async () => {
    venue = await startTestVenue({ adjust: (s) => (s.snapshots = { intervalSeconds: 0, keep: 2, atEndOfDay: true }) });
  });
  after(async () => {
    await venue.dispose();
  });

  it('restores books, ids, reservations and positions exactly as a full replay does, and resumes numbering', async () => {
    const b1 = await venue.logon('BROKER1');
    const b2 = await venue.logon('BROKER2');
    for (let i = 0; i < 5; i++) {
      b2.send('D', order(`B${i}`, '1', '2', `${3000 - i}.00`));
      await b2.er(`B${i}`, '0');
    }
    b1.send('D', order('S1', '2', '3', '2999.00'));
    await b1.er('S1', 'F');
    const first = await venue.app.snapshots.take('ops');
    expect(first.commandSeq).to.equal(venue.app.journal.venue.commandSeq);
    expect(path.basename(first.path)).to.equal(`snapshot-${String(first.commandSeq).padStart(16, '0')}.snap`);
    // The tail: more resting orders, a trade, a cancel.
    b2.send('D', order('B9', '1', '1', '2990.00'));
    await b2.er('B9', '0');
    b1.send('D', order('S2', '2', '1.5', '2998.00'));
    await b1.er('S2', 'F');
    b2.send('F', body([[11, 'C1'], [41, 'B4'], [54, '1'], [55, 'ETHUSDT'], [38, '2'], [60, stamp()]]));
    const cancelled = await b2.er('C1', '4');
    await b1.logout();
    await b2.logout();
    const b2Seq = b2.seq;
    const core = venue.app.journal.venue.exportState();
    const side = riskAndRecord(venue.app);
    expect(side.openOrders).to.equal(3); // B2 (partly filled), B3, B9
    expect(side.positions.some((p) => p.includes('net=') && !p.includes('net=0 '))).to.equal(true);
    const commands = core.commandSeq;

    venue = await venue.restart();
    expect(venue.app.snapshots.startup).to.deep.equal({
      durationMs: venue.app.snapshots.startup!.durationMs, snapshotSeq: first.commandSeq, replayedCommands: commands - first.commandSeq,
    });
    expect(venue.app.journal.venue.exportState()).to.deep.equal(core);
    expect(riskAndRecord(venue.app)).to.deep.equal(side);

    // Numbering resumes: FIX sequence numbers, the next order id and ExecID follow the ones before the restart.
    const again = await venue.logon('BROKER2', { seqNum: b2Seq });
    again.send('D', order('B10', '1', '1', '2980.00'));
    const ack = await again.er('B10', '0');
    expect(Number(ack.get(37))).to.equal(core.lastOrderId + 1);
    expect(Number(ack.get(17)!.replace(/\D/g, ''))).to.be.greaterThan(Number(cancelled.get(17)!.replace(/\D/g, '')));
    await again.logout();
    const afterNew = venue.app.journal.venue.exportState();
    const sideAfterNew = riskAndRecord(venue.app);

    // The same directory on an empty Redis: risk has nothing from before the snapshot, so the whole journal is replayed.
    await venue.stop();
    const fresh = await startTestRedis();
    const full = await startTestVenue({ dir: venue.dir, port: venue.port, redis: fresh, adjust: (s) => (s.snapshots = { intervalSeconds: 0, keep: 2, atEndOfDay: true }) });
    try {
      expect(full.app.snapshots.startup).to.include({ snapshotSeq: 0, replayedCommands: afterNew.commandSeq });
      expect(full.app.journal.venue.exportState()).to.deep.equal(afterNew);
      expect(riskAndRecord(full.app)).to.deep.equal(sideAfterNew);
    } finally {
      await full.stop();
      await fresh.dispose();
    }
    venue = await startTestVenue({ dir: venue.dir, port: venue.port, redis: venue.redis });
  });
});
