// When the running venue takes snapshots by itself: at the end of each trading day (the calendar's endOfDay) and
// every venue.snapshots.intervalSeconds.

import { expect } from 'chai';
import { ManualClock } from '../support/manual-clock.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';
import { eventually } from '../ops/support/ops-harness.js';
import { readSnapshotFile } from '../../src/venue/journal/snapshot-store.js';

describe('venue app: snapshots at the end of the day and on a timer', function () {
  this.timeout(30000);
  let venue: TestVenue | null = null;
  afterEach(async () => {
    await venue?.dispose();
    venue = null;
  });

  it('takes one when the trading day ends, holding the ended date', async () => {
    // 16:34 UTC is 17:34 in Berlin in December: in the closing call (17:30 to 17:35), a minute before the close.
    const clock = new ManualClock(Date.parse('2026-12-08T16:34:00Z'));
    venue = await startTestVenue({
      clock,
      adjust: (s) => {
        s.snapshots = { intervalSeconds: 0, keep: 3, atEndOfDay: true };
        s.calendar = {
          timeZone: 'Europe/Berlin',
          tradingSessionId: 'XDAY',
          days: [null, ...Array.from({ length: 5 }, () => ({ preOpen: 590, open: 600, preClose: 1050, close: 1055 })), null],
          holidays: new Set(),
        };
      },
    });
    const app = venue.app;
    expect(app.snapshots.lastRun).to.equal(null);
    clock.advanceTo(Date.parse('2026-12-08T16:35:00Z'));
    const run = await eventually(() => app.snapshots.lastRun ?? undefined, 'the end-of-day snapshot');
    expect(run.trigger).to.equal('end-of-day');
    const ended = app.journal.venue.tradingDay.ended;
    expect(ended).to.not.equal('');
    const file = readSnapshotFile(run.path);
    expect('error' in file ? file.error : file.core.endedTradeDate).to.equal(ended);
    expect(run.commandSeq).to.equal(app.journal.venue.commandSeq);
    expect(app.snapshots.list().map((s) => s.commandSeq)).to.deep.equal([run.commandSeq]);
  });

  it('takes one every intervalSeconds, at the command seq of its moment', async () => {
    venue = await startTestVenue({ adjust: (s) => (s.snapshots = { intervalSeconds: 1, keep: 2, atEndOfDay: false }) });
    const app = venue.app;
    app.submit({ type: 'setStp', time: Date.now(), account: 'B1-MAIN', mode: 0 });
    const first = await eventually(() => app.snapshots.lastRun ?? undefined, 'the first timed snapshot');
    expect(first.trigger).to.equal('interval');
    app.submit({ type: 'setStp', time: Date.now(), account: 'B1-MAIN', mode: 0 });
    const second = await eventually(() => (app.snapshots.taken >= 2 ? app.snapshots.lastRun! : undefined), 'the second timed snapshot');
    expect(second.commandSeq).to.be.greaterThan(first.commandSeq);
    expect(app.snapshots.list().map((s) => s.commandSeq)).to.deep.equal([second.commandSeq, first.commandSeq]);
  });
});
