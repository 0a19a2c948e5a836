// What the venue holds after a run, read from its files and its Redis with the venue process stopped: a clean
// replay of its command journal (into a fresh core, from a copy of the journal, no snapshot), its execution
// record, risk's positions and clearing's settlement state. The soak checks compare the members' view and the
// running venue's answers against this.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadVenueConfig } from '../../../src/config/load-config.js';
import type { VenueSettings } from '../../../src/config/settings.js';
import { ExecutionRecord } from '../../../src/records/index.js';
import type { RecordEntry } from '../../../src/records/record-entries.js';
import { copyEvent } from '../../../src/venue/event-copy.js';
import { JournaledVenue } from '../../../src/venue/journal/journaled-venue.js';
import type { StpMode } from '../../../src/venue/model/enums.js';
import type { VenueEvent } from '../../../src/venue/model/events.js';
import type { Venue } from '../../../src/venue/core/venue.js';
import type { SoakConfig } from './soak-config.js';

export interface RiskPosition {
  account: string;
  asset: string;
  net: string;
  volume: string;
  lastSeq: number;
}

export interface ClearingDay {
  date: string;
  enqueued: number;
  settled: number;
  /** "account asset received|delivered" → integer at the asset's settlement scale. */
  positions: Map<string, bigint>;
  scales: Map<string, number>;
}

export interface VenueTruth {
  settings: VenueSettings;
  /** Every event of a clean replay of the journal (copies), in seq order. */
  events: VenueEvent[];
  /** The replayed core (queries: order, liveOrders, book). */
  core: Venue;
  commandSeq: number;
  eventSeq: number;
  /** Every entry of the execution record. */
  record: RecordEntry[];
  positions: RiskPosition[];
  clearing: ClearingDay[];
  close(): Promise<void>;
}

export function stpOf(settings: VenueSettings): { defaultMode: StpMode; scope: VenueSettings['stpScope']; accounts: Record<string, StpMode> } {
  const accounts: Record<string, StpMode> = {};
  for (const firm of settings.firms) for (const a of firm.accounts) accounts[a] = firm.stpMode;
  return { defaultMode: settings.stpDefault, scope: settings.stpScope, accounts };
}

/** Replays a copy of the journal in `journalDir` into a fresh core (the running venue's files are not touched). */
export async function replayJournal(settings: VenueSettings, journalDir: string): Promise<{ jv: JournaledVenue; events: VenueEvent[]; cleanup: () => Promise<void> }> {
  const copy = mkdtempSync(join(tmpdir(), 'soak-replay-'));
  cpSync(journalDir, copy, { recursive: true });
  const jv = new JournaledVenue(
    { instruments: settings.instruments, stp: stpOf(settings) },
    { dir: copy, fsync: 'none', autoCommit: false, useSnapshot: false },
  );
  const events: VenueEvent[] = [];
  jv.subscribe((e) => events.push(copyEvent(e)), { replay: true });
  await jv.open();
  return {
    jv,
    events,
    cleanup: async () => {
      await jv.close();
      rmSync(copy, { recursive: true, force: true });
    },
  };
}

export async function readRecord(settings: VenueSettings, recordsDir: string): Promise<RecordEntry[]> {
  const copy = mkdtempSync(join(tmpdir(), 'soak-record-'));
  cpSync(recordsDir, copy, { recursive: true });
  const record = new ExecutionRecord({ dir: copy, instruments: settings.instruments, fsync: false, autoFlush: false });
  try {
    await record.open();
    return await record.eventsBetween({ from: 0, to: Date.now() + 2 * 86_400_000 });
  } finally {
    await record.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

export async function readRiskPositions(redis: Redis, prefix: string): Promise<RiskPosition[]> {
  const keys = await redis.smembers(`${prefix}positions`);
  const out: RiskPosition[] = [];
  for (const key of keys.sort()) {
    const h = await redis.hgetall(key);
    out.push({ account: h.account ?? '', asset: h.asset ?? '', net: h.net ?? '', volume: h.volume ?? '', lastSeq: Number(h.lastSeq ?? 0) });
  }
  return out;
}

export async function readClearing(redis: Redis, prefix: string, dates: readonly string[]): Promise<ClearingDay[]> {
  const out: ClearingDay[] = [];
  for (const date of dates) {
    const positions = new Map<string, bigint>();
    for (const [field, value] of Object.entries(await redis.hgetall(`${prefix}:day:{${date}}:positions`))) {
      const [, account, asset, kind] = JSON.parse(field) as [string, string, string, string];
      positions.set(`${account} ${asset} ${kind}`, BigInt(value));
    }
    const scales = new Map<string, number>();
    for (const [asset, value] of Object.entries(await redis.hgetall(`${prefix}:day:{${date}}:scales`))) scales.set(asset, Number(value));
    out.push({
      date,
      enqueued: Number((await redis.get(`${prefix}:day:{${date}}:enqueued`)) ?? 0),
      settled: Number((await redis.get(`${prefix}:day:{${date}}:settled`)) ?? 0),
      positions,
      scales,
    });
  }
  return out;
}

/** Reads everything; the venue must be stopped (its files are copied, not shared). */
export async function readVenueTruth(config: SoakConfig, redisUrl: string): Promise<VenueTruth> {
  const settings = loadVenueConfig(config.file, {});
  const replay = await replayJournal(settings, config.journalDir);
  const record = await readRecord(settings, config.recordsDir);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    const dates = [...new Set(record.map((e) => e.tradeDate))].sort();
    return {
      settings,
      events: replay.events,
      core: replay.jv.venue,
      commandSeq: replay.jv.venue.commandSeq,
      eventSeq: replay.jv.venue.eventSeq,
      record,
      positions: await readRiskPositions(redis, config.riskPrefix),
      clearing: await readClearing(redis, config.clearingQueue, dates),
      close: replay.cleanup,
    };
  } finally {
    redis.disconnect();
  }
}
