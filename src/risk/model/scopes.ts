// Where a limit or a kill switch applies, and the text ids used for them in Redis, the API and audit
// lines: firm:<id>, account:<id>, instrument:<account>:<symbol> for limits; firm:<id>, account:<id>,
// session:<id> for kill switches. Symbols never contain ':' so an instrument id splits unambiguously at
// its last ':' even if an account name has one.

export type LimitScope =
  | { level: 'firm'; firm: string }
  | { level: 'account'; account: string }
  | { level: 'instrument'; account: string; symbol: string };

export type KillScope = { kind: 'firm' | 'account' | 'session'; id: string };

export function limitScopeId(scope: LimitScope): string {
  switch (scope.level) {
    case 'firm': return `firm:${scope.firm}`;
    case 'account': return `account:${scope.account}`;
    case 'instrument': return `instrument:${scope.account}:${scope.symbol}`;
  }
}

/** Parses a limit scope id; null when malformed. */
export function parseLimitScope(id: string): LimitScope | null {
  const colon = id.indexOf(':');
  if (colon <= 0) return null;
  const level = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (rest.length === 0) return null;
  if (level === 'firm') return { level, firm: rest };
  if (level === 'account') return { level, account: rest };
  if (level === 'instrument') {
    const last = rest.lastIndexOf(':');
    if (last <= 0 || last === rest.length - 1) return null;
    return { level, account: rest.slice(0, last), symbol: rest.slice(last + 1) };
  }
  return null;
}

export function killScopeId(scope: KillScope): string {
  return `${scope.kind}:${scope.id}`;
}

export function parseKillScope(id: string): KillScope | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  const kind = id.slice(0, colon);
  if (kind !== 'firm' && kind !== 'account' && kind !== 'session') return null;
  return { kind, id: id.slice(colon + 1) };
}

/** How a scope is named in texts: "account ACC1, BTCUSDT", "firm BROKER1", "session S1". */
export function describeLimitScope(scope: LimitScope): string {
  switch (scope.level) {
    case 'firm': return `firm ${scope.firm}`;
    case 'account': return `account ${scope.account}`;
    case 'instrument': return `account ${scope.account}, ${scope.symbol}`;
  }
}
