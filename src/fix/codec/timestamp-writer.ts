// UTCTimestamp text "YYYYMMDD-HH:MM:SS.sss" written straight into a buffer. The "YYYYMMDD-HH:MM:SS" part is
// cached per second: a session sending thousands of messages per second formats the date once.

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
    // civil_from_days (Howard Hinnant): days since 1970-01-01 -> y/m/d, no Date object needed.
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
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
