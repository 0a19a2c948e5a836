// Local wall-clock time in an IANA time zone, with nothing but Intl: the parts of an instant, and the instant of
// a local date and time (daylight saving changes included).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** Minutes after local midnight. */
  minutes: number;
  /** 0 = Sunday, as Date.getDay(). */
  weekday: number;
}

/** The local wall-clock reading of an instant, as if it were UTC (for offsets). */
function wallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (ms % 1000 + 1000) % 1000;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const wall = new Date(wallClockMs(ms, timeZone));
  return {
    date: wall.toISOString().slice(0, 10),
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/** Seconds after local midnight of an instant (FIX session times are HH:MM:SS). */
export function localSecondsOfDay(ms: number, timeZone: string): number {
  return Math.floor((wallClockMs(ms, timeZone) % 86_400_000 + 86_400_000) % 86_400_000 / 1000);
}

/**
 * The instant at which the local clock reads `minutes` after midnight on `date`. A local time that does not
 * exist (skipped by a spring-forward change) comes out an hour later; one that exists twice, the first.
 */
export function localToUtc(date: string, minutes: number, timeZone: string): number {
  return localSecondsToUtc(date, minutes * 60, timeZone);
}

/** localToUtc to the second (FIX session times are HH:MM:SS). */
export function localSecondsToUtc(date: string, seconds: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + seconds * 1000;
  // The zone's offsets half a day either side: a zone changes its offset at most once in a day.
  const offset = (ms: number): number => wallClockMs(ms, timeZone) - ms;
  const before = wall - offset(wall - HALF_DAY);
  const after = wall - offset(wall + HALF_DAY);
  const fits = [before, after].filter((c) => wallClockMs(c, timeZone) === wall);
  return fits.length > 0 ? Math.min(...fits) : before;
}

const HALF_DAY = 43_200_000;

/** The local date `days` after `date`. */
export function addLocalDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** True when Intl knows `name` as a time zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
