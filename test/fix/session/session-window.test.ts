// The session window's one timer on a clock moved by hand: the edges it reports over a week of a daily window in
// New York across the spring daylight saving change, with exactly one timer pending at any time.

import { expect } from 'chai';
import { SessionWindow } from '../../../src/fix/session/session-window.js';
import type { SessionSchedule } from '../../../src/fix/session/session-schedule.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('FIX session window (one timer, injected clock)', () => {
  it('opens and closes at local times across a daylight saving change, one timer at a time', () => {
    // 09:30:00-16:00:00 New York, weekdays only; 2026-03-08 (Sunday) the clocks go forward.
    const schedule: SessionSchedule = { timeZone: 'America/New_York', startTime: 34_200, endTime: 57_600, weekdays: [1, 2, 3, 4, 5] };
    const clock = new ManualClock(Date.parse('2026-03-05T12:00:00Z')); // Thursday 07:00 EST
    const edges: string[] = [];
    const window = new SessionWindow(schedule, clock, {
      opened: (period, now) => edges.push(`open ${new Date(now).toISOString()} (period from ${new Date(period.start).toISOString()})`),
      closed: (reason, now) => edges.push(`close ${new Date(now).toISOString()} ${reason}`),
    });
    window.start();
    expect(clock.pending).to.equal(1);
    const pendingCounts: number[] = [];
    for (let day = 0; day < 6; day++) {
      clock.advanceTo(clock.time + 86_400_000);
      pendingCounts.push(clock.pending);
    }
    expect(pendingCounts).to.deep.equal([1, 1, 1, 1, 1, 1]);
    expect(edges).to.deep.equal([
      'open 2026-03-05T14:30:00.000Z (period from 2026-03-05T14:30:00.000Z)',
      'close 2026-03-05T21:00:01.000Z End of session time (EndTime 16:00:00 America/New_York)',
      'open 2026-03-06T14:30:00.000Z (period from 2026-03-06T14:30:00.000Z)',
      'close 2026-03-06T21:00:01.000Z End of session time (EndTime 16:00:00 America/New_York)',
      // Monday after the change: an hour earlier in UTC.
      'open 2026-03-09T13:30:00.000Z (period from 2026-03-09T13:30:00.000Z)',
      'close 2026-03-09T20:00:01.000Z End of session time (EndTime 16:00:00 America/New_York)',
      'open 2026-03-10T13:30:00.000Z (period from 2026-03-10T13:30:00.000Z)',
      'close 2026-03-10T20:00:01.000Z End of session time (EndTime 16:00:00 America/New_York)',
    ]);
    window.stop();
    expect(clock.pending).to.equal(0);
  });

  it('counts a period already open when it starts as opened, with its own start', () => {
    const clock = new ManualClock(Date.parse('2026-12-08T12:00:00Z'));
    const opened: number[] = [];
    const window = new SessionWindow({ timeZone: 'UTC', startTime: 8 * 3600, endTime: 17 * 3600 }, clock, {
      opened: (period) => opened.push(period.start),
      closed: () => {},
    });
    window.start();
    expect(opened).to.deep.equal([Date.parse('2026-12-08T08:00:00Z')]);
    window.stop();
  });
});
