// UTCTimestamp text "YYYYMMDD-HH:MM:SS.sss" written straight into a buffer. The "YYYYMMDD-HH:MM:SS" part is
// cached per second: a session sending thousands of messages per second formats the date once.

import { civilFromDays } from '../../shared/civil-date.js';

const PREFIX = 17;

export class TimestampWriter {
  private cachedSecond = Number.NaN;
  private readonly cached = new Uint8Array(PREFIX);

  /**
   * Writes the timestamp for epoch milliseconds `ms` at buf[at]; precision 3 adds ".sss", 0 stops at seconds.
   * Returns the number of bytes written (17 or 21).
   */
  write(buf: Uint8Array, at: number, ms: number, precision: 0 | 3 = 3): number {
    const second = Math.floor(ms / 1000);
    if (second !== this.cachedSecond) this.fill(second);
    const c = this.cached;
    for (let i = 0; i < PREFIX; i++) buf[at + i] = c[i]!;
    if (precision === 0) return PREFIX;
    const millis = ms - second * 1000;
    buf[at + 17] = 0x2e;
    buf[at + 18] = 48 + Math.floor(millis / 100);
    buf[at + 19] = 48 + (Math.floor(millis / 10) % 10);
    buf[at + 20] = 48 + (millis % 10);
    return PREFIX + 4;
  }

  private fill(second: number): void {
    this.cachedSecond = second;
    const days = Math.floor(second / 86400);
    let rest = second - days * 86400;
    const hour = Math.floor(rest / 3600);
    rest -= hour * 3600;
    const minute = Math.floor(rest / 60);
    const sec = rest - minute * 60;
    const ymd = civilFromDays(days);
    const year = Math.floor(ymd / 10_000);
    const month = Math.floor(ymd / 100) % 100;
    const day = ymd % 100;
    const c = this.cached;
    c[0] = 48 + Math.floor(year / 1000);
    c[1] = 48 + (Math.floor(year / 100) % 10);
    c[2] = 48 + (Math.floor(year / 10) % 10);
    c[3] = 48 + (year % 10);
    c[4] = 48 + Math.floor(month / 10);
    c[5] = 48 + (month % 10);
    c[6] = 48 + Math.floor(day / 10);
    c[7] = 48 + (day % 10);
    c[8] = 0x2d;
    c[9] = 48 + Math.floor(hour / 10);
    c[10] = 48 + (hour % 10);
    c[11] = 0x3a;
    c[12] = 48 + Math.floor(minute / 10);
    c[13] = 48 + (minute % 10);
    c[14] = 0x3a;
    c[15] = 48 + Math.floor(sec / 10);
    c[16] = 48 + (sec % 10);
  }
}

/** "YYYYMMDD-HH:MM:SS.sss" for epoch milliseconds, as a string (off the hot path: logs, tests). */
export function formatUtcTimestamp(ms: number, precision: 0 | 3 = 3): string {
  const buf = new Uint8Array(21);
  const n = new TimestampWriter().write(buf, 0, ms, precision);
  return Buffer.from(buf.buffer, 0, n).toString('latin1');
}
