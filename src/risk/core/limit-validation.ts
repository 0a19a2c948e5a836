// Validation of a limit change before anything is applied: the scope must name a configured firm,
// account or instrument, every name must be a known limit with a well-formed value, lossLimit belongs to
// firms only, and every value must be exactly representable at the precision of every instrument it can
// apply to. All problems are reported together.

import { isLimitName, LIMIT_UNITS, limitValueProblem, type LimitName } from '../model/limit-names.js';
import type { LimitScope } from '../model/scopes.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import { largestExact, OVER_RANGE, scaleLimit } from '../limits/scale-limit.js';

export class RiskInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RiskInputError';
  }
}

export interface KnownParties {
  firms: ReadonlySet<string>;
  accounts: ReadonlySet<string>;
}

export function validateScope(scope: LimitScope, known: KnownParties | null, instruments: ReadonlyMap<string, InstrumentRisk>): string | null {
  if (scope.level === 'firm') return known && !known.firms.has(scope.firm) ? `unknown firm ${scope.firm}` : null;
  if (known && !known.accounts.has(scope.account)) return `unknown account ${scope.account}`;
  if (scope.level === 'instrument' && !instruments.has(scope.symbol)) return `unknown symbol ${scope.symbol}`;
  return null;
}

function decimalsFor(name: LimitName, inst: InstrumentRisk): number | null {
  switch (LIMIT_UNITS[name]) {
    case 'qty': return inst.qtyDecimals;
    case 'position': return inst.baseScale;
    case 'notional': return inst.quoteScale;
    default: return null;
  }
}

/** Problems with a change (empty when it may be applied). */
export function limitChangeProblems(
  scope: LimitScope,
  values: Record<string, unknown>,
  known: KnownParties | null,
  instruments: ReadonlyMap<string, InstrumentRisk>,
): string[] {
  const problems: string[] = [];
  const scopeProblem = validateScope(scope, known, instruments);
  if (scopeProblem !== null) problems.push(scopeProblem);
  const applies = scope.level === 'instrument' ? [instruments.get(scope.symbol)].filter((i) => i !== undefined) : [...instruments.values()];
  const names = Object.keys(values);
  if (names.length === 0) problems.push('no limits given');
  for (const name of names) {
    if (!isLimitName(name)) {
      problems.push(`unknown limit ${name}`);
      continue;
    }
    const value = values[name];
    if (value === null) continue;
    if (name === 'lossLimit' && scope.level !== 'firm') problems.push('lossLimit can only be set for a firm');
    const problem = limitValueProblem(name, value);
    if (problem !== null) {
      problems.push(`${name}: expected ${problem}, got ${JSON.stringify(value)}`);
      continue;
    }
    for (const inst of applies) {
      const decimals = decimalsFor(name, inst);
      if (decimals !== null && scaleLimit(value as string, decimals) === OVER_RANGE) {
        problems.push(`${name}: ${String(value)} is beyond the exact range at ${inst.symbol}'s precision (at most ${largestExact(decimals)})`);
        break;
      }
    }
  }
  return problems;
}
