// Writes the venue configuration a soak scenario runs: a temp folder holds the config file, the data and the
// session stores. Firms and sessions are generated (any number of order-entry sessions), limits are wide so
// that the flow is refused only where a scenario means it to be, and circuit breakers are effectively off.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SOAK_COMPID = 'VENUE';
export const DROP_COPY = 'DROPCOPY';

export interface SoakSession {
  id: string;
  firm: string;
  password: string;
  allowedIps?: string[];
  cancelOnDisconnect?: boolean;
  throttle?: { messagesPerSecond: number; logoutAfterSeconds: number };
}

export interface SoakConfigOptions {
  /** Folder for config, data and session stores (created). */
  dir: string;
  redisUrl: string;
  /** Order-entry sessions (default: 4 sessions over 2 firms). */
  sessions?: SoakSession[];
  /** Clearing workers in the venue process (default true). */
  inProcessWorkers?: boolean;
  /** Clearing batch size (default 50 trades or 20 ms). */
  batch?: { maxTrades: number; maxDelayMs: number };
  /** Extra top-level sections (routing), merged over the generated ones. */
  extra?: Record<string, unknown>;
  /** Per-session FIX message logs (default off: they are not what a soak measures). */
  messageLogs?: boolean;
  /** FIX maxUnauthenticatedConnections (default 1000). */
  maxUnauthenticatedConnections?: number;
  logLevel?: string;
  /** venue.snapshots (default: the venue's own default). */
  snapshots?: { intervalSeconds: number; keep: number };
}

export interface SoakConfig {
  file: string;
  dir: string;
  dataDir: string;
  sessionsDir: string;
  journalDir: string;
  recordsDir: string;
  sessions: SoakSession[];
  firms: string[];
  /** Accounts per firm: the default account is the firm's first. */
  accounts: Record<string, string[]>;
  clearingQueue: string;
  riskPrefix: string;
}

export function defaultSessions(count = 4, firms = 2): SoakSession[] {
  const out: SoakSession[] = [];
  for (let i = 1; i <= count; i++) out.push({ id: `S${i}`, firm: `F${((i - 1) % firms) + 1}`, password: `pw-S${i}` });
  return out;
}

export const SYMBOLS = ['BTCUSDT', 'ETHUSDT'] as const;

export function writeSoakConfig(opts: SoakConfigOptions): SoakConfig {
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const sessions = opts.sessions ?? defaultSessions();
  const firms = [...new Set(sessions.map((s) => s.firm))].sort();
  const accounts: Record<string, string[]> = {};
  for (const f of firms) accounts[f] = [`${f}-A`, `${f}-B`];
  const wide = {
    maxOrderQty: '1000', maxOrderNotional: '1000000000', maxOpenOrders: '10000000', maxLongPosition: '100000000',
    maxShortPosition: '100000000', creditLimit: '10000000000', maxOrdersPerSecond: '10000000',
  };
  const config: Record<string, unknown> = {
    venue: {
      compId: SOAK_COMPID,
      adminHost: '127.0.0.1',
      adminPort: 0,
      dataDir: 'data',
      sessionsDir: 'sessions',
      journal: { fsync: false },
      ...(opts.snapshots ? { snapshots: opts.snapshots } : {}),
      selfTradePrevention: 'none',
      redisUrl: opts.redisUrl,
      log: { level: opts.logLevel ?? 'info', format: 'json', fixMessages: { enabled: opts.messageLogs ?? false } },
    },
    fix: {
      host: '127.0.0.1',
      port: 0,
      dictionary: resolve('fix-dictionaries/FIX44.xml'),
      maxMessageSize: 65536,
      maxUnauthenticatedConnections: opts.maxUnauthenticatedConnections ?? 1000,
      logonTimeoutSeconds: 5,
    },
    firms: firms.map((f) => ({ id: f, name: `Firm ${f}`, accounts: accounts[f], defaultAccount: accounts[f]![0], selfTradePrevention: 'none' })),
    sessions: [
      ...sessions.map((s) => ({
        id: s.id,
        role: 'order-entry',
        firm: s.firm,
        password: s.password,
        cancelOnDisconnect: s.cancelOnDisconnect ?? false,
        ...(s.allowedIps ? { allowedIps: s.allowedIps } : {}),
        ...(s.throttle ? { throttle: s.throttle } : {}),
      })),
      { id: DROP_COPY, role: 'drop-copy', entitledFirms: ['*'], password: 'pw-dropcopy' },
    ],
    instruments: [
      { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01', lotSize: '0.001', minQty: '0.001', maxQty: '1000',
        minNotional: '0', priceBandPercent: 50, referencePrice: '100.00' },
      { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', tickSize: '0.01', lotSize: '0.001', minQty: '0.001', maxQty: '1000',
        minNotional: '0', priceBandPercent: 50, referencePrice: '50.00' },
    ],
    risk: {
      keyPrefix: 'risk:',
      writeBehind: { intervalMs: 20 },
      limits: { firms: Object.fromEntries(firms.map((f) => [f, wide])) },
      circuitBreakers: { default: { movePercent: '90', windowSeconds: 1, haltSeconds: 1 } },
    },
    records: { fsync: false },
    clearing: {
      enabled: true,
      queue: 'clearing',
      batch: opts.batch ?? { maxTrades: 50, maxDelayMs: 20 },
      workers: { inProcess: opts.inProcessWorkers ?? true, concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 500 },
      retry: { attempts: 20, backoffMs: 100 },
      reportsDir: 'reports',
      fees: { default: { maker: '0.0001', taker: '0.0005' } },
    },
    ...opts.extra,
  };
  const file = join(dir, 'venue.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return {
    file,
    dir,
    dataDir: join(dir, 'data'),
    sessionsDir: join(dir, 'sessions'),
    journalDir: join(dir, 'data', 'journal'),
    recordsDir: join(dir, 'data', 'records'),
    sessions,
    firms,
    accounts,
    clearingQueue: 'clearing',
    riskPrefix: 'risk:',
  };
}
