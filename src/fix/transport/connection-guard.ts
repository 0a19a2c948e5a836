// Admission control for connections that have not logged on yet: a global cap, a per-address cap, and a logon
// timeout. These are the cheap defences against connection floods; each refusal is logged once with its reason,
// and counted, so ops can see an attack without the log becoming one.

import type { FixLogger } from './fix-logger.js';

export interface GuardLimits {
  maxUnauthenticated: number;
  maxUnauthenticatedPerAddress: number;
  logonTimeoutMs: number;
}

export interface GuardStats {
  unauthenticated: number;
  refusedTooMany: number;
  refusedPerAddress: number;
  logonTimeouts: number;
}

/** Refusal log lines per kind per second before the rest are only counted. */
const LOG_BURST = 20;

interface Pending {
  address: string;
  timer: NodeJS.Timeout;
}

export class ConnectionGuard {
  private readonly pending = new Map<string, Pending>();
  private readonly perAddress = new Map<string, number>();
  readonly stats: GuardStats = { unauthenticated: 0, refusedTooMany: 0, refusedPerAddress: 0, logonTimeouts: 0 };

  constructor(
    private readonly limits: GuardLimits,
    private readonly logger: FixLogger,
  ) {}

  /**
   * Admits a new connection as unauthenticated, or says why not. `onTimeout` runs if it has not logged on within
   * the logon timeout.
   */
  admit(key: string, address: string, onTimeout: () => void): string | null {
    if (this.pending.size >= this.limits.maxUnauthenticated) {
      this.stats.refusedTooMany++;
      return `too many connections waiting to log on (${this.limits.maxUnauthenticated})`;
    }
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (fromAddress >= this.limits.maxUnauthenticatedPerAddress) {
      this.stats.refusedPerAddress++;
      return `too many connections waiting to log on from ${address} (${this.limits.maxUnauthenticatedPerAddress})`;
    }
    const timer = setTimeout(() => {
      this.stats.logonTimeouts++;
      this.release(key);
      onTimeout();
    }, this.limits.logonTimeoutMs);
    timer.unref();
    this.pending.set(key, { address, timer });
    this.perAddress.set(address, fromAddress + 1);
    this.stats.unauthenticated = this.pending.size;
    return null;
  }

  /** The connection logged on or closed: it no longer counts. */
  release(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    const left = (this.perAddress.get(entry.address) ?? 1) - 1;
    if (left <= 0) this.perAddress.delete(entry.address);
    else this.perAddress.set(entry.address, left);
    this.stats.unauthenticated = this.pending.size;
  }

  /**
   * Logs a refusal with its reason, at most LOG_BURST lines per second per kind: a flood of refusals is summarised
   * (the next line logged carries how many were left out) instead of becoming a flood of log lines.
   */
  logRefusal(kind: string, message: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    let window = this.lastLogged.get(kind);
    if (!window || now - window.at >= 1000) {
      const suppressed = window?.suppressed ?? 0;
      window = { at: now, lines: 0, suppressed: 0 };
      this.lastLogged.set(kind, window);
      if (suppressed > 0) fields = { ...fields, suppressedSinceLast: suppressed };
    }
    if (window.lines >= LOG_BURST) {
      window.suppressed++;
      return;
    }
    window.lines++;
    this.logger.warn(message, fields);
  }

  private readonly lastLogged = new Map<string, { at: number; lines: number; suppressed: number }>();
}
