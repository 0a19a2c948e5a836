// The venue's one Prometheus registry: every room that has metrics (ops, records, clearing, risk) registers
// in it, and GET /metrics prints it. Node's own metrics (event-loop lag, GC pauses, heap, CPU, handles) come
// from prom-client's default collectors.

import { Registry, collectDefaultMetrics } from 'prom-client';

export function createVenueRegistry(): Registry {
  const registry = new Registry();
  addNodeMetrics(registry);
  return registry;
}

/** Adds Node's process metrics to a registry once (a second call is a no-op, not a duplicate-name error). */
export function addNodeMetrics(registry: Registry): void {
  if (registry.getSingleMetric('nodejs_eventloop_lag_seconds') !== undefined) return;
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
}
