// How risk state is written into Redis values and read back, with every stored value checked on the way
// in: Redis is shared and ops can write to it, so a bad value must stop the start with a message naming
// the key and field rather than be half-used.

import { parseBigDecimal } from '../exact/big-decimal.js';
import { exact, type ExactInt } from '../exact/exact-int.js';
import { positionView } from '../positions/position-view.js';
import type { BreakerState } from '../breakers/breaker-board.js';
import type { KillRecord } from '../kill/kill-switches.js';
import { parseKillScope } from '../model/scopes.js';
import type { AssetInfo } from '../positions/asset-info.js';
import { Position } from '../positions/position.js';

export class StoredStateError extends Error {
  constructor(key: string, field: string, expected: string, got: unknown) {
    super(`risk: Redis ${key}${field ? ` field ${field}` : ''}: expected ${expected}, got ${JSON.stringify(got)}`);
    this.name = 'StoredStateError';
  }
}

export function encodePosition(p: Position): Record<string, string> {
  const v = positionView(p);
  return {
    firm: p.firm,
    account: p.account,
    asset: p.asset,
    role: p.role,
    scale: String(p.scale),
    valueScale: String(p.valueScale),
    valuedIn: p.valuedIn,
    net: v.net,
    cost: v.cost,
    avgCost: v.avgCost,
    realisedPnl: v.realisedPnl,
    volume: v.volume,
    lastSeq: String(p.lastSeq),
  };
}

/** A stored position at the current scales of its asset; null when the asset is no longer configured. */
export function decodePosition(key: string, h: Record<string, string>, info: AssetInfo | undefined): Position | null {
  const need = (field: string): string => {
    const v = h[field];
    if (v === undefined || v === '') throw new StoredStateError(key, field, 'a value', v);
    return v;
  };
  const firm = need('firm');
  const account = need('account');
  const asset = need('asset');
  if (info === undefined) return null;
  const p = new Position(firm, account, asset, info.role, info.scale, info.valueScale, info.valuedIn);
  const big = (field: string, scale: number): ExactInt => {
    const v = parseBigDecimal(need(field), scale);
    if (v === null) throw new StoredStateError(key, field, `a decimal with at most ${scale} decimals`, h[field]);
    return exact(v);
  };
  p.net = big('net', p.scale);
  p.cost = big('cost', p.valueScale);
  p.realised = big('realisedPnl', p.valueScale);
  p.volume = big('volume', p.scale);
  const lastSeq = Number(need('lastSeq'));
  if (!Number.isSafeInteger(lastSeq) || lastSeq < 0) throw new StoredStateError(key, 'lastSeq', 'a non-negative integer', h.lastSeq);
  p.lastSeq = lastSeq;
  return p;
}

export function encodeKill(k: KillRecord): string {
  return JSON.stringify({ reason: k.reason, by: k.by, at: k.at });
}

/** A stored JSON object whose listed fields have the given types; StoredStateError otherwise. */
function storedObject(key: string, field: string, text: string, types: Record<string, 'string' | 'number'>): Record<string, unknown> {
  const expected = `JSON {${Object.keys(types).join(', ')}}`;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new StoredStateError(key, field, expected, text);
  }
  const o = v as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Object.entries(types).some(([name, type]) => typeof o[name] !== type)) {
    throw new StoredStateError(key, field, expected, text);
  }
  return o;
}

export function decodeKill(key: string, id: string, text: string): KillRecord {
  const scope = parseKillScope(id);
  if (scope === null) throw new StoredStateError(key, id, 'a field firm:<id>, account:<id> or session:<id>', id);
  const o = storedObject(key, id, text, { reason: 'string', by: 'string', at: 'string' });
  return { scope, reason: o.reason as string, by: o.by as string, at: o.at as string };
}

export function encodeBreaker(b: BreakerState): string {
  return JSON.stringify({ trippedAt: b.trippedAt, resumeAt: b.resumeAt, reason: b.reason });
}

export function decodeBreaker(key: string, symbol: string, text: string): BreakerState {
  const o = storedObject(key, symbol, text, { trippedAt: 'number', resumeAt: 'number', reason: 'string' });
  return { symbol, trippedAt: o.trippedAt as number, resumeAt: o.resumeAt as number, reason: o.reason as string };
}
