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

  /** Logs a refusal at most once per second per reason kind, with the count since the last line. */
  logRefusal(kind: string, message: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    const last = this.lastLogged.get(kind);
    if (last && now - last.at < 1000) {
      last.suppressed++;
      return;
    }
    this.logger.warn(message, { ...fields, ...(last?.suppressed ? { suppressedSinceLast: last.suppressed } : {}) });
    this.lastLogged.set(kind, { at: now, suppressed: 0 });
  }

  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();
}
