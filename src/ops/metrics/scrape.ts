// GET /metrics, robust against a slow collector: each metric is printed on its own with a deadline, so one
// that waits on an unreachable Redis (a queue depth, say) is left out of that scrape — with a comment and a
// count — instead of holding the whole answer past Prometheus' scrape timeout.

import { Counter, type Registry } from 'prom-client';

const TIMEOUTS = 'venue_metrics_collect_timeouts_total';

export async function scrapeMetrics(registry: Registry, timeoutMs = 2000): Promise<string> {
  const timeouts = timeoutCounter(registry);
  const names = registry.getMetricsAsArray().map((m) => m.name);
  const parts = await Promise.all(
    names.map(async (name) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          registry.getSingleMetricAsString(name),
          new Promise<string>((resolve) => {
            timer = setTimeout(() => {
              timeouts.inc({ metric: name });
              resolve(`# ${name} left out: no value within ${timeoutMs} ms`);
            }, timeoutMs);
          }),
        ]);
      } catch (err) {
        return `# ${name} left out: ${err instanceof Error ? err.message : String(err)}`.replace(/\n/g, ' ');
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return `${parts.join('\n\n')}\n`;
}

function timeoutCounter(registry: Registry): Counter<'metric'> {
  const existing = registry.getSingleMetric(TIMEOUTS);
  if (existing !== undefined) return existing as Counter<'metric'>;
  return new Counter({
    name: TIMEOUTS,
    help: 'Metrics left out of a scrape because their collector did not answer in time',
    labelNames: ['metric'],
    registers: [registry],
  });
}
