// Automatic recovery from a storage fault (a full disk, say) under the command journal or a FIX session store.
//
// At the moment of the fault the venue fails fast and stays consistent: the journal refuses every order with a
// clear reject, a failed session store disconnects its session and refuses its logons, and nothing more is
// written to either (a journal or store written after a hole would lie). What it cannot do in place is resume:
// the core ran ahead of the journal's lost batch, and a store's reports after the hole are gone from it. A
// restart can: it replays the journal and re-derives, from it, every report a store lacks (the report catch-up).
//
// So this watches the failed directories: every `intervalMs` it probes each one (create, write, fdatasync and
// remove a file), and once all of them can be written it calls `onWritable` once — the supervisor then restarts
// the venue in-process (venue-supervisor.ts). status() says so for readiness meanwhile.

import { failpointAt, probeFault, type Failpoint } from './failpoints.js';
import { probeDirectory } from './disk-probe.js';
import type { Logger } from '../shared/logger.js';
import type { StorageFault } from './venue-app.js';

export interface StorageRecoveryOptions {
  logger: Logger;
  /** Called once, when every failed directory took a probe write. */
  onWritable: () => void;
  /** Between probes (default 1000 ms). */
  intervalMs?: number;
  /** Simulated disk faults that also fail the probes (soak, tests); default: the process's VENUE_FAILPOINT. */
  failpoints?: Partial<Record<StorageFault['kind'], Failpoint | null>>;
}

interface FailedDir {
  kind: StorageFault['kind'];
  whats: Set<string>;
  /** Why the directory could not be written, last we know (the fault, then the last probe). */
  lastError: string;
}

export class StorageRecovery {
  private readonly failed = new Map<string, FailedDir>();
  private readonly intervalMs: number;
  private readonly failpoints: Record<StorageFault['kind'], Failpoint | null>;
  private timer: NodeJS.Timeout | null = null;
  private since = 0;
  private done = false;

  constructor(private readonly options: StorageRecoveryOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.failpoints = {
      journal: options.failpoints?.journal ?? failpointAt('journal-write'),
      'fix-store': options.failpoints?.['fix-store'] ?? failpointAt('store-write'),
    };
  }

  /** A journal or store failed: probe its directory until it can be written. */
  report(fault: StorageFault): void {
    if (this.done) return;
    const known = this.failed.get(fault.dir);
    if (known !== undefined) {
      known.whats.add(fault.what);
      return;
    }
    this.failed.set(fault.dir, { kind: fault.kind, whats: new Set([fault.what]), lastError: fault.error.message });
    if (this.since === 0) this.since = Date.now();
    this.options.logger.warn('storage fault: the venue restarts itself to recover once the directory can be written again', {
      what: fault.what,
      dir: fault.dir,
      reason: fault.error.message,
      probeEveryMs: this.intervalMs,
    });
    this.schedule();
  }

  /** True once something failed (until the restart that recovers it). */
  get faulted(): boolean {
    return this.failed.size > 0;
  }

  /** For readiness: what is being recovered and how, or null when nothing failed. */
  status(): string | null {
    if (this.failed.size === 0) return null;
    if (this.done) return 'the storage can be written again; restarting';
    const [dir, first] = this.failed.entries().next().value as [string, FailedDir];
    const more = this.failed.size > 1 ? ` and ${this.failed.size - 1} more` : '';
    const seconds = Math.round((Date.now() - this.since) / 1000);
    return `probing ${dir}${more} every ${this.intervalMs / 1000} s for ${seconds} s (last: ${first.lastError}); the venue restarts itself once it can write`;
  }

  /** Stops probing (the venue is stopping or restarting). */
  stop(): void {
    this.done = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null || this.done) return;
    this.timer = setTimeout(() => void this.probeAll(), this.intervalMs);
    this.timer.unref();
  }

  private async probeAll(): Promise<void> {
    let writable = true;
    for (const [dir, failed] of this.failed) {
      try {
        const simulated = probeFault(this.failpoints[failed.kind]);
        if (simulated !== null) throw simulated;
        await probeDirectory(dir);
      } catch (err) {
        writable = false;
        const reason = err instanceof Error ? err.message : String(err);
        if (reason !== failed.lastError) this.options.logger.warn('storage still cannot be written', { dir, reason });
        else this.options.logger.debug('storage probe failed', { dir, reason });
        failed.lastError = reason;
      }
    }
    this.timer = null;
    if (this.done) return;
    if (!writable) return this.schedule();
    this.done = true;
    this.options.logger.warn('storage can be written again: restarting the venue to recover', {
      dirs: [...this.failed.keys()],
      faultMs: Date.now() - this.since,
    });
    this.options.onWritable();
  }
}
