// The end of every trading scenario: stop the flow, let every member and the drop copy process everything, wait
// for clearing to settle, read the live books through the admin API, stop the venue gracefully and hold what it
// left behind (journal, record, Redis) against what the members were told.

import {
  checkBooks,
  checkDropCopy,
  checkMembers,
  checkPositions,
  checkRecord,
  checkSequences,
  checkSettlement,
  checkUnknownLiveOrders,
  emptyResult,
  merge,
  type ApiBook,
  type CheckResult,
} from './checks.js';
import type { Fleet } from './fleet.js';
import { SYMBOLS, type SoakConfig } from './soak-config.js';
import { waitForSettlement } from './settlement-wait.js';
import { VIEWER_TOKEN, type VenueProcess } from './venue-process.js';
import { readVenueTruth } from './venue-truth.js';

export interface FinalReport extends CheckResult {
  trades: number;
  liveOrders: number;
  commands: number;
}

export async function apiBooks(venue: VenueProcess): Promise<ApiBook[]> {
  const books: ApiBook[] = [];
  for (const symbol of SYMBOLS) {
    const res = await fetch(`${venue.adminBase}/api/books/${symbol}?depth=0`, { headers: { authorization: `Bearer ${VIEWER_TOKEN}` } });
    books.push((await res.json()) as ApiBook);
  }
  return books;
}

export async function finalChecks(fleet: Fleet, venue: VenueProcess, config: SoakConfig, redisUrl: string, log: (line: string) => void): Promise<FinalReport> {
  await fleet.quiesce();
  const trades = fleet.dropCopyExecIds.filter((x) => x.endsWith('B')).length;
  const settlement = await waitForSettlement(redisUrl, config.clearingQueue, trades, 30_000);
  log(`  settled ${settlement.settled}/${settlement.enqueued} of ${trades} trades`);
  const books = await apiBooks(venue);
  await fleet.logoutAll();
  await venue.stop();
  const truth = await readVenueTruth(config, redisUrl);
  const result = emptyResult();
  try {
    merge(result, checkMembers(fleet.flows, truth));
    merge(result, checkUnknownLiveOrders(fleet.flows, truth));
    merge(result, checkBooks(books, truth));
    merge(result, checkRecord(truth));
    merge(result, checkPositions(truth));
    merge(result, checkSettlement(truth));
    merge(result, checkDropCopy(fleet.dropCopyExecIds, truth));
    merge(result, checkSequences(fleet.clients));
    log(`  journal: ${truth.commandSeq} commands, ${truth.eventSeq} events; record ${truth.record.length} entries; ${truth.core.liveOrderCount} live orders`);
    return { ...result, trades, liveOrders: truth.core.liveOrderCount, commands: truth.commandSeq };
  } finally {
    await truth.close();
  }
}
