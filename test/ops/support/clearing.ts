// A real ClearingService (BullMQ on the venue's own redis-server) for the ops tests, on a queue of its own,
// retrying once so a failing job reaches the failed set at once.

import type { Registry } from 'prom-client';
import { ClearingService } from '../../../src/clearing/index.js';
import type { TestVenue } from '../../support/test-venue.js';

export async function startTestClearing(venue: TestVenue, registry: Registry, queue = 'ops-test-clearing'): Promise<ClearingService> {
  const { settings } = venue;
  const clearing = new ClearingService({
    settings: {
      ...settings.clearing,
      queue,
      retry: { attempts: 1, backoffMs: 10 },
      workers: { ...settings.clearing.workers, inProcess: true, concurrency: 1 },
      reportTimeoutMs: 15_000,
    },
    redisUrl: venue.redis.url,
    record: venue.app.record,
    instruments: settings.instruments,
    firms: settings.firms.map((f) => f.id),
    counterparty: settings.compId,
    registry,
    onError: () => {},
  });
  await clearing.start();
  return clearing;
}
