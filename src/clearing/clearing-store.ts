// Reads clearing's state in Redis: per trade date the settled batches (their lines and results), the
// running positions, the counters that say whether settlement has caught up, and the stored reports.
// Used by the report job and by the admin API (through ClearingService).

import type { Redis } from 'ioredis';
import type { ClearingKeys } from './clearing-keys.js';
import type { ClearingReport } from './clearing-report.js';
import type { BatchResult } from './settle-batch.js';
import type { Obligation } from './settlement.js';

/** A running position: an account's obligation in an asset so far, in units of the asset's settlement scale. */
export type PositionRow = Obligation;

export interface DayStatus {
  /** Trades of the date the venue has enqueued, and those settled. */
  enqueued: number;
  settled: number;
}

export interface ReportListing {
  tradeDate: string;
  firm: string;
  generatedAt: number;
}

const COMPONENTS = new Set(['received', 'delivered', 'fees']);

export class ClearingStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: ClearingKeys,
  ) {}

  async lastEnqueued(): Promise<number> {
    return Number((await this.redis.get(this.keys.lastEnqueued)) ?? 0);
  }

  async dayStatus(date: string): Promise<DayStatus> {
    const [enq, set] = await this.redis.mget(this.keys.enqueued(date), this.keys.settled(date));
    return { enqueued: Number(enq ?? 0), settled: Number(set ?? 0) };
  }

  async scales(date: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.scales(date));
    return Object.fromEntries(Object.entries(raw).map(([a, d]) => [a, Number(d)]));
  }

  async firms(date: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.firms(date))).sort();
  }

  /** The running positions of a date (one firm's, or all), sorted by firm, account, asset. */
  async positions(date: string, firm?: string): Promise<PositionRow[]> {
    const raw = await this.redis.hgetall(this.keys.positions(date));
    const rows = new Map<string, PositionRow>();
    for (const [field, value] of Object.entries(raw)) {
      const parsed = JSON.parse(field) as unknown;
      if (!Array.isArray(parsed) || parsed.length !== 4 || !COMPONENTS.has(String(parsed[3]))) continue;
      const [f, account, asset, component] = parsed as [string, string, string, 'received' | 'delivered' | 'fees'];
      if (firm !== undefined && f !== firm) continue;
      const key = JSON.stringify([f, account, asset]);
      let row = rows.get(key);
      if (row === undefined) {
        row = { firm: f, account, asset, received: 0n, delivered: 0n, fees: 0n };
        rows.set(key, row);
      }
      row[component] = BigInt(value);
    }
    const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...rows.values()].sort((a, b) => cmp(a.firm, b.firm) || cmp(a.account, b.account) || cmp(a.asset, b.asset));
  }

  /** One settled batch: its result and its record lines; null if it has not been settled. */
  async batch(date: string, batchId: string): Promise<{ result: BatchResult; lines: string } | null> {
    const [result, lines] = await Promise.all([this.redis.hget(this.keys.batches(date), batchId), this.redis.hget(this.keys.batchTrades(date), batchId)]);
    if (result === null || lines === null) return null;
    return { result: JSON.parse(result) as BatchResult, lines };
  }

  async batchIds(date: string): Promise<string[]> {
    return this.redis.hkeys(this.keys.batches(date));
  }

  /** Visits every settled batch of a date, a page at a time (a day can hold far more than one reply should). */
  async scanBatches(date: string, visit: (batchId: string, lines: string, result: BatchResult) => void): Promise<void> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.batchTrades(date), cursor, 'COUNT', 200);
      cursor = next;
      const ids: string[] = [];
      const lines: string[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        ids.push(flat[i]!);
        lines.push(flat[i + 1]!);
      }
      if (ids.length === 0) continue;
      const results = await this.redis.hmget(this.keys.batches(date), ...ids);
      ids.forEach((id, i) => {
        const r = results[i];
        if (r !== null && r !== undefined) visit(id, lines[i]!, JSON.parse(r) as BatchResult);
      });
    } while (cursor !== '0');
  }

  async saveReport(report: ClearingReport, retentionSeconds: number): Promise<void> {
    const key = this.keys.report(report.tradeDate, report.firm);
    const m = this.redis.multi();
    if (retentionSeconds > 0) m.set(key, JSON.stringify(report), 'EX', retentionSeconds);
    else m.set(key, JSON.stringify(report));
    m.zadd(this.keys.reportIndex, Date.parse(report.generatedAt), `${report.tradeDate} ${report.firm}`);
    const res = await m.exec();
    const failed = res?.find(([err]) => err !== null);
    if (failed) throw failed[0]!;
  }

  async report(date: string, firm: string): Promise<ClearingReport | null> {
    const raw = await this.redis.get(this.keys.report(date, firm));
    return raw === null ? null : (JSON.parse(raw) as ClearingReport);
  }

  /** The newest reports first (their Redis copies may have expired; the files stay). */
  async reports(limit = 100): Promise<ReportListing[]> {
    const flat = await this.redis.zrevrange(this.keys.reportIndex, 0, limit - 1, 'WITHSCORES');
    const out: ReportListing[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const member = flat[i]!;
      const space = member.indexOf(' '); // dates have no spaces; firm ids might
      out.push({ tradeDate: member.slice(0, space), firm: member.slice(space + 1), generatedAt: Number(flat[i + 1]) });
    }
    return out;
  }
}
