// Runs the venue and restarts it in-process to recover from a storage fault (storage-recovery.ts): once the failed
// journal's or session store's directory can be written again, the running VenueApp is stopped (its members
// logged out with a Text saying why) and a new one is started from the same settings. The new one is what a process
// restart would give — journal replay, report catch-up into the stores — without waiting for an orchestrator
// (a liveness probe would not restart it: the process is alive and /health answers).
//
// The ops server outlives the swap: it is detached (/ready 503 "restarting ...") and attached to the new app, and
// every app shares its one Prometheus registry (their metrics re-register on it).

import { EventEmitter } from 'node:events';
import type { Registry } from 'prom-client';
import type { VenueSettings } from '../config/settings.js';
import type { Logger } from '../shared/logger.js';
import { createVenueRegistry } from '../ops/metrics/venue-registry.js';
import type { OpsSources } from '../ops/sources.js';
import { opsSourcesOf } from './ops-wiring.js';
import { StorageRecovery, type StorageRecoveryOptions } from './storage-recovery.js';
import { VenueApp, type StartReport } from './venue-app.js';

/** What the supervisor needs of the ops server (OpsServer fits). */
export interface OpsAttachment {
  attach(sources: OpsSources): void;
  detach(reason?: string): void;
}

export interface VenueSupervisorOptions {
  settings: VenueSettings;
  logger: Logger;
  /** Shared by every app the supervisor starts (default: a new one). */
  registry?: Registry;
  /** Probe cadence and simulated faults of the storage recovery. */
  recovery?: Pick<StorageRecoveryOptions, 'intervalMs' | 'failpoints'>;
}

export interface SupervisorEvents {
  /** A recovery restart completed: the new app is serving (ms from the storage being writable to listening). */
  recovered: [app: VenueApp, ms: number];
}

export const RESTART_TEXT = 'venue restarting to recover from a storage fault';
const RETRY_START_MS = 1000;

export class VenueSupervisor {
  readonly events = new EventEmitter<SupervisorEvents>();
  readonly registry: Registry;
  private current: VenueApp;
  private recovery: StorageRecovery;
  private ops: OpsAttachment | null = null;
  private restarting: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: VenueSupervisorOptions) {
    this.registry = options.registry ?? createVenueRegistry();
    [this.current, this.recovery] = this.build();
  }

  /** The app serving now (a new one after each recovery restart). */
  get app(): VenueApp {
    return this.current;
  }

  /** Starts the first app; with `ops`, attaches it once started (and every app after a restart). */
  async start(ops: OpsAttachment | null = null): Promise<StartReport> {
    this.ops = ops;
    const report = await this.current.start();
    if (!this.stopped) this.ops?.attach(this.sourcesOf(this.current));
    return report;
  }

  /** Stops the current app (after a restart in progress, if any) and the recovery. */
  async stop(reason?: string): Promise<void> {
    this.stopped = true;
    this.recovery.stop();
    await this.restarting;
    this.ops?.detach();
    await this.current.stop(reason);
  }

  private build(): [VenueApp, StorageRecovery] {
    const { settings, logger } = this.options;
    const recovery = new StorageRecovery({ logger, ...this.options.recovery, onWritable: () => void this.restart() });
    const app = new VenueApp({ settings, logger, registry: this.registry, onStorageFault: (fault) => recovery.report(fault) });
    return [app, recovery];
  }

  private sourcesOf(app: VenueApp): OpsSources {
    const recovery = this.recovery;
    return opsSourcesOf(app, { clearing: app.clearing, storageRecovery: () => recovery.status() });
  }

  private restart(): Promise<void> {
    if (this.stopped || this.restarting !== null) return this.restarting ?? Promise.resolve();
    this.restarting = this.swap().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  private async swap(): Promise<void> {
    const { logger } = this.options;
    const began = performance.now();
    this.ops?.detach(RESTART_TEXT);
    // Until the new app runs, a failure of the old one must not trigger another restart.
    this.recovery.stop();
    for (;;) {
      await this.current.stop(RESTART_TEXT).catch((err: unknown) => logger.error('venue stop before the recovery restart failed', { reason: String(err) }));
      if (this.stopped) return;
      [this.current, this.recovery] = this.build();
      try {
        const report = await this.current.start();
        if (this.stopped) return;
        this.ops?.attach(this.sourcesOf(this.current));
        const ms = Math.round(performance.now() - began);
        logger.warn('venue recovered from a storage fault: restarted in-process', { ms, eventSeq: report.recovery.eventSeq, fixPort: report.fixPort });
        this.events.emit('recovered', this.current, ms);
        return;
      } catch (err) {
        // The disk may have filled again, say: stop what started and try again shortly.
        logger.error('venue recovery restart failed; trying again', { reason: err instanceof Error ? err.message : String(err), retryMs: RETRY_START_MS });
        this.recovery.stop();
        await new Promise((r) => setTimeout(r, RETRY_START_MS));
      }
    }
  }
}
