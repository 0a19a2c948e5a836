// The simulator's configuration: symbols (with exchangeInfo-style filters), accounts (API keys and
// starting balances), rate limits and WebSocket timing. Loaded from JSON; every problem is reported with
// the key path and what was expected, and nothing the simulator cannot honour is accepted silently.

import { readFileSync } from 'node:fs';
import { compileFilters, FilterConfigError } from '../../routing/binance/filters.js';
import { exactDecimal } from '../../routing/binance/exact-decimal.js';
import { ORDER_TYPES, STP_MODES, type BinanceOrderType, type BinanceStpMode, type RateLimitJson, type SymbolFilterJson } from '../../routing/binance/types.js';

export interface SimSymbolConfig {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** exchangeInfo status; anything but TRADING refuses orders with "Market is closed.". Default TRADING. */
  status?: 'TRADING' | 'HALT' | 'BREAK';
  /** Decimals printed for base quantities. Default 8. */
  baseAssetPrecision?: number;
  /** Decimals printed for prices and quote quantities. Default 8. */
  quoteAssetPrecision?: number;
  /** Default: LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS, STOP_LOSS_LIMIT. */
  orderTypes?: BinanceOrderType[];
  icebergAllowed?: boolean;
  quoteOrderQtyMarketAllowed?: boolean;
  cancelReplaceAllowed?: boolean;
  amendAllowed?: boolean;
  defaultSelfTradePreventionMode?: BinanceStpMode;
  allowedSelfTradePreventionModes?: BinanceStpMode[];
  /** Symbol filters exactly as exchangeInfo shows them (filters.md). */
  filters: SymbolFilterJson[];
  /**
   * Price range execution rule: a market order stops trading (and expires with
   * EXECUTION_RULE_PRICE_RANGE_EXCEEDED) beyond this percentage from the last price. 0 = none (default).
   */
  priceRangePercent?: number;
}

export type SimApiKeyConfig =
  | { apiKey: string; type: 'hmac'; secret: string }
  | { apiKey: string; type: 'ed25519'; publicKeyPem: string };

export interface SimAccountConfig {
  /** Account name; also what admin calls and logs refer to. */
  name: string;
  apiKeys: SimApiKeyConfig[];
  /** Starting free balances by asset, as decimal strings. */
  balances: Record<string, string>;
  /** Commission rates, e.g. "0.001" for 0.1%. Default 0. */
  makerCommission?: string;
  takerCommission?: string;
  canTrade?: boolean;
}

export interface SimulatorConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  symbols: SimSymbolConfig[];
  accounts: SimAccountConfig[];
  /** REQUEST_WEIGHT and ORDERS limits, as exchangeInfo publishes them. */
  rateLimits: RateLimitJson[];
  /** Requests an IP may send while it is being told 429 before it is banned (418). */
  banAfterViolations: number;
  /** First ban length; repeat offenders get double each time, at most 3 days (rest-api.md). */
  banBaseSeconds: number;
  /** WebSocket API: the server pings this often, and drops a connection that has not ponged in pongTimeoutMs. */
  wsPingIntervalMs: number;
  wsPongTimeoutMs: number;
  /** Serve the non-Binance admin endpoints under /_sim/. */
  admin: boolean;
  /** Added to the machine clock (tests of timestamp/recvWindow rules). */
  clockOffsetMs: number;
}

export class SimConfigError extends Error {}

const DEFAULT_ORDER_TYPES: BinanceOrderType[] = ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT'];
const DEFAULT_STP_MODES: BinanceStpMode[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'];

/** Order types the matching core cannot honour: take-profit triggers run the opposite way to its stops. */
const UNSUPPORTED_ORDER_TYPES: BinanceOrderType[] = ['TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];

export const DEFAULT_RATE_LIMITS: RateLimitJson[] = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

function fail(path: string, expected: string, got: unknown): never {
  throw new SimConfigError(`binance-sim config: ${path}: expected ${expected}, got ${JSON.stringify(got)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(path, 'a non-empty string', v);
  return v;
}

function num(v: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(path, `a number in [${min}, ${max}]`, v);
  return v;
}

function int(v: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = num(v, path, min, max);
  if (!Number.isInteger(n)) fail(path, 'an integer', v);
  return n;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
}

function decimal(v: unknown, path: string): string {
  if (typeof v !== 'string' || exactDecimal(v) === null) fail(path, 'a decimal string such as "0.001"', v);
  return v;
}

function optional<T>(obj: Record<string, unknown>, key: string, read: (v: unknown, path: string) => T, path: string, fallback: T): T {
  return obj[key] === undefined ? fallback : read(obj[key], `${path}.${key}`);
}

function enumList<T extends string>(v: unknown, path: string, allowed: readonly T[]): T[] {
  if (!Array.isArray(v)) fail(path, `an array of ${allowed.join(', ')}`, v);
  return v.map((item, i) => {
    if (!allowed.includes(item as T)) fail(`${path}[${i}]`, `one of ${allowed.join(', ')}`, item);
    return item as T;
  });
}

function readSymbol(v: unknown, path: string): SimSymbolConfig {
  if (!isRecord(v)) fail(path, 'an object', v);
  const status = optional(v, 'status', (x, p) => {
    if (x !== 'TRADING' && x !== 'HALT' && x !== 'BREAK') fail(p, 'TRADING, HALT or BREAK', x);
    return x;
  }, path, 'TRADING' as const);
  const orderTypes = optional(v, 'orderTypes', (x, p) => enumList(x, p, ORDER_TYPES), path, DEFAULT_ORDER_TYPES);
  for (const t of orderTypes) {
    if (UNSUPPORTED_ORDER_TYPES.includes(t)) {
      throw new SimConfigError(`binance-sim config: ${path}.orderTypes: ${t} is not supported (the matching core's stops trigger the other way); remove it`);
    }
  }
  const allowedStp = optional(v, 'allowedSelfTradePreventionModes', (x, p) => enumList(x, p, STP_MODES), path, DEFAULT_STP_MODES);
  const defaultStp = optional(v, 'defaultSelfTradePreventionMode', (x, p) => enumList([x], p, STP_MODES)[0] as BinanceStpMode, path, 'NONE' as BinanceStpMode);
  if (!allowedStp.includes(defaultStp)) fail(`${path}.defaultSelfTradePreventionMode`, `one of the allowed modes ${allowedStp.join(', ')}`, defaultStp);
  if (!Array.isArray(v['filters'])) fail(`${path}.filters`, 'an array of exchangeInfo filters', v['filters']);
  const filters = (v['filters'] as unknown[]).map((f, i) => {
    if (!isRecord(f) || typeof f['filterType'] !== 'string') fail(`${path}.filters[${i}]`, 'a filter object with a filterType', f);
    return f as SymbolFilterJson;
  });
  const out: SimSymbolConfig = {
    symbol: str(v['symbol'], `${path}.symbol`),
    baseAsset: str(v['baseAsset'], `${path}.baseAsset`),
    quoteAsset: str(v['quoteAsset'], `${path}.quoteAsset`),
    status,
    baseAssetPrecision: optional(v, 'baseAssetPrecision', (x, p) => int(x, p, 0, 15), path, 8),
    quoteAssetPrecision: optional(v, 'quoteAssetPrecision', (x, p) => int(x, p, 0, 15), path, 8),
    orderTypes,
    icebergAllowed: optional(v, 'icebergAllowed', bool, path, true),
    quoteOrderQtyMarketAllowed: optional(v, 'quoteOrderQtyMarketAllowed', bool, path, true),
    cancelReplaceAllowed: optional(v, 'cancelReplaceAllowed', bool, path, true),
    amendAllowed: optional(v, 'amendAllowed', bool, path, true),
    defaultSelfTradePreventionMode: defaultStp,
    allowedSelfTradePreventionModes: allowedStp,
    filters,
    priceRangePercent: optional(v, 'priceRangePercent', (x, p) => num(x, p, 0, 99), path, 0),
  };
  try {
    const compiled = compileFilters({ symbol: out.symbol, filters, baseAssetPrecision: out.baseAssetPrecision!, quoteAssetPrecision: out.quoteAssetPrecision! });
    if (compiled.priceDecimals + compiled.qtyDecimals > out.quoteAssetPrecision!) {
      throw new FilterConfigError(
        `tick size and step size need ${compiled.priceDecimals}+${compiled.qtyDecimals} decimals of quote asset, more than quoteAssetPrecision ${out.quoteAssetPrecision}`,
      );
    }
    if (compiled.qtyDecimals > out.baseAssetPrecision!) {
      throw new FilterConfigError(`step size needs ${compiled.qtyDecimals} decimals, more than baseAssetPrecision ${out.baseAssetPrecision}`);
    }
  } catch (err) {
    if (err instanceof FilterConfigError) throw new SimConfigError(`binance-sim config: ${path}.filters: ${err.message}`);
    throw err;
  }
  return out;
}

function readKey(v: unknown, path: string): SimApiKeyConfig {
  if (!isRecord(v)) fail(path, 'an object', v);
  const apiKey = str(v['apiKey'], `${path}.apiKey`);
  if (v['type'] === 'hmac') return { apiKey, type: 'hmac', secret: str(v['secret'], `${path}.secret`) };
  if (v['type'] === 'ed25519') return { apiKey, type: 'ed25519', publicKeyPem: str(v['publicKeyPem'], `${path}.publicKeyPem`) };
  return fail(`${path}.type`, '"hmac" or "ed25519"', v['type']);
}

function readAccount(v: unknown, path: string): SimAccountConfig {
  if (!isRecord(v)) fail(path, 'an object', v);
  if (!Array.isArray(v['apiKeys'])) fail(`${path}.apiKeys`, 'an array', v['apiKeys']);
  const balances: Record<string, string> = {};
  const rawBalances = v['balances'] ?? {};
  if (!isRecord(rawBalances)) fail(`${path}.balances`, 'an object of asset: "amount"', rawBalances);
  for (const [asset, amount] of Object.entries(rawBalances)) balances[asset] = decimal(amount, `${path}.balances.${asset}`);
  return {
    name: str(v['name'], `${path}.name`),
    apiKeys: (v['apiKeys'] as unknown[]).map((k, i) => readKey(k, `${path}.apiKeys[${i}]`)),
    balances,
    makerCommission: optional(v, 'makerCommission', decimal, path, '0'),
    takerCommission: optional(v, 'takerCommission', decimal, path, '0'),
    canTrade: optional(v, 'canTrade', bool, path, true),
  };
}

function readRateLimit(v: unknown, path: string): RateLimitJson {
  if (!isRecord(v)) fail(path, 'an object', v);
  const type = v['rateLimitType'];
  if (type !== 'REQUEST_WEIGHT' && type !== 'ORDERS' && type !== 'RAW_REQUESTS') fail(`${path}.rateLimitType`, 'REQUEST_WEIGHT, ORDERS or RAW_REQUESTS', type);
  const interval = v['interval'];
  if (interval !== 'SECOND' && interval !== 'MINUTE' && interval !== 'HOUR' && interval !== 'DAY') fail(`${path}.interval`, 'SECOND, MINUTE, HOUR or DAY', interval);
  return { rateLimitType: type, interval, intervalNum: int(v['intervalNum'], `${path}.intervalNum`, 1), limit: int(v['limit'], `${path}.limit`, 1) };
}

/** Validates a parsed config object, filling defaults. `where` names the source in error messages. */
export function parseSimulatorConfig(raw: unknown): SimulatorConfig {
  if (!isRecord(raw)) fail('(root)', 'an object', raw);
  if (!Array.isArray(raw['symbols']) || raw['symbols'].length === 0) fail('symbols', 'a non-empty array', raw['symbols']);
  if (!Array.isArray(raw['accounts'])) fail('accounts', 'an array', raw['accounts']);
  const symbols = (raw['symbols'] as unknown[]).map((s, i) => readSymbol(s, `symbols[${i}]`));
  const accounts = (raw['accounts'] as unknown[]).map((a, i) => readAccount(a, `accounts[${i}]`));
  const seenKeys = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    for (const k of a.apiKeys) {
      if (seenKeys.has(k.apiKey)) fail(`accounts[${i}].apiKeys`, 'API keys unique across accounts', k.apiKey);
      seenKeys.add(k.apiKey);
    }
  }
  const precisions = new Map<string, number>();
  for (const [i, s] of symbols.entries()) {
    for (const [asset, p] of [[s.baseAsset, s.baseAssetPrecision!], [s.quoteAsset, s.quoteAssetPrecision!]] as const) {
      const seen = precisions.get(asset);
      if (seen !== undefined && seen !== p) fail(`symbols[${i}]`, `precision ${seen} for ${asset} as in the other symbols`, p);
      precisions.set(asset, p);
    }
  }
  return {
    host: optional(raw, 'host', str, '(root)', '127.0.0.1'),
    port: optional(raw, 'port', (x, p) => int(x, p, 0, 65535), '(root)', 0),
    symbols,
    accounts,
    rateLimits: optional(raw, 'rateLimits', (x, p) => {
      if (!Array.isArray(x)) fail(p, 'an array', x);
      return x.map((l, i) => readRateLimit(l, `${p}[${i}]`));
    }, '(root)', DEFAULT_RATE_LIMITS),
    banAfterViolations: optional(raw, 'banAfterViolations', (x, p) => int(x, p, 0), '(root)', 3),
    banBaseSeconds: optional(raw, 'banBaseSeconds', (x, p) => num(x, p, 0.001), '(root)', 120),
    wsPingIntervalMs: optional(raw, 'wsPingIntervalMs', (x, p) => int(x, p, 10), '(root)', 20_000),
    wsPongTimeoutMs: optional(raw, 'wsPongTimeoutMs', (x, p) => int(x, p, 10), '(root)', 60_000),
    admin: optional(raw, 'admin', bool, '(root)', true),
    clockOffsetMs: optional(raw, 'clockOffsetMs', (x, p) => int(x, p, Number.MIN_SAFE_INTEGER), '(root)', 0),
  };
}

export function loadSimulatorConfig(file: string): SimulatorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SimConfigError(`binance-sim config: cannot read ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SimConfigError(`binance-sim config: ${file} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseSimulatorConfig(raw);
  } catch (err) {
    if (err instanceof SimConfigError) throw new SimConfigError(err.message.replace('binance-sim config:', `binance-sim config ${file}:`));
    throw err;
  }
}
