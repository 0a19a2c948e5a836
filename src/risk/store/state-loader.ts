// Start-up: on the very first start (no risk:meta in Redis) the configured default limits are written to
// Redis; on every later start Redis is the source of truth and the config's limits are ignored. Then
// limits, kill switches, breaker halts and positions are loaded into the core.
//
// Positions carry the seq of the last trade applied; the journal replay that follows applies only later
// trades. That seq only means something within one journal, so the journal's id is kept in risk:meta:
// when the venue starts on a different journal, every position's lastSeq is reset to 0 (the positions
// themselves carry over: they are the account's holdings from before).

import type { Redis } from 'ioredis';
import type { LimitSeed } from '../../config/risk-section.js';
import type { Logger } from '../../shared/logger.js';
import type { RiskCore } from '../core/risk-core.js';
import { limitChangeProblems } from '../core/limit-validation.js';
import { parseLimitScope } from '../model/scopes.js';
import type { RiskKeys } from './redis-keys.js';
import { decodeBreaker, decodeKill, decodePosition, StoredStateError } from './state-codec.js';
import type { WriteBehind } from './write-behind.js';


export interface LoadReport {
  firstStart: boolean;
  limitScopes: number;
  killSwitches: number;
  breakerHalts: number;
  positions: number;
  /** Positions in assets no instrument trades any more (left untouched in Redis). */
  skippedPositions: number;
  /** True when the journal changed and positions' lastSeq were reset. */
  journalChanged: boolean;
}

async function hashes(client: Redis, keys: string[]): Promise<Array<Record<string, string>>> {
  if (keys.length === 0) return [];
  const pipe = client.pipeline();
  for (const k of keys) pipe.hgetall(k);
  const replies = (await pipe.exec()) ?? [];
  return replies.map(([err, value], i) => {
    if (err) throw new Error(`risk: reading ${keys[i]} from Redis failed: ${err.message}`);
    return value as Record<string, string>;
  });
}

export async function loadRiskState(
  client: Redis,
  keys: RiskKeys,
  core: RiskCore,
  writer: WriteBehind,
  logger: Logger,
  options: { seeds: readonly LimitSeed[]; journalId?: string; clock: () => number },
): Promise<LoadReport> {
  const report: LoadReport = { firstStart: false, limitScopes: 0, killSwitches: 0, breakerHalts: 0, positions: 0, skippedPositions: 0, journalChanged: false };
  const meta = await client.hgetall(keys.meta);
  if (Object.keys(meta).length === 0) {
    report.firstStart = true;
    for (const seed of options.seeds) core.setLimits(seed.scope, seed.values as Record<string, string>, 'config', 'default from config, written on first start');
    report.limitScopes = options.seeds.length;
    writer.setMeta({ seededAt: new Date(options.clock()).toISOString(), ...(options.journalId ? { journalId: options.journalId } : {}) });
    await writer.flush();
    logger.info('risk: first start; default limits from config written to Redis', { scopes: report.limitScopes });
    return report;
  }

  const ids = (await client.smembers(keys.limitsIndex)).sort();
  const limitHashes = await hashes(client, ids.map((id) => keys.limits(id)));
  ids.forEach((id, i) => {
    const scope = parseLimitScope(id);
    if (scope === null) throw new StoredStateError(keys.limitsIndex, '', 'scope ids firm:<id>, account:<id> or instrument:<account>:<symbol>', id);
    if (scope.level === 'instrument' && !core.instruments.has(scope.symbol)) {
      logger.warn(`risk: limits for ${id} ignored: ${scope.symbol} is not configured`);
      return;
    }
    const values = limitHashes[i]!;
    if (Object.keys(values).length === 0) return;
    const problems = limitChangeProblems(scope, values, null, core.instruments);
    if (problems.length > 0) throw new StoredStateError(keys.limits(id), '', 'valid limits', problems.join('; '));
    core.restoreLimits(id, values);
    report.limitScopes++;
  });
  core.limitsUpdated();

  const kills = await client.hgetall(keys.kill);
  for (const [id, text] of Object.entries(kills)) {
    core.restoreKill(decodeKill(keys.kill, id, text));
    report.killSwitches++;
  }
  const breakers = await client.hgetall(keys.breakers);
  for (const [symbol, text] of Object.entries(breakers)) {
    if (!core.instruments.has(symbol)) continue;
    core.restoreBreaker(decodeBreaker(keys.breakers, symbol, text));
    report.breakerHalts++;
  }

  const journalChanged = options.journalId !== undefined && meta.journalId !== undefined && meta.journalId !== options.journalId;
  report.journalChanged = journalChanged;
  const positionKeys = (await client.smembers(keys.positionsIndex)).sort();
  const positionHashes = await hashes(client, positionKeys);
  positionKeys.forEach((key, i) => {
    const h = positionHashes[i]!;
    if (Object.keys(h).length === 0) return;
    const p = decodePosition(key, h, core.books.assetInfo(h.asset ?? ''));
    if (p === null) {
      report.skippedPositions++;
      return;
    }
    if (journalChanged) p.lastSeq = 0;
    core.restorePosition(p);
    if (journalChanged) writer.positionChanged(p);
    report.positions++;
  });
  if (journalChanged) {
    logger.warn('risk: the venue journal changed since positions were stored; trades of the new journal will be applied on top of them', {
      previous: meta.journalId, current: options.journalId,
    });
  }
  if (options.journalId !== undefined && meta.journalId !== options.journalId) writer.setMeta({ journalId: options.journalId });
  logger.info('risk: state loaded from Redis', { ...report });
  return report;
}
