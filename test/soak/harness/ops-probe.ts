// What ops see of a running venue: /ready, /metrics and the admin API, read the way a probe or Prometheus would.

import type { VenueProcess } from './venue-process.js';

export interface Component {
  name: string;
  status: 'up' | 'degraded' | 'down';
  reason: string;
  critical: boolean;
}

export interface Readiness {
  httpStatus: number;
  status: string;
  components: Component[];
}

export async function readiness(venue: VenueProcess): Promise<Readiness> {
  const res = await fetch(`${venue.adminBase}/ready`);
  const body = (await res.json()) as { status: string; components?: Component[] };
  return { httpStatus: res.status, status: body.status, components: body.components ?? [] };
}

export function component(r: Readiness, name: string): Component | undefined {
  return r.components.find((c) => c.name === name);
}

/** Polls /ready until `cond` holds; resolves with the readiness and when it held (ms since epoch). */
export async function waitForReadiness(venue: VenueProcess, cond: (r: Readiness) => boolean, timeoutMs: number): Promise<{ readiness: Readiness; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let last: Readiness | null = null;
  for (;;) {
    try {
      last = await readiness(venue);
      if (cond(last)) return { readiness: last, at: Date.now() };
    } catch {
      // not answering (starting): try again
    }
    if (Date.now() > deadline) throw new Error(`/ready never matched within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function metricsText(venue: VenueProcess): Promise<string> {
  return (await fetch(`${venue.adminBase}/metrics`)).text();
}

/** Sum of a metric's samples whose label set contains every given label (Prometheus text format). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m === null || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}
