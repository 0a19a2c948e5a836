// `sessions[].schedule`: when a member session may be logged on (QuickFIX's StartTime, EndTime, StartDay,
// EndDay, Weekdays and TimeZone). Absent: always open.
//
//   "schedule": {
//     "timeZone": "Europe/London",       IANA name (default "UTC", as QuickFIX)
//     "startTime": "07:00:00",           HH:MM:SS local; an endTime before it crosses midnight, equal to it is 24 h
//     "endTime": "18:00:00",             the last second inside the window
//     "weekdays": ["mon", "tue"]         daily windows only opening on these days (default every day), or
//     "startDay": "sun", "endDay": "fri" one weekly window (both or neither; not with weekdays)
//   }

import type { ConfigNode } from './config-reader.js';
import { WEEKDAYS } from './calendar-section.js';
import { isTimeZone } from '../shared/local-time.js';

/** Times in seconds after local midnight, weekdays 0 = Sunday (the FIX engine's SessionSchedule). */
export interface SessionScheduleSettings {
  timeZone: string;
  startTime: number;
  endTime: number;
  weekdays?: number[];
  startDay?: number;
  endDay?: number;
}

const HHMMSS = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;

export function readSessionSchedule(session: ConfigNode): SessionScheduleSettings | null {
  const node = session.optionalChild('schedule');
  if (node === undefined) return null;
  node.onlyKeys(['timeZone', 'startTime', 'endTime', 'weekdays', 'startDay', 'endDay']);
  const timeZone = node.nonEmptyStr('timeZone', 'UTC');
  if (!isTimeZone(timeZone)) node.fail('an IANA time zone name such as "Europe/London" or "UTC"', 'timeZone', timeZone);
  const schedule: SessionScheduleSettings = { timeZone, startTime: timeOf(node, 'startTime'), endTime: timeOf(node, 'endTime') };
  if (node.has('startDay') || node.has('endDay')) {
    if (node.has('weekdays')) node.fail('either weekdays (daily windows) or startDay and endDay (a weekly window), not both', 'weekdays');
    schedule.startDay = weekdayOf(node, 'startDay', node.str('startDay'));
    schedule.endDay = weekdayOf(node, 'endDay', node.str('endDay'));
  } else if (node.has('weekdays')) {
    const names = node.stringList('weekdays');
    if (names.length === 0) node.fail('at least one weekday (leave the key out for every day)', 'weekdays');
    schedule.weekdays = [...new Set(names.map((name) => weekdayOf(node, 'weekdays', name)))];
  }
  return schedule;
}

function timeOf(node: ConfigNode, key: string): number {
  const text = node.str(key);
  const m = HHMMSS.exec(text);
  if (m === null) node.fail('a local time HH:MM:SS (00:00:00 to 23:59:59)', key, text);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function weekdayOf(node: ConfigNode, key: string, name: string): number {
  const i = (WEEKDAYS as readonly string[]).indexOf(name.toLowerCase());
  if (i < 0) node.fail(`a weekday (${WEEKDAYS.join(', ')})`, key, name);
  return i;
}
