// Registers every metric ops owns for one running venue, and removes them again when the venue stops (so a
// registry outlives a venue restart in-process without duplicate-name errors).

import type { Registry } from 'prom-client';
import type { SessionCatalog } from '../sessions/session-catalog.js';
import type { OpsSources } from '../sources.js';
import { FixMetrics } from './fix-metrics.js';
import { registerServiceMetrics } from './service-metrics.js';
import { VenueMetrics } from './venue-metrics.js';
import { addNodeMetrics } from './venue-registry.js';

export class OpsMetrics {
  private readonly fix: FixMetrics;
  private readonly venue: VenueMetrics;
  private readonly names: string[];

  constructor(
    private readonly registry: Registry,
    sources: OpsSources,
    catalog: SessionCatalog,
  ) {
    addNodeMetrics(registry);
    const before = new Set(registry.getMetricsAsArray().map((m) => m.name));
    this.fix = new FixMetrics(registry, sources.fix, catalog, sources.knownMsgType);
    this.venue = new VenueMetrics(registry, sources.venue);
    registerServiceMetrics(registry, sources);
    this.names = registry.getMetricsAsArray().map((m) => m.name).filter((n) => !before.has(n));
    this.venue.start();
  }

  close(): void {
    this.fix.close();
    this.venue.close();
    for (const name of this.names) this.registry.removeSingleMetric(name);
  }
}
