// Prometheus metrics of the venue's snapshots and start-up. Read at scrape time from the live snapshotter
// (collect), so taking a snapshot never calls into prom-client; one set per registry, the newest app reporting
// (the supervisor restarts the app in-process on the same registry).

import { Gauge, type Registry } from 'prom-client';

export interface SnapshotStats {
  /** The newest snapshot taken by this process, or null. */
  readonly lastRun: { captureMs: number; totalMs: number; bytes: number; commandSeq: number; takenAt: number } | null;
  readonly taken: number;
  readonly failed: number;
  /** Snapshot files on disk and their total size. */
  files(): { count: number; bytes: number; newestAt: number };
  /** Start-up: how long the snapshot load plus journal replay took, and how many commands it replayed. */
  readonly startup: { durationMs: number; replayedCommands: number; snapshotSeq: number } | null;
}

const hubs = new WeakMap<Registry, { stats: SnapshotStats }>();

export function registerSnapshotMetrics(registry: Registry, stats: SnapshotStats): void {
  const known = hubs.get(registry);
  if (known !== undefined) {
    known.stats = stats;
    return;
  }
  const hub = { stats };
  hubs.set(registry, hub);
  const gauge = (name: string, help: string, read: (s: SnapshotStats) => number | null): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read(hub.stats);
        if (v === null) this.reset();
        else this.set(v);
      },
    });
  };
  gauge('venue_snapshot_capture_seconds', 'Event-loop time the last snapshot held order flow for (the consistent cut)', (s) => (s.lastRun === null ? null : s.lastRun.captureMs / 1000));
  gauge('venue_snapshot_duration_seconds', 'Wall time of the last snapshot, cut to file renamed into place', (s) => (s.lastRun === null ? null : s.lastRun.totalMs / 1000));
  gauge('venue_snapshot_bytes', 'Size of the last snapshot file', (s) => s.lastRun?.bytes ?? null);
  gauge('venue_snapshot_command_seq', 'Command seq held by the last snapshot', (s) => s.lastRun?.commandSeq ?? null);
  gauge('venue_snapshot_age_seconds', 'Age of the newest snapshot file on disk', (s) => {
    const f = s.files();
    return f.count === 0 ? null : Math.max(0, (Date.now() - f.newestAt) / 1000);
  });
  gauge('venue_snapshots_taken', 'Snapshots written by this process', (s) => s.taken);
  gauge('venue_snapshots_failed', 'Snapshots this process could not write', (s) => s.failed);
  gauge('venue_snapshot_files', 'Snapshot files on disk', (s) => s.files().count);
  gauge('venue_snapshot_files_bytes', 'Total size of the snapshot files on disk', (s) => s.files().bytes);
  gauge('venue_startup_replay_seconds', 'Start-up time to restore the snapshot and replay the journal after it', (s) => (s.startup === null ? null : s.startup.durationMs / 1000));
  gauge('venue_startup_replayed_commands', 'Journal commands replayed at start-up', (s) => s.startup?.replayedCommands ?? null);
}
