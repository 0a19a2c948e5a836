// Ops commands published on the risk control channel (risk:control by default), one JSON object per
// message. The running venue validates and applies them through the same API as the admin HTTP layer,
// so they are audited the same way. For example:
//
//   redis-cli PUBLISH risk:control '{"op":"set-limits","scope":"account:B1-ALGO","limits":{"maxOrderQty":"2","creditLimit":null},"by":"alice","reason":"new algo"}'
//   redis-cli PUBLISH risk:control '{"op":"kill","scope":"firm:BROKER2","by":"alice","reason":"runaway algo"}'
//   redis-cli PUBLISH risk:control '{"op":"release","scope":"firm:BROKER2","by":"alice","reason":"fixed"}'
//   redis-cli PUBLISH risk:control '{"op":"halt","symbol":"BTCUSDT","by":"alice","reason":"news"}'
//   redis-cli PUBLISH risk:control '{"op":"resume","symbol":"BTCUSDT","by":"alice","reason":"news digested"}'
//
// A null limit value clears that limit at the scope. The outcome is in the log and, when something
// changed, in the audit stream (redis-cli XREVRANGE risk:audit + - COUNT 5).

import { parseKillScope, parseLimitScope, type KillScope, type LimitScope } from '../model/scopes.js';

export type ControlMessage =
  | { op: 'set-limits'; scope: LimitScope; limits: Record<string, string | null>; by: string; reason: string }
  | { op: 'kill' | 'release'; scope: KillScope; by: string; reason: string }
  | { op: 'halt' | 'resume'; symbol: string; by: string; reason: string };

/** Parses one message; a string says what is wrong with it. */
export function parseControlMessage(text: string): ControlMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'expected a JSON object';
  const o = v as Record<string, unknown>;
  const by = o.by;
  if (typeof by !== 'string' || by.trim() === '') return '"by" (who makes the change) is required';
  const reason = typeof o.reason === 'string' ? o.reason : '';
  switch (o.op) {
    case 'set-limits': {
      const scope = typeof o.scope === 'string' ? parseLimitScope(o.scope) : null;
      if (scope === null) return '"scope" must be firm:<id>, account:<id> or instrument:<account>:<symbol>';
      const limits = o.limits;
      if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) return '"limits" must be an object of limit name -> decimal string (or null to clear)';
      return { op: 'set-limits', scope, limits: limits as Record<string, string | null>, by, reason };
    }
    case 'kill':
    case 'release': {
      const scope = typeof o.scope === 'string' ? parseKillScope(o.scope) : null;
      if (scope === null) return '"scope" must be firm:<id>, account:<id> or session:<id>';
      return { op: o.op, scope, by, reason };
    }
    case 'halt':
    case 'resume': {
      if (typeof o.symbol !== 'string' || o.symbol === '') return '"symbol" is required';
      return { op: o.op, symbol: o.symbol, by, reason };
    }
    default:
      return '"op" must be one of set-limits, kill, release, halt, resume';
  }
}
