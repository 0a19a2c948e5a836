// Admin API: snapshots of the venue state (start-up restores the newest and replays only the journal after it).
//
//   GET  /api/snapshots     the snapshot files, newest first, with their age
//   POST /api/snapshots     take one now (operator); 503 with the reason when it cannot be written

import { unavailable } from '../http/http-error.js';
import type { Route } from '../http/router.js';
import type { SnapshotSource } from '../sources.js';
import type { AdminContext } from './admin-context.js';

function snapshotsOf(ctx: AdminContext): SnapshotSource {
  const source = ctx.sources.snapshots ?? null;
  if (source === null) throw unavailable('snapshots are not available on this venue');
  return source;
}

export function snapshotRoutes(ctx: AdminContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/snapshots',
      access: 'viewer',
      handler: () => {
        const source = snapshotsOf(ctx);
        const now = Date.now();
        const snapshots = source.list().map((s) => ({ ...s, writtenAt: new Date(s.writtenAt).toISOString(), ageSeconds: Math.max(0, Math.round((now - s.writtenAt) / 1000)) }));
        return { body: { snapshots, intervalSeconds: source.intervalSeconds, lastFailure: source.lastFailure() } };
      },
    },
    {
      method: 'POST',
      pattern: '/api/snapshots',
      access: 'operator',
      action: 'snapshots.take',
      handler: async () => {
        const source = snapshotsOf(ctx);
        try {
          const taken = await source.take();
          return { body: { snapshot: { ...taken, writtenAt: new Date(taken.writtenAt).toISOString() } } };
        } catch (err) {
          throw unavailable(`snapshot not taken: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    },
  ];
}
