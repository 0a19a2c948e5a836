// The venue calendar, key `calendar` of venue.json (absent: no phases, continuous trading all the time):
//
//   "calendar": {
//     "timeZone": "Europe/London",               IANA name; every time below is local to it
//     "tradingSessionId": "1",                   TradingSessionID(336) in TradingSessionStatus; default "1" (day)
//     "days": {                                  weekdays mon..sun, or ranges such as "mon-fri"; a day not listed
//       "mon-thu": { "preOpen": "07:50", "open": "08:00", "preClose": "16:30", "close": "16:35" },
//       "fri":     { "open": "08:00", "close": "13:00" }      no auctions that day: closed -> continuous -> closed
//     },
//     "holidays": ["2026-12-25", "2026-12-28"]   local dates without trading
//   }
//
// A day's times are HH:MM, strictly increasing within the day (preOpen < open < preClose < close); preOpen and
// preClose are optional (no opening / closing auction). End of day (Day orders expire, the trading date rolls)
// follows the close.

import { ConfigError } from './config-error.js';
import type { ConfigNode } from './config-reader.js';
import { isTimeZone } from '../shared/local-time.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One day's phase times as minutes after local midnight; -1 for an auction the day does not have. */
export interface DaySchedule {
  preOpen: number;
  open: number;
  preClose: number;
  close: number;
}

export interface CalendarSettings {
  timeZone: string;
  tradingSessionId: string;
  /** Indexed by Date.getDay() (0 = Sunday); null = no trading that weekday. */
  days: Array<DaySchedule | null>;
  /** Local dates (YYYY-MM-DD) without trading. */
  holidays: Set<string>;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readCalendar(root: ConfigNode): CalendarSettings | null {
  const node = root.optionalChild('calendar');
  if (node === undefined) return null;
  node.onlyKeys(['timeZone', 'tradingSessionId', 'days', 'holidays']);
  const timeZone = node.nonEmptyStr('timeZone');
  if (!isTimeZone(timeZone)) node.fail('an IANA time zone name such as "Europe/London" or "UTC"', 'timeZone', timeZone);
  const days: Array<DaySchedule | null> = [null, null, null, null, null, null, null];
  const entries = node.entries('days');
  if (entries.length === 0) node.fail('at least one trading day', 'days', {});
  for (const [key, dayNode] of entries) {
    const schedule = readDay(dayNode);
    for (const d of weekdaysOf(key, dayNode)) {
      if (days[d] !== null) dayNode.fail(`each weekday listed once (${WEEKDAYS[d]} is also in another entry)`);
      days[d] = schedule;
    }
  }
  const holidays = new Set<string>();
  const list = node.items('holidays', true);
  for (const h of list) {
    const v = h.value;
    if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
      throw new ConfigError(h.file, h.path, 'a date YYYY-MM-DD', v);
    }
    holidays.add(v);
  }
  return { timeZone, tradingSessionId: node.nonEmptyStr('tradingSessionId', '1'), days, holidays };
}

function weekdaysOf(key: string, node: ConfigNode): number[] {
  const index = (name: string): number => {
    const i = (WEEKDAYS as readonly string[]).indexOf(name);
    if (i < 0) node.fail(`a weekday (${WEEKDAYS.join(', ')}) or a range such as "mon-fri" as the key`, undefined, key);
    return i;
  };
  const range = key.split('-');
  if (range.length === 1) return [index(key)];
  if (range.length !== 2) node.fail('a weekday or a range such as "mon-fri" as the key', undefined, key);
  // Ranges run Monday to Sunday ("sat-sun" is fine, "fri-mon" is not).
  const order = (d: number): number => (d + 6) % 7;
  const from = index(range[0]!);
  const to = index(range[1]!);
  if (order(from) > order(to)) node.fail('a range from an earlier to a later weekday (Monday first)', undefined, key);
  const out: number[] = [];
  for (let k = order(from); k <= order(to); k++) out.push((k + 1) % 7);
  return out;
}

function readDay(node: ConfigNode): DaySchedule {
  node.onlyKeys(['preOpen', 'open', 'preClose', 'close']);
  const time = (key: string, required: boolean): number => {
    if (!required && !node.has(key)) return -1;
    const text = node.str(key);
    const m = HHMM.exec(text);
    if (m === null) node.fail('a local time HH:MM (00:00 to 23:59)', key, text);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const day: DaySchedule = { preOpen: time('preOpen', false), open: time('open', true), preClose: time('preClose', false), close: time('close', true) };
  const order: Array<[keyof DaySchedule, number]> = [['preOpen', day.preOpen], ['open', day.open], ['preClose', day.preClose], ['close', day.close]];
  let last = -1;
  let lastKey = '';
  for (const [key, t] of order) {
    if (t < 0) continue;
    if (t <= last) node.fail(`a time after ${lastKey} (${hhmm(last)}): a day's phases run preOpen < open < preClose < close`, key, hhmm(t));
    last = t;
    lastKey = key;
  }
  return day;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
