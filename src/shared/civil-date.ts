// The calendar date of a day count since 1970-01-01 (proleptic Gregorian, by 400-year eras as in Howard Hinnant's
// civil_from_days), without a Date object: the FIX timestamp writer and the record's ISO times use it per second
// or per line.

/** Days since 1970-01-01 to the date packed as year * 10000 + month * 100 + day (a small integer, no object). */
export function civilFromDays(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10_000 + month * 100 + day;
}
