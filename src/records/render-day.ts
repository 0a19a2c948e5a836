// A trade date of the record as the v1 text lines (record-format.ts), whatever format its files are in: what a
// person reads with `less` or loads into a spreadsheet. Read only: a torn tail (a write in progress) is skipped,
// never cut, so it is safe beside a running venue.

import { scanDay } from './day-scan.js';
import type { DayFile } from './day-files.js';

/** Calls write with each event line (newline included) of the files of `date`, in seq order. */
export async function renderDay(days: readonly DayFile[], date: string, write: (line: string) => void): Promise<void> {
  for (const day of days) if (day.date === date) await scanDay(day, 0, (view) => write(view.line()));
}
