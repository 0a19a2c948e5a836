// Write-behind of risk state to Redis. The core marks what changed (never waits, never does I/O); every
// intervalMs, or as soon as maxChanges changes have piled up, one MULTI/EXEC writes the current state of
// everything marked, so Redis is never on the order's path and a flush is atomic: after a crash Redis
// holds each position together with the seq of the last trade in it.
//
// What is queued, and the bound: positions, limits, kill switches and breaker halts are coalesced per
// key (their current state is written), so the queue can never grow beyond the number of positions and
// scopes that exist: nothing of that is ever dropped, however long Redis is away. Audit entries are
// appended one by one; at most maxPendingAudit wait, and beyond that the oldest are dropped from the
// Redis stream (counted in status().auditDropped; they were logged when they happened).
//
// If a flush fails (Redis away), everything it carried is marked again and waits for the connection to
// come back; then the backlog is written in one go. If Redis came back empty (restarted without
// persistence), everything the engine holds is written again.

import type { WriteBehindSettings } from '../../config/risk-section.js';
import type { Logger } from '../../shared/logger.js';
import type { BreakerState } from '../breakers/breaker-board.js';
import type { RiskChangeSink } from '../core/change-sink.js';
import type { KillRecord } from '../kill/kill-switches.js';
import type { AuditEntry } from '../model/audit.js';
import type { LimitValues } from '../model/limit-names.js';
import { parseKillScope } from '../model/scopes.js';
import type { Position } from '../positions/position.js';
import type { RiskKeys } from './redis-keys.js';
import type { RedisLink } from './redis-link.js';
import { encodeBreaker, encodeKill, encodePosition } from './state-codec.js';

export const DEFAULT_WRITE_BEHIND: WriteBehindSettings = { intervalMs: 50, maxChanges: 1000, maxPendingAudit: 10_000, auditMaxLen: 100_000 };

/** Current state, read at flush time. */
export interface StateSource {
  limitValues(scopeId: string): LimitValues;
  limitIds(): string[];
  kill(scopeId: string): KillRecord | undefined;
  kills(): KillRecord[];
  breaker(symbol: string): BreakerState | undefined;
  breakers(): BreakerState[];
  positions(): Iterable<Position>;
}

export class WriteBehind implements RiskChangeSink {
  /** Successful flushes (one MULTI/EXEC each) and the commands they carried. */
  flushes = 0;
  commandsWritten = 0;
  auditDropped = 0;

  private positionsDirty = new Set<Position>();
  private limitsDirty = new Set<string>();
  private killsDirty = new Set<string>();
  private breakersDirty = new Set<string>();
  private audits: AuditEntry[] = [];
  private metaDirty: Record<string, string> = {};
  private readonly knownMeta: Record<string, string> = {};
  private changes = 0;
  /** Wall-clock ms of the oldest change not yet durable, waiting or in flight (0 = none). */
  private waitingSince = 0;
  private flightSince = 0;
  private inFlightCount = 0;
  private inFlight: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private readonly indexed = new Set<string>();
  private lastError = '';
  private stopped = false;

  constructor(
    private readonly link: RedisLink,
    private readonly keys: RiskKeys,
    private readonly source: StateSource,
    private readonly options: WriteBehindSettings,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
    /** Event seq the venue journal has made durable; positions holding later trades wait (see below). */
    private readonly durableSeq: () => number = () => Infinity,
  ) {
    link.on('restored', () => void this.afterReconnect());
  }

  // ------------------------------------------------------------------ RiskChangeSink

  positionChanged(position: Position): void {
    this.positionsDirty.add(position);
    this.changed();
  }

  limitsChanged(scopeId: string): void {
    this.limitsDirty.add(scopeId);
    this.changed();
  }

  killChanged(scopeId: string): void {
    this.killsDirty.add(scopeId);
    this.changed();
  }

  breakerChanged(symbol: string): void {
    this.breakersDirty.add(symbol);
    this.changed();
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry);
    if (this.audits.length > this.options.maxPendingAudit) {
      this.audits.shift();
      if (this.auditDropped++ === 0) this.logger.warn('risk: audit backlog full while redis is away; oldest entries dropped from the stream (they are in the log)');
    }
    this.changed();
  }

  /** Bookkeeping fields of risk:meta; remembered, so they are written again if Redis loses its data. */
  setMeta(fields: Record<string, string>): void {
    Object.assign(this.knownMeta, fields);
    Object.assign(this.metaDirty, fields);
    this.changed();
  }

  // ------------------------------------------------------------------ status

  /** Writes waiting or in flight (coalesced: a position changed 1000 times counts once). */
  get pending(): number {
    return this.positionsDirty.size + this.limitsDirty.size + this.killsDirty.size + this.breakersDirty.size +
      this.audits.length + Object.keys(this.metaDirty).length + this.inFlightCount;
  }

  /** Age of the oldest change not yet in Redis, ms (0 when nothing waits). */
  lagMs(): number {
    const oldest = this.flightSince === 0 ? this.waitingSince : this.waitingSince === 0 ? this.flightSince : Math.min(this.flightSince, this.waitingSince);
    return oldest === 0 ? 0 : Math.max(0, this.clock() - oldest);
  }

  // ------------------------------------------------------------------ flushing

  /**
   * Writes everything marked so far. Resolves when it is in Redis; rejects when Redis cannot be reached
   * (the writes stay queued).
   */
  async flush(): Promise<void> {
    while (this.inFlight !== null) await this.inFlight.catch(() => {});
    if (this.pending === 0) return;
    await this.startFlush();
  }

  /** Marks every piece of state for writing (Redis lost its data, or a journal reset changed positions). */
  markEverything(): void {
    for (const p of this.source.positions()) this.positionsDirty.add(p);
    for (const id of this.source.limitIds()) this.limitsDirty.add(id);
    for (const k of this.source.kills()) this.killsDirty.add(`${k.scope.kind}:${k.scope.id}`);
    for (const b of this.source.breakers()) this.breakersDirty.add(b.symbol);
    Object.assign(this.metaDirty, this.knownMeta);
    this.indexed.clear();
    this.changed();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private changed(): void {
    this.changes++;
    if (this.waitingSince === 0) this.waitingSince = this.clock();
    if (this.stopped || !this.link.isUp) return;
    if (this.changes >= this.options.maxChanges) {
      if (this.immediate === null) this.immediate = setImmediate(this.onDue);
    } else if (this.timer === null) {
      this.timer = setTimeout(this.onDue, this.options.intervalMs);
    }
  }

  private readonly onDue = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    if (this.inFlight !== null || this.stopped || !this.link.isUp || this.pending === 0) return;
    this.startFlush().catch(() => {}); // failures are logged once by the link and retried on reconnect
  };

  private startFlush(): Promise<void> {
    const p = this.writeBatch().finally(() => {
      this.inFlight = null;
      if (!this.stopped && this.link.isUp && this.pending > 0 && this.timer === null) {
        this.timer = setTimeout(this.onDue, this.options.intervalMs);
      }
    });
    this.inFlight = p;
    return p;
  }

  private async writeBatch(): Promise<void> {
    // A position is written only once every trade in it is in the journal: Redis must never be ahead of
    // the journal, or a crash would leave it holding a trade the venue never had.
    const durable = this.durableSeq();
    const positions: Position[] = [];
    const held: Position[] = [];
    for (const p of this.positionsDirty) (p.lastSeq <= durable ? positions : held).push(p);
    const limits = [...this.limitsDirty];
    const kills = [...this.killsDirty];
    const breakers = [...this.breakersDirty];
    const audits = this.audits;
    const meta = this.metaDirty;
    this.positionsDirty = new Set(held);
    this.limitsDirty = new Set();
    this.killsDirty = new Set();
    this.breakersDirty = new Set();
    this.audits = [];
    this.metaDirty = {};
    this.changes = 0;
    this.inFlightCount = positions.length + limits.length + kills.length + breakers.length + audits.length + Object.keys(meta).length;
    this.flightSince = this.waitingSince;
    this.waitingSince = held.length > 0 ? this.flightSince : 0;
    if (this.inFlightCount === 0) {
      this.flightSince = 0;
      return;
    }
    const newlyIndexed: string[] = [];

    const k = this.keys;
    const multi = this.link.client.multi();
    let commands = 0;
    for (const p of positions) {
      const key = k.position(p.account, p.asset);
      multi.hset(key, encodePosition(p));
      commands++;
      if (!this.indexed.has(key)) {
        multi.sadd(k.positionsIndex, key);
        newlyIndexed.push(key);
        commands++;
      }
    }
    for (const id of limits) {
      const values = this.source.limitValues(id);
      multi.del(k.limits(id));
      commands++;
      if (Object.keys(values).length > 0) {
        multi.hset(k.limits(id), values as Record<string, string>);
        multi.sadd(k.limitsIndex, id);
      } else {
        multi.srem(k.limitsIndex, id);
      }
      commands += 2;
    }
    for (const id of kills) {
      const scope = parseKillScope(id);
      const rec = scope === null ? undefined : this.source.kill(id);
      if (rec !== undefined) multi.hset(k.kill, id, encodeKill(rec));
      else multi.hdel(k.kill, id);
      commands++;
    }
    for (const symbol of breakers) {
      const state = this.source.breaker(symbol);
      if (state !== undefined) multi.hset(k.breakers, symbol, encodeBreaker(state));
      else multi.hdel(k.breakers, symbol);
      commands++;
    }
    for (const a of audits) {
      multi.xadd(k.audit, 'MAXLEN', '~', this.options.auditMaxLen, '*',
        'at', a.at, 'by', a.by, 'action', a.action, 'scope', a.scope, 'name', a.name, 'old', a.old, 'new', a.new, 'reason', a.reason);
      commands++;
    }
    if (Object.keys(meta).length > 0) {
      multi.hset(k.meta, meta);
      commands++;
    }

    try {
      const replies = await multi.exec();
      if (replies === null) throw new Error('transaction discarded');
      for (const [err] of replies) if (err) throw err;
      this.flushes++;
      this.commandsWritten += commands;
      for (const key of newlyIndexed) this.indexed.add(key);
      this.lastError = '';
    } catch (err) {
      // Nothing is lost: mark it all again (current state will be written) and keep the audit order.
      for (const p of positions) this.positionsDirty.add(p);
      for (const id of limits) this.limitsDirty.add(id);
      for (const id of kills) this.killsDirty.add(id);
      for (const s of breakers) this.breakersDirty.add(s);
      this.audits = audits.concat(this.audits);
      const excess = this.audits.length - this.options.maxPendingAudit;
      if (excess > 0) {
        this.audits.splice(0, excess);
        this.auditDropped += excess;
      }
      this.metaDirty = { ...meta, ...this.metaDirty };
      if (this.flightSince !== 0) this.waitingSince = this.waitingSince === 0 ? this.flightSince : Math.min(this.waitingSince, this.flightSince);
      const message = err instanceof Error ? err.message : String(err);
      this.link.noteFailure(message);
      if (this.link.isUp && message !== this.lastError) this.logger.error('risk: redis write failed; will retry', { error: message });
      this.lastError = message;
      throw err;
    } finally {
      this.inFlightCount = 0;
      this.flightSince = 0;
    }
  }

  private async afterReconnect(): Promise<void> {
    try {
      if ((await this.link.client.exists(this.keys.meta)) === 0) {
        this.logger.warn('risk: redis came back without risk state (restarted without persistence?); writing all of it again');
        this.markEverything();
        this.setMeta({ restoredAt: new Date(this.clock()).toISOString() });
      }
      await this.flush();
    } catch {
      // Lost again: the next 'restored' retries.
    }
  }
}
