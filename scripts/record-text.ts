// npm run record:text -- <records dir> <YYYY-MM-DD> [--no-header]
// Prints one trade date of the execution record as the text lines of format v1 (tab-separated, one event per line,
// exact decimals), whether its day files are binary (this version) or text (earlier ones): the record is stored in
// binary and rendered as text only when someone reads it. Read only, safe beside a running venue.

import fs from 'node:fs';
import { listDayFiles } from '../src/records/day-files.js';
import { fileHeader } from '../src/records/record-format.js';
import { renderDay } from '../src/records/render-day.js';
import { isTradeDate } from '../src/records/trade-date.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--no-header');
  const header = !process.argv.includes('--no-header');
  const [dir, date] = args;
  if (dir === undefined || date === undefined || args.length !== 2) throw new Error('usage: npm run record:text -- <records dir> <YYYY-MM-DD> [--no-header]');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`records dir ${dir}: not a folder`);
  if (!isTradeDate(date)) throw new Error(`trade date "${date}": expected YYYY-MM-DD`);
  const days = listDayFiles(dir).filter((d) => d.date === date);
  if (days.length === 0) throw new Error(`no day file for ${date} in ${dir}`);
  let out = header ? fileHeader(date) : '';
  await renderDay(days, date, (line) => {
    out += line;
    if (out.length >= 1 << 16) {
      process.stdout.write(out);
      out = '';
    }
  });
  process.stdout.write(out);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
