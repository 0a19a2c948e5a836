// The `clearing` section: settlement and clearing on BullMQ (src/clearing). Every key is optional.
//
//   "clearing": {
//     "enabled": true,
//     "queue": "clearing",                       BullMQ queue name; clearing's own Redis keys use it as prefix
//     "batch": { "maxTrades": 1000, "maxDelayMs": 50 },   a settlement job per N trades or T ms
//     "workers": { "inProcess": true, "concurrency": 2, "lockDurationMs": 30000, "stalledIntervalMs": 15000 },
//     "retry": { "attempts": 8, "backoffMs": 1000 },      exponential backoff; then the failed set
//     "keepCompletedJobs": 1000,
//     "retentionDays": 30,                       clearing's per-day Redis keys expire after this (files stay)
//     "reportsDir": "../var/demo/reports",
//     "endOfDay": { "time": "00:10" },          UTC; reports the trade date that just ended
//     "reportTimeoutMs": 60000,                  how long an on-demand report may take
//     "fees": {
//       "default": { "maker": "0.0001", "taker": "0.0005" },
//       "firms": { "BROKER2": { "maker": "-0.00005", "taker": "0.0004" } }
//     },
//     "assetDecimals": { "USDT": 8 }             settlement scale per asset (default: what exactness needs)
//   }
//
// Fee rates are fractions of the traded notional written as exact decimal strings with at most 8 decimals
// ("0.0005" = 5 basis points); a negative maker rate is a rebate. See src/clearing/fees.ts for rounding.

import path from 'node:path';
import type { ConfigNode } from './config-reader.js';
import type { FirmSettings } from './settings.js';
import { parseDecimal } from '../venue/model/decimal.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { readInstruments } from './instruments-section.js';

/** Fee rates are integers in units of 10^-8 of the notional. */
export const FEE_RATE_DECIMALS = 8;

export interface FeeRates {
  /** Rate × 10^8, e.g. 5000 for "0.00005". */
  maker: number;
  taker: number;
}

export interface ClearingSettings {
  enabled: boolean;
  queue: string;
  batch: { maxTrades: number; maxDelayMs: number };
  workers: { inProcess: boolean; concurrency: number; lockDurationMs: number; stalledIntervalMs: number };
  retry: { attempts: number; backoffMs: number };
  keepCompletedJobs: number;
  /** Days clearing's per-date Redis keys (batches, positions, reports) live; 0 keeps them forever. */
  retentionDays: number;
  reportsDir: string;
  /** UTC time of day of the end-of-day clearing reports. */
  endOfDay: { hour: number; minute: number };
  reportTimeoutMs: number;
  fees: { default: FeeRates; firms: Record<string, FeeRates> };
  /** Explicit settlement decimals per asset; assets not listed get the scale exactness needs. */
  assetDecimals: Record<string, number>;
}

function feeRate(node: ConfigNode, key: string, allowNegative: boolean): number {
  const text = node.str(key);
  const v = parseDecimal(text, FEE_RATE_DECIMALS);
  const limit = 10 ** FEE_RATE_DECIMALS;
  if (Number.isNaN(v) || v >= limit || v <= -limit || (!allowNegative && v < 0)) {
    node.fail(
      `a fee rate as a decimal string with at most ${FEE_RATE_DECIMALS} decimals, ${allowNegative ? 'between -1 and 1' : 'from 0 to below 1'} (like "0.0005")`,
      key,
      text,
    );
  }
  return v;
}

/** Rates given in the node; a missing one is the fallback's (the default schedule's, for a firm). */
function feeRates(node: ConfigNode, fallback: FeeRates): FeeRates {
  node.onlyKeys(['maker', 'taker']);
  return {
    maker: node.has('maker') ? feeRate(node, 'maker', true) : fallback.maker,
    taker: node.has('taker') ? feeRate(node, 'taker', false) : fallback.taker,
  };
}

/**
 * The fewest settlement decimals that keep every amount of an asset exact: the quantity decimals of the
 * instruments that have it as base, price + quantity decimals (the notional) of those that have it as quote.
 */
export function exactDecimals(instruments: readonly InstrumentSpec[]): Map<string, number> {
  const out = new Map<string, number>();
  const need = (asset: string, d: number): void => {
    out.set(asset, Math.max(out.get(asset) ?? 0, d));
  };
  for (const i of instruments) {
    need(i.baseAsset, i.qtyDecimals);
    need(i.quoteAsset, i.priceDecimals + i.qtyDecimals);
  }
  return out;
}

export function readClearing(root: ConfigNode, dataDir: string, pathOf: (p: string) => string, firms: FirmSettings[]): ClearingSettings {
  const node = root.optionalChild('clearing');
  node?.onlyKeys(['enabled', 'queue', 'batch', 'workers', 'retry', 'keepCompletedJobs', 'retentionDays', 'reportsDir', 'endOfDay', 'reportTimeoutMs', 'fees', 'assetDecimals']);
  const batch = node?.optionalChild('batch');
  batch?.onlyKeys(['maxTrades', 'maxDelayMs']);
  const workers = node?.optionalChild('workers');
  workers?.onlyKeys(['inProcess', 'concurrency', 'lockDurationMs', 'stalledIntervalMs']);
  const retry = node?.optionalChild('retry');
  retry?.onlyKeys(['attempts', 'backoffMs']);
  const eod = node?.optionalChild('endOfDay');
  eod?.onlyKeys(['time']);
  const eodTime = eod?.str('time', '00:10') ?? '00:10';
  const hm = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(eodTime);
  if (hm === null) eod!.fail('a UTC time of day "HH:MM"', 'time', eodTime);

  const fees = node?.optionalChild('fees');
  fees?.onlyKeys(['default', 'firms']);
  const defaultNode = fees?.optionalChild('default');
  const defaultFees = defaultNode ? feeRates(defaultNode, { maker: 0, taker: 0 }) : { maker: 0, taker: 0 };
  const firmFees: Record<string, FeeRates> = {};
  for (const [firm, f] of fees?.entries('firms', true) ?? []) {
    if (!firms.some((x) => x.id === firm)) fees!.child('firms').fail(`a configured firm (${firms.map((x) => x.id).join(', ')})`, firm, 'an unknown firm');
    firmFees[firm] = feeRates(f, defaultFees);
  }
  const assetDecimals: Record<string, number> = {};
  const needed = exactDecimals(readInstruments(root));
  for (const [asset] of node?.entries('assetDecimals', true) ?? []) {
    const min = needed.get(asset);
    const where = node!.child('assetDecimals');
    if (min === undefined) where.fail(`an asset some instrument trades (${[...needed.keys()].join(', ')})`, asset, 'an unknown asset');
    assetDecimals[asset] = where.int(asset, undefined, min, 15);
  }

  const queue = node?.nonEmptyStr('queue', 'clearing') ?? 'clearing';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(queue)) node!.fail('a queue name of letters, digits, _ and - (no ":")', 'queue', queue);
  return {
    enabled: node?.bool('enabled', true) ?? true,
    queue,
    batch: {
      maxTrades: batch?.int('maxTrades', 1000, 1, 100_000) ?? 1000,
      maxDelayMs: batch?.int('maxDelayMs', 50, 1, 60_000) ?? 50,
    },
    workers: {
      inProcess: workers?.bool('inProcess', true) ?? true,
      concurrency: workers?.int('concurrency', 2, 1, 64) ?? 2,
      lockDurationMs: workers?.int('lockDurationMs', 30_000, 500, 600_000) ?? 30_000,
      stalledIntervalMs: workers?.int('stalledIntervalMs', 15_000, 100, 600_000) ?? 15_000,
    },
    retry: {
      attempts: retry?.int('attempts', 8, 1, 100) ?? 8,
      backoffMs: retry?.int('backoffMs', 1000, 1, 3_600_000) ?? 1000,
    },
    keepCompletedJobs: node?.int('keepCompletedJobs', 1000, 0, 10_000_000) ?? 1000,
    retentionDays: node?.int('retentionDays', 30, 0, 3650) ?? 30,
    reportsDir: node?.has('reportsDir') ? pathOf(node.nonEmptyStr('reportsDir')) : path.join(dataDir, 'reports'),
    endOfDay: { hour: Number(hm![1]), minute: Number(hm![2]) },
    reportTimeoutMs: node?.int('reportTimeoutMs', 60_000, 100, 3_600_000) ?? 60_000,
    fees: { default: defaultFees, firms: firmFees },
    assetDecimals,
  };
}
