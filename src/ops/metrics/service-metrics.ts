// Metrics of what the venue depends on, read at scrape time: the health of every component /ready checks
// (FIX listener, journal, Redis, BullMQ, each route) and the risk engine's Redis write-behind.
//
//   venue_component_up{component}                 1 up, 0.5 degraded, 0 down
//   venue_route_up{route}                         the same for each external route
//   risk_write_behind_lag_seconds                 age of the oldest write not yet in Redis
//   risk_write_behind_pending_writes              writes waiting for Redis (coalesced per key)
//   risk_write_behind_flushes_total / risk_write_behind_commands_total
//   risk_audit_entries_dropped_total              audit entries dropped while Redis was away (they are in the log)
// Queue depth and job failures of BullMQ are clearing's own metrics (clearing_queue_jobs{state},
// clearing_job_failures_total{job,final}), registered in the same registry.

import { Counter, Gauge, type Registry } from 'prom-client';
import { checkReadiness, type Readiness } from '../health/readiness.js';
import type { OpsSources } from '../sources.js';

const VALUE = { up: 1, degraded: 0.5, down: 0 } as const;

export function registerServiceMetrics(registry: Registry, sources: OpsSources): void {
  // One readiness check per scrape feeds both gauges.
  let pending: Promise<Readiness> | null = null;
  const readiness = (): Promise<Readiness> => {
    pending ??= checkReadiness(sources).finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  new Gauge({
    name: 'venue_component_up',
    help: 'Health of each venue component: 1 up, 0.5 degraded, 0 down',
    labelNames: ['component'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of (await readiness()).components) if (!c.name.startsWith('route:')) this.set({ component: c.name }, VALUE[c.status]);
    },
  });
  new Gauge({
    name: 'venue_route_up',
    help: 'Health of each external route: 1 up, 0.5 degraded, 0 down',
    labelNames: ['route'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of (await readiness()).components) if (c.name.startsWith('route:')) this.set({ route: c.name.slice(6) }, VALUE[c.status]);
    },
  });
  const risk = sources.risk;
  if (risk === null) return;
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  };
  const counter = (name: string, help: string, read: () => number): void => {
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read()); } });
  };
  gauge('risk_write_behind_lag_seconds', 'Age of the oldest risk write not yet in Redis', () => risk.status().lagMs / 1000);
  gauge('risk_write_behind_pending_writes', 'Risk writes waiting for Redis (coalesced per key, plus audit entries)', () => risk.status().pendingWrites);
  counter('risk_write_behind_flushes_total', 'Write-behind flushes to Redis (one MULTI/EXEC each)', () => risk.status().flushes);
  counter('risk_write_behind_commands_total', 'Redis commands written by the risk write-behind', () => risk.status().commandsWritten);
  counter('risk_audit_entries_dropped_total', 'Risk audit entries dropped while Redis was unreachable (they are in the log)', () => risk.status().auditDropped);
}
