// The running venue's snapshots: on a timer (venue.snapshots.intervalSeconds), at the end of each trading day, and
// on demand (POST /api/snapshots). Start-up then restores the newest valid one and replays only the journal after it.
//
// A snapshot is a consistent cut taken between turns — the core's state copied synchronously (the only part that
// holds up order flow; measured as captureMs) — then, off the hot path:
//   1. the journal commits everything up to the cut;
//   2. the FIX stores, the execution record and risk's Redis positions are made durable up to the cut as well. These
//      are rebuilt from replayed events at start-up (the report catch-up, the record taking what it lacks, risk
//      applying trades newer than its positions); events before the snapshot are no longer replayed, so whatever
//      they feed must already hold them. Redis unreachable fails the snapshot (the next one tries again);
//   3. the file is written a slice at a time, checksummed, renamed into place; snapshots beyond `keep` are deleted.
// One at a time: a request while one is being written gets that one's outcome.

import type { SnapshotSettings } from '../config/settings.js';
import type { Logger } from '../shared/logger.js';
import type { JournaledVenue, SnapshotInfo } from '../venue/journal/journaled-venue.js';
import type { SnapshotStats } from './snapshot-metrics.js';

export type SnapshotTrigger = 'interval' | 'end-of-day' | 'ops' | 'stop';

export interface SnapshotRun extends SnapshotInfo {
  trigger: SnapshotTrigger;
  /** Event-loop time of the cut (the core's state copied), ms. */
  captureMs: number;
  /** Cut to file in place, ms. */
  totalMs: number;
  takenAt: number;
  /** Old snapshot files deleted after it. */
  removed: number;
}

/** What must be durable up to the cut before the snapshot may be written (the app's parts). */
export interface SnapshotDependencies {
  /** The FIX stores' writes staged so far are on disk. */
  storesFlushed(): Promise<void>;
  /** The execution record's events so far are on disk (rejects with its write error). */
  recordFlushed(): Promise<void>;
  /** Risk's positions are in Redis (rejects while Redis is away). */
  riskFlushed(): Promise<void>;
  /** Why no snapshot may be taken now (a storage fault being recovered), or null. */
  blocked(): string | null;
}

export interface VenueSnapshotsOptions {
  journal: JournaledVenue;
  settings: SnapshotSettings;
  dependencies: SnapshotDependencies;
  logger: Logger;
}

export class VenueSnapshots implements SnapshotStats {
  lastRun: SnapshotRun | null = null;
  taken = 0;
  failed = 0;
  /** Why the last attempt failed, or null. */
  lastFailure: string | null = null;
  startup: SnapshotStats['startup'] = null;
  private inFlight: Promise<SnapshotRun> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: VenueSnapshotsOptions) {}

  /** Starts the timer (none when intervalSeconds is 0). */
  start(): void {
    const seconds = this.options.settings.intervalSeconds;
    if (seconds <= 0 || this.timer !== null) return;
    this.timer = setInterval(() => this.takeQuietly('interval'), seconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a snapshot being written. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
  }

  /** The trading day ended: take one (when configured), once the endOfDay command has been applied. */
  endOfDay(): void {
    if (this.options.settings.atEndOfDay) setImmediate(() => this.takeQuietly('end-of-day'));
  }

  /** The snapshot files, newest first. */
  list(): SnapshotInfo[] {
    return this.options.journal.snapshots();
  }

  files(): { count: number; bytes: number; newestAt: number } {
    const all = this.list();
    return { count: all.length, bytes: all.reduce((n, s) => n + s.bytes, 0), newestAt: all[0]?.writtenAt ?? 0 };
  }

  /** Takes one now (or joins the one being written). Rejects with the reason when it cannot be written. */
  take(trigger: SnapshotTrigger): Promise<SnapshotRun> {
    if (this.inFlight !== null) return this.inFlight;
    const run = this.run(trigger).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  private takeQuietly(trigger: SnapshotTrigger): void {
    if (this.stopped) return;
    // Nothing happened since the newest snapshot: a timer tick has nothing to add.
    if (trigger === 'interval' && this.lastRun !== null && this.lastRun.commandSeq === this.options.journal.venue.commandSeq) return;
    this.take(trigger).catch(() => undefined); // logged and counted in run()
  }

  private async run(trigger: SnapshotTrigger): Promise<SnapshotRun> {
    const { journal, dependencies, logger, settings } = this.options;
    try {
      const blocked = journal.error !== null ? `the command journal failed (${journal.error.message})` : dependencies.blocked();
      if (blocked !== null) throw new Error(`no snapshot while ${blocked}`);
      const started = performance.now();
      const captured = journal.captureState();
      const captureMs = performance.now() - started;
      await journal.commit();
      await dependencies.storesFlushed();
      await dependencies.recordFlushed();
      try {
        await dependencies.riskFlushed();
      } catch (err) {
        throw new Error(`risk positions could not be written to Redis (${err instanceof Error ? err.message : String(err)}); a snapshot needs them there`);
      }
      const info = await journal.writeSnapshot(captured);
      const removed = journal.pruneSnapshots(settings.keep).length;
      const run: SnapshotRun = { ...info, trigger, captureMs, totalMs: performance.now() - started, takenAt: Date.now(), removed };
      this.lastRun = run;
      this.lastFailure = null;
      this.taken++;
      logger.info('snapshot written', {
        trigger, commandSeq: run.commandSeq, bytes: run.bytes, captureMs: round(captureMs), totalMs: Math.round(run.totalMs), removed,
      });
      return run;
    } catch (err) {
      this.failed++;
      const reason = err instanceof Error ? err.message : String(err);
      this.lastFailure = reason;
      logger.warn('snapshot not taken', { trigger, reason });
      throw err instanceof Error ? err : new Error(reason);
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
