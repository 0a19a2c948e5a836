// When a FIX session may be logged on, as QuickFIX's session time applies it: a daily window from StartTime to
// EndTime (local to the schedule's time zone; an EndTime before the StartTime crosses midnight, an EndTime equal
// to it makes a 24-hour session), on every day or only on the listed weekdays, or one weekly window from StartDay
// StartTime to EndDay EndTime. EndTime is the last second inside the window, as in QuickFIX. Each window is a
// session period: sequence numbers start again from 1 in every new one. Pure functions of an instant.

import { addLocalDays, localParts, localSecondsOfDay, localSecondsToUtc, weekdayOf } from '../../shared/local-time.js';

export interface SessionSchedule {
  /** IANA time zone the times are local to. */
  timeZone: string;
  /** Seconds after local midnight. */
  startTime: number;
  endTime: number;
  /** Daily windows only on these weekdays (0 = Sunday), the weekday a window starts on; absent: every day. */
  weekdays?: readonly number[];
  /** A weekly window (both or neither): it opens on startDay at startTime and closes on endDay at endTime. */
  startDay?: number;
  endDay?: number;
}

/** One session period, [start, end) in epoch ms. */
export interface SessionPeriod {
  start: number;
  end: number;
}

const SECOND = 1000;

/** The period that opens on the local date `date`, or null when none does. */
function periodOpeningOn(schedule: SessionSchedule, date: string): SessionPeriod | null {
  const { timeZone, startTime, endTime } = schedule;
  const weekday = weekdayOf(date);
  const start = localSecondsToUtc(date, startTime, timeZone);
  if (schedule.startDay !== undefined && schedule.endDay !== undefined) {
    if (weekday !== schedule.startDay) return null;
    let days = (schedule.endDay - schedule.startDay + 7) % 7;
    // The same day with an EndTime not after the StartTime: the window runs a whole week round.
    if (days === 0 && endTime <= startTime) days = 7;
    if (days === 7 && endTime === startTime) return { start, end: localSecondsToUtc(addLocalDays(date, 7), startTime, timeZone) };
    return { start, end: localSecondsToUtc(addLocalDays(date, days), endTime, timeZone) + SECOND };
  }
  if (schedule.weekdays !== undefined && !schedule.weekdays.includes(weekday)) return null;
  if (endTime === startTime) return { start, end: localSecondsToUtc(addLocalDays(date, 1), startTime, timeZone) };
  const endDate = endTime > startTime ? date : addLocalDays(date, 1);
  return { start, end: localSecondsToUtc(endDate, endTime, timeZone) + SECOND };
}

/** The period `now` falls in, or null outside every window. */
export function sessionPeriodAt(schedule: SessionSchedule, now: number): SessionPeriod | null {
  const today = localParts(now, schedule.timeZone).date;
  // The latest opening first; a window is at most a week long, so one opened eight days ago has closed.
  for (let back = 0; back <= 8; back++) {
    const period = periodOpeningOn(schedule, addLocalDays(today, -back));
    if (period === null || period.start > now) continue;
    return now < period.end ? period : null;
  }
  return null;
}

/** When the next period opens after `now` (within the next eight days; a schedule always has one). */
export function nextSessionStart(schedule: SessionSchedule, now: number): number {
  const today = localParts(now, schedule.timeZone).date;
  for (let ahead = -1; ahead <= 8; ahead++) {
    const period = periodOpeningOn(schedule, addLocalDays(today, ahead));
    if (period !== null && period.start > now) return period.start;
  }
  throw new Error('session schedule opens no window within a week');
}

/** "2026-12-08 08:00:00 Europe/London": an instant as the schedule's local time, for Logout texts and logs. */
export function localTimeText(schedule: SessionSchedule, ms: number): string {
  const date = localParts(ms, schedule.timeZone).date;
  return `${date} ${timeOfDayText(localSecondsOfDay(ms, schedule.timeZone))} ${schedule.timeZone}`;
}

/** HH:MM:SS of seconds after midnight. */
export function timeOfDayText(seconds: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}
