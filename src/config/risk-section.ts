// The `risk` section: the Redis key prefix, write-behind tuning, default limits (written to Redis on the
// venue's first start only; Redis is the source of truth after that) and circuit breakers.
//
//   "risk": {
//     "keyPrefix": "risk:",
//     "writeBehind": { "intervalMs": 50, "maxChanges": 1000, "maxPendingAudit": 10000, "auditMaxLen": 100000 },
//     "limits": {
//       "firms":              { "BROKER1": { "maxOrderQty": "50", "creditLimit": "5000000", "lossLimit": "250000" } },
//       "accounts":           { "B1-ALGO": { "maxOrdersPerSecond": "50" } },
//       "accountInstruments": { "B1-ALGO": { "BTCUSDT": { "maxOrderQty": "2" } } }
//     },
//     "circuitBreakers": {
//       "default":     { "movePercent": "10", "windowSeconds": 60, "haltSeconds": 300 },
//       "instruments": { "BTCUSDT": { "movePercent": "5", "windowSeconds": 30, "haltSeconds": 120 } }
//     }
//   }
//
// Limit values are decimal strings (never JSON numbers, which have been through a float).
//
// As for every section, config owns the settings types and risk imports them from here; config reads the
// values with risk's vocabulary (src/risk/model: limit names, scopes, value syntax), as it reads instruments
// with the venue's (src/venue/model), and never imports risk's engine, store or breakers.

import type { ConfigNode } from './config-reader.js';
import type { FirmSettings } from './settings.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { LIMIT_NAMES, limitValueProblem, percentProblem, type LimitValues } from '../risk/model/limit-names.js';
import type { LimitScope } from '../risk/model/scopes.js';

/** One instrument's circuit breaker: a trade more than movePercent away from the window's extreme halts it. */
export interface BreakerSettings {
  /** Percent, as an exact decimal string ("10", "2.5"). */
  movePercent: string;
  windowSeconds: number;
  haltSeconds: number;
}

export interface CircuitBreakerSettings {
  /** Applies to every instrument without its own entry; null for none. */
  default: BreakerSettings | null;
  instruments: Record<string, BreakerSettings>;
}

/** How risk's changes are batched to Redis (src/risk/store/write-behind.ts). */
export interface WriteBehindSettings {
  /** Longest a change waits before it is written (default 50). */
  intervalMs: number;
  /** Flush at once when this many changes are waiting (default 1000). */
  maxChanges: number;
  /** Audit entries kept while Redis is away (default 10_000); older ones are dropped beyond. */
  maxPendingAudit: number;
  /** Approximate cap of the audit stream (default 100_000). */
  auditMaxLen: number;
}

/** Default limits at one scope, written to Redis on the venue's first start. */
export interface LimitSeed {
  scope: LimitScope;
  values: LimitValues;
}

export interface RiskSettings {
  keyPrefix: string;
  writeBehind: WriteBehindSettings;
  /** Default limits, written to Redis on the first start only. */
  limits: LimitSeed[];
  circuitBreakers: CircuitBreakerSettings;
}

function readLimitValues(node: ConfigNode, allowLossLimit: boolean): LimitValues {
  node.onlyKeys(allowLossLimit ? LIMIT_NAMES : LIMIT_NAMES.filter((n) => n !== 'lossLimit'));
  const values: LimitValues = {};
  for (const name of LIMIT_NAMES) {
    if (!node.has(name)) continue;
    const raw = (node.value as Record<string, unknown>)[name];
    const problem = limitValueProblem(name, raw);
    if (problem !== null) node.fail(problem, name, raw);
    values[name] = raw as string;
  }
  return values;
}

function readBreaker(node: ConfigNode): BreakerSettings {
  node.onlyKeys(['movePercent', 'windowSeconds', 'haltSeconds']);
  const movePercent = node.str('movePercent');
  const problem = percentProblem(movePercent, true);
  if (problem !== null) node.fail(problem, 'movePercent', movePercent);
  const windowSeconds = node.ratio('windowSeconds');
  if (windowSeconds <= 0) node.fail('a number of seconds above 0', 'windowSeconds', windowSeconds);
  const haltSeconds = node.ratio('haltSeconds');
  if (haltSeconds <= 0) node.fail('a number of seconds above 0', 'haltSeconds', haltSeconds);
  return { movePercent, windowSeconds, haltSeconds };
}

export function readRisk(root: ConfigNode, firms: FirmSettings[], instruments: InstrumentSpec[]): RiskSettings {
  const risk = root.optionalChild('risk');
  risk?.onlyKeys(['keyPrefix', 'writeBehind', 'limits', 'circuitBreakers']);
  const wb = risk?.optionalChild('writeBehind');
  wb?.onlyKeys(['intervalMs', 'maxChanges', 'maxPendingAudit', 'auditMaxLen']);

  const firmIds = firms.map((f) => f.id);
  const accounts = firms.flatMap((f) => f.accounts);
  const symbols = instruments.map((i) => i.symbol);
  const limits: LimitSeed[] = [];
  const limitsNode = risk?.optionalChild('limits');
  limitsNode?.onlyKeys(['firms', 'accounts', 'accountInstruments']);
  for (const [firm, node] of limitsNode?.entries('firms', true) ?? []) {
    if (!firmIds.includes(firm)) limitsNode!.child('firms').fail(`configured firm ids (${firmIds.join(', ')})`, firm, 'an unknown firm');
    limits.push({ scope: { level: 'firm', firm }, values: readLimitValues(node, true) });
  }
  for (const [account, node] of limitsNode?.entries('accounts', true) ?? []) {
    if (!accounts.includes(account)) limitsNode!.child('accounts').fail(`configured account ids (${accounts.join(', ')})`, account, 'an unknown account');
    limits.push({ scope: { level: 'account', account }, values: readLimitValues(node, false) });
  }
  for (const [account, perSymbol] of limitsNode?.entries('accountInstruments', true) ?? []) {
    if (!accounts.includes(account)) limitsNode!.child('accountInstruments').fail(`configured account ids (${accounts.join(', ')})`, account, 'an unknown account');
    for (const [symbol, node] of limitsNode!.child('accountInstruments').entries(account)) {
      if (!symbols.includes(symbol)) perSymbol.fail(`configured symbols (${symbols.join(', ')})`, symbol, 'an unknown symbol');
      limits.push({ scope: { level: 'instrument', account, symbol }, values: readLimitValues(node, false) });
    }
  }

  const cb = risk?.optionalChild('circuitBreakers');
  cb?.onlyKeys(['default', 'instruments']);
  const defaultNode = cb?.optionalChild('default');
  const perInstrument: Record<string, BreakerSettings> = {};
  for (const [symbol, node] of cb?.entries('instruments', true) ?? []) {
    if (!symbols.includes(symbol)) cb!.child('instruments').fail(`configured symbols (${symbols.join(', ')})`, symbol, 'an unknown symbol');
    perInstrument[symbol] = readBreaker(node);
  }

  const keyPrefix = risk?.str('keyPrefix', 'risk:') ?? 'risk:';
  if (keyPrefix.length === 0 || /\s/.test(keyPrefix)) risk!.fail('a key prefix without spaces, like "risk:"', 'keyPrefix', keyPrefix);
  return {
    keyPrefix,
    writeBehind: {
      intervalMs: wb?.int('intervalMs', 50, 1, 60_000) ?? 50,
      maxChanges: wb?.int('maxChanges', 1000, 1, 10_000_000) ?? 1000,
      maxPendingAudit: wb?.int('maxPendingAudit', 10_000, 1, 10_000_000) ?? 10_000,
      auditMaxLen: wb?.int('auditMaxLen', 100_000, 1000, 100_000_000) ?? 100_000,
    },
    limits,
    circuitBreakers: { default: defaultNode ? readBreaker(defaultNode) : null, instruments: perInstrument },
  };
}
