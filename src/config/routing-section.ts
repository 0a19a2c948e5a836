// The `routing` section: external routes (Binance, other FIX venues) and which orders go where.
//
//   "routing": {
//     "routes": {
//       "BINANCE": { "type": "binance", "environment": "testnet" },               // keys: BINANCE_API_KEY + _API_SECRET / _PRIVATE_KEY_PATH
//       "VENUE2":  { "type": "fix", "host": "10.0.0.2", "port": 9876, "senderCompId": "VENUE", "targetCompId": "VENUE2",
//                    "passwordEnv": "VENUE2_FIX_PASSWORD", "tls": { "servername": "venue2.example" } }
//     },
//     "instruments":   { "BTCUSDT": { "route": "BINANCE", "fallback": "local" }, "ETHUSDT": "VENUE2" },
//     "exDestinations": { "BNB": "BINANCE", "V2": "VENUE2", "XVEN": "local" }
//   }
//
// An instrument not listed trades on the local book; an instrument entry may also be written on the instrument
// itself ("route": "BINANCE" or { "route", "fallback" }). ExDestination(100), when a member sends one, picks the
// route instead (an unknown value is refused). "local" names the local book. Credentials never live here:
// Binance keys come from the environment (credentialsEnvPrefix), a FIX route's password from `passwordEnv`
// (a literal `password` is accepted for test venues).

import type { ConfigNode } from './config-reader.js';

export const LOCAL_ROUTE = 'local';

export interface UserStreamSettings {
  heartbeatMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

interface RouteBase {
  name: string;
  /** Venue symbol → the external venue's symbol (identity when absent). */
  symbols: Record<string, string>;
  /** Start of every client order id we send, at most 6 characters (a piece of the journal's id follows). */
  clientOrderIdPrefix: string;
  /** How often orders whose outcome is unknown are queried again while the route is up (ms). */
  reconcileIntervalMs: number;
  /** How long the venue's start waits for the route to connect before carrying on without it (ms). */
  startWaitMs: number;
}

export interface BinanceRouteSettings extends RouteBase {
  type: 'binance';
  environment: 'production' | 'testnet' | 'custom';
  /** Overrides of the environment's endpoints; both are required for "custom" (our simulator). */
  restBaseUrl: string;
  wsApiUrl: string;
  /** Environment variables <prefix>API_KEY and <prefix>API_SECRET or <prefix>PRIVATE_KEY_PATH. */
  credentialsEnvPrefix: string;
  recvWindowMs: number;
  timeoutMs: number;
  userStream: UserStreamSettings;
}

export interface FixRouteTls {
  servername: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  rejectUnauthorized: boolean;
}

export interface FixRouteSettings extends RouteBase {
  type: 'fix';
  host: string;
  port: number;
  senderCompId: string;
  targetCompId: string;
  /** Password(554) sent on Logon: from the environment variable `passwordEnv`, or literal. */
  password: string;
  passwordEnv: string;
  username: string;
  heartbeatSeconds: number;
  resetOnLogon: boolean;
  tls: FixRouteTls | null;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Account(1) on the orders we send there ('' = none). */
  account: string;
}

export type RouteSettings = BinanceRouteSettings | FixRouteSettings;

/** Where an order goes, and where when that route is down ('local' = the local book; null = refuse). */
export interface RouteChoice {
  route: string;
  fallback: string | null;
}

export interface RoutingSettings {
  routes: RouteSettings[];
  /** Per venue symbol. */
  instruments: Record<string, RouteChoice>;
  /** Per ExDestination(100) value. */
  exDestinations: Record<string, RouteChoice>;
}

export const NO_ROUTING: RoutingSettings = { routes: [], instruments: {}, exDestinations: {} };

const CLIENT_ID_PREFIX = /^[.A-Za-z0-9:/_-]{0,6}$/;

function base(node: ConfigNode, name: string): RouteBase {
  const symbols: Record<string, string> = {};
  for (const [venueSymbol, v] of node.entries('symbols', true)) {
    const external = typeof v.value === 'string' ? v.value : '';
    if (external === '') v.fail('the external symbol as a non-empty string', undefined, v.value);
    symbols[venueSymbol] = external;
  }
  const clientOrderIdPrefix = node.str('clientOrderIdPrefix', 'v');
  if (!CLIENT_ID_PREFIX.test(clientOrderIdPrefix)) node.fail('at most 6 of A-Z a-z 0-9 . : / _ -', 'clientOrderIdPrefix', clientOrderIdPrefix);
  return {
    name, symbols, clientOrderIdPrefix,
    reconcileIntervalMs: node.int('reconcileIntervalMs', 2000, 50, 600_000),
    startWaitMs: node.int('startWaitMs', 3000, 0, 120_000),
  };
}

function readBinance(node: ConfigNode, name: string): BinanceRouteSettings {
  node.onlyKeys(['type', 'environment', 'restBaseUrl', 'wsApiUrl', 'credentialsEnvPrefix', 'recvWindowMs', 'timeoutMs', 'userStream',
    'symbols', 'clientOrderIdPrefix', 'reconcileIntervalMs', 'startWaitMs']);
  const environment = node.oneOf('environment', ['production', 'testnet', 'custom'] as const, 'testnet');
  const url = (key: string, schemes: string[]): string => {
    const v = node.str(key, '');
    if (v === '') {
      if (environment === 'custom') node.fail(`a URL (required with environment "custom")`, key);
      return '';
    }
    let parsed: URL | null = null;
    try {
      parsed = new URL(v);
    } catch {
      parsed = null;
    }
    if (parsed === null || !schemes.includes(parsed.protocol)) node.fail(`a ${schemes.join(' or ')} URL`, key, v);
    return v;
  };
  const stream = node.optionalChild('userStream');
  stream?.onlyKeys(['heartbeatMs', 'reconnectInitialMs', 'reconnectMaxMs']);
  return {
    type: 'binance',
    ...base(node, name),
    environment,
    restBaseUrl: url('restBaseUrl', ['http:', 'https:']),
    wsApiUrl: url('wsApiUrl', ['ws:', 'wss:']),
    credentialsEnvPrefix: node.nonEmptyStr('credentialsEnvPrefix', 'BINANCE_'),
    recvWindowMs: node.int('recvWindowMs', 5000, 1, 60_000),
    timeoutMs: node.int('timeoutMs', 10_000, 100, 120_000),
    userStream: {
      heartbeatMs: stream?.int('heartbeatMs', 30_000, 100, 600_000) ?? 30_000,
      reconnectInitialMs: stream?.int('reconnectInitialMs', 500, 10, 600_000) ?? 500,
      reconnectMaxMs: stream?.int('reconnectMaxMs', 30_000, 10, 3_600_000) ?? 30_000,
    },
  };
}

function readFix(node: ConfigNode, name: string, pathOf: (p: string) => string): FixRouteSettings {
  node.onlyKeys(['type', 'host', 'port', 'senderCompId', 'targetCompId', 'password', 'passwordEnv', 'username', 'heartbeatSeconds',
    'resetOnLogon', 'tls', 'reconnectMinMs', 'reconnectMaxMs', 'account', 'symbols', 'clientOrderIdPrefix', 'reconcileIntervalMs', 'startWaitMs']);
  const tls = node.optionalChild('tls');
  tls?.onlyKeys(['servername', 'caFile', 'certFile', 'keyFile', 'rejectUnauthorized']);
  const file = (key: string): string => (tls?.has(key) ? pathOf(tls.nonEmptyStr(key)) : '');
  const reconnectMinMs = node.int('reconnectMinMs', 1000, 10, 600_000);
  return {
    type: 'fix',
    ...base(node, name),
    host: node.nonEmptyStr('host'),
    port: node.int('port', undefined, 1, 65535),
    senderCompId: node.nonEmptyStr('senderCompId'),
    targetCompId: node.nonEmptyStr('targetCompId'),
    password: node.str('password', ''),
    passwordEnv: node.str('passwordEnv', ''),
    username: node.str('username', ''),
    heartbeatSeconds: node.int('heartbeatSeconds', 30, 1, 3600),
    resetOnLogon: node.bool('resetOnLogon', false),
    tls: tls
      ? {
          servername: tls.str('servername', ''),
          caFile: file('caFile'),
          certFile: file('certFile'),
          keyFile: file('keyFile'),
          rejectUnauthorized: tls.bool('rejectUnauthorized', true),
        }
      : null,
    reconnectMinMs,
    reconnectMaxMs: node.int('reconnectMaxMs', 30_000, reconnectMinMs, 3_600_000),
    account: node.str('account', ''),
  };
}

function readChoice(node: ConfigNode, known: ReadonlySet<string>): RouteChoice {
  const check = (name: string, key?: string): string => {
    if (!known.has(name)) node.fail(`"${LOCAL_ROUTE}" or a route defined in routing.routes (${[...known].filter((k) => k !== LOCAL_ROUTE).join(', ')})`, key, name);
    return name;
  };
  if (typeof node.value === 'string') return { route: check(node.value), fallback: null };
  node.onlyKeys(['route', 'fallback']);
  const route = check(node.nonEmptyStr('route'), 'route');
  const fallback = node.has('fallback') ? check(node.nonEmptyStr('fallback'), 'fallback') : null;
  if (fallback === route) node.fail('a route other than the primary one', 'fallback', fallback);
  return { route, fallback };
}

/** Reads `routing` (and the `route` key of instruments); symbols are the venue's configured ones. */
export function readRouting(root: ConfigNode, symbols: readonly string[], pathOf: (p: string) => string): RoutingSettings {
  const node = root.optionalChild('routing');
  node?.onlyKeys(['routes', 'instruments', 'exDestinations']);
  const routes: RouteSettings[] = [];
  for (const [name, r] of node?.entries('routes', true) ?? []) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(name) || name === LOCAL_ROUTE) r.fail(`a route name of letters, digits, _ or - other than "${LOCAL_ROUTE}"`, undefined, name);
    const type = r.oneOf('type', ['binance', 'fix'] as const);
    routes.push(type === 'binance' ? readBinance(r, name) : readFix(r, name, pathOf));
  }
  const known = new Set([LOCAL_ROUTE, ...routes.map((r) => r.name)]);
  const instruments: Record<string, RouteChoice> = {};
  for (const inst of root.items('instruments', true)) {
    if (inst.has('route')) instruments[inst.str('symbol')] = readChoice(inst.child('route'), known);
  }
  for (const [symbol, c] of node?.entries('instruments', true) ?? []) {
    if (!symbols.includes(symbol)) c.fail(`a symbol listed in instruments (${symbols.join(', ')})`, undefined, symbol);
    instruments[symbol] = readChoice(c, known);
  }
  const exDestinations: Record<string, RouteChoice> = {};
  for (const [value, c] of node?.entries('exDestinations', true) ?? []) exDestinations[value] = readChoice(c, known);
  return { routes, instruments, exDestinations };
}
