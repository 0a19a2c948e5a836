// The session window as pure functions of an instant: daily windows crossing midnight in non-UTC zones, windows on
// daylight saving change days, weekday lists, weekly windows, and EndTime as the last second inside (QuickFIX).

import { expect } from 'chai';
import { localTimeText, nextSessionStart, sessionPeriodAt, type SessionSchedule } from '../../../src/fix/session/session-schedule.js';

const utc = (text: string): number => Date.parse(text);
const hms = (h: number, m = 0, s = 0): number => h * 3600 + m * 60 + s;
const HOUR = 3_600_000;
const SECOND = 1000;

describe('FIX session schedule (pure)', () => {
  describe('a daily window crossing midnight in New York, Sunday to Thursday evenings', () => {
    // 18:00:00 to 06:00:00 local, opening Sunday..Thursday: the last window of the week closes Friday morning.
    const ny: SessionSchedule = { timeZone: 'America/New_York', startTime: hms(18), endTime: hms(6), weekdays: [0, 1, 2, 3, 4] };

    it('is open after midnight in the window that opened the evening before', () => {
      // Tuesday 2026-03-10 03:00 EDT = 07:00Z; the window opened Monday 18:00 EDT (22:00Z).
      expect(sessionPeriodAt(ny, utc('2026-03-10T07:00:00Z'))).to.deep.equal({
        start: utc('2026-03-09T22:00:00Z'),
        end: utc('2026-03-10T10:00:01Z'),
      });
    });

    it('keeps EndTime inside the window, to its last millisecond', () => {
      expect(sessionPeriodAt(ny, utc('2026-03-10T10:00:00.999Z'))).to.not.equal(null);
      expect(sessionPeriodAt(ny, utc('2026-03-10T10:00:01Z'))).to.equal(null);
    });

    it('is closed during the day and opens again at 18:00 local', () => {
      const noon = utc('2026-03-10T16:00:00Z');
      expect(sessionPeriodAt(ny, noon)).to.equal(null);
      expect(nextSessionStart(ny, noon)).to.equal(utc('2026-03-10T22:00:00Z'));
    });

    it('takes the weekday a window opens on: Friday morning is open, Saturday morning and Friday evening are not', () => {
      expect(sessionPeriodAt(ny, utc('2026-03-13T07:00:00Z'))?.start).to.equal(utc('2026-03-12T22:00:00Z'));
      expect(sessionPeriodAt(ny, utc('2026-03-13T23:00:00Z'))).to.equal(null);
      expect(sessionPeriodAt(ny, utc('2026-03-14T07:00:00Z'))).to.equal(null);
      expect(nextSessionStart(ny, utc('2026-03-13T23:00:00Z'))).to.equal(utc('2026-03-15T22:00:00Z'));
    });
  });

  it('crosses midnight in Tokyo (a zone ahead of UTC): the window opened on the previous local day', () => {
    const tokyo: SessionSchedule = { timeZone: 'Asia/Tokyo', startTime: hms(22), endTime: hms(5, 30) };
    // Tuesday 2026-12-08 02:00 JST is Monday 17:00Z; the window opened Monday 22:00 JST = 13:00Z.
    expect(sessionPeriodAt(tokyo, utc('2026-12-07T17:00:00Z'))).to.deep.equal({
      start: utc('2026-12-07T13:00:00Z'),
      end: utc('2026-12-07T20:30:01Z'),
    });
    expect(localTimeText(tokyo, utc('2026-12-07T13:00:00Z'))).to.equal('2026-12-07 22:00:00 Asia/Tokyo');
  });

  describe('daylight saving change days (New York: 2026-03-08 forward, 2026-11-01 back)', () => {
    const overnight: SessionSchedule = { timeZone: 'America/New_York', startTime: hms(20), endTime: hms(4) };

    it('a window across the spring change is an hour shorter', () => {
      const p = sessionPeriodAt(overnight, utc('2026-03-08T05:00:00Z'))!;
      expect(p.start).to.equal(utc('2026-03-08T01:00:00Z')); // Saturday 20:00 EST
      expect(p.end).to.equal(utc('2026-03-08T08:00:01Z')); // Sunday 04:00:00 EDT, inclusive
      expect(p.end - p.start).to.equal(7 * HOUR + SECOND);
    });

    it('a window across the autumn change is an hour longer', () => {
      const p = sessionPeriodAt(overnight, utc('2026-11-01T05:00:00Z'))!;
      expect(p.start).to.equal(utc('2026-11-01T00:00:00Z')); // Saturday 20:00 EDT
      expect(p.end).to.equal(utc('2026-11-01T09:00:01Z')); // Sunday 04:00:00 EST
      expect(p.end - p.start).to.equal(9 * HOUR + SECOND);
    });

    it('a StartTime the spring change skips opens when the clock reaches it after the jump (03:30 EDT)', () => {
      const early: SessionSchedule = { timeZone: 'America/New_York', startTime: hms(2, 30), endTime: hms(12) };
      expect(nextSessionStart(early, utc('2026-03-08T05:00:00Z'))).to.equal(utc('2026-03-08T07:30:00Z'));
    });

    it('a 24-hour session (StartTime = EndTime) lasts 23 hours on the spring change day and rolls at StartTime', () => {
      const allDay: SessionSchedule = { timeZone: 'America/New_York', startTime: hms(17), endTime: hms(17) };
      const p = sessionPeriodAt(allDay, utc('2026-03-08T12:00:00Z'))!;
      expect(p).to.deep.equal({ start: utc('2026-03-07T22:00:00Z'), end: utc('2026-03-08T21:00:00Z') });
      // No gap: the next period opens the instant this one ends.
      expect(sessionPeriodAt(allDay, p.end)?.start).to.equal(p.end);
    });
  });

  describe('weekly windows', () => {
    // Sunday 22:00:00 to Friday 21:00:00 London time (GMT in winter, BST in summer).
    const week: SessionSchedule = { timeZone: 'Europe/London', startTime: hms(22), endTime: hms(21), startDay: 0, endDay: 5 };

    it('is one period from Sunday evening to Friday evening', () => {
      const period = { start: utc('2026-12-06T22:00:00Z'), end: utc('2026-12-11T21:00:01Z') };
      expect(sessionPeriodAt(week, utc('2026-12-06T22:00:00Z'))).to.deep.equal(period);
      expect(sessionPeriodAt(week, utc('2026-12-09T12:00:00Z'))).to.deep.equal(period);
      expect(sessionPeriodAt(week, utc('2026-12-11T21:00:00.500Z'))).to.deep.equal(period);
    });

    it('is closed over the weekend until Sunday evening', () => {
      expect(sessionPeriodAt(week, utc('2026-12-12T10:00:00Z'))).to.equal(null);
      expect(sessionPeriodAt(week, utc('2026-12-06T21:59:59Z'))).to.equal(null);
      expect(nextSessionStart(week, utc('2026-12-12T10:00:00Z'))).to.equal(utc('2026-12-13T22:00:00Z'));
    });

    it('follows summer time: the same local times are an hour earlier in UTC', () => {
      expect(sessionPeriodAt(week, utc('2026-07-08T12:00:00Z'))).to.deep.equal({
        start: utc('2026-07-05T21:00:00Z'),
        end: utc('2026-07-10T20:00:01Z'),
      });
    });

    it('with the same StartDay and EndDay and an EndTime before the StartTime, runs a week round', () => {
      const monday: SessionSchedule = { timeZone: 'UTC', startTime: hms(8), endTime: hms(7), startDay: 1, endDay: 1 };
      expect(sessionPeriodAt(monday, utc('2026-12-13T12:00:00Z'))).to.deep.equal({
        start: utc('2026-12-07T08:00:00Z'),
        end: utc('2026-12-14T07:00:01Z'),
      });
      expect(sessionPeriodAt(monday, utc('2026-12-14T07:30:00Z'))).to.equal(null);
    });
  });
});
