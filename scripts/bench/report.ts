// Medians over repeated runs, the server x scenario table, the venue's ratios to QuickFIX and to the floor, and
// the issue's goals checked against this run's numbers (never against figures from elsewhere).

import type { FixloadRun } from './fixload.js';
import { SERVER_LABELS, type ServerKind } from './servers.js';

export interface Scenario {
  id: 'one' | 'four' | 'rate';
  title: string;
  sessions: string[];
  ordersPerSession: number;
  options: string[];
}

export interface Measurement {
  server: ServerKind;
  scenario: Scenario['id'];
  rep: number;
  run: FixloadRun;
  /** CPU time the server process spent (all its threads) per acknowledged order during the measured run. */
  cpuUsPerOrder: number | null;
}

export interface Summary {
  server: ServerKind;
  scenario: Scenario['id'];
  correct: number;
  total: number;
  /** Medians over the correct runs; null when none was correct. */
  ordersPerS: number | null;
  p50: number | null;
  p99: number | null;
  p999: number | null;
  cpuUsPerOrder: number | null;
}

/** The middle value; for an even count the lower middle, so every figure is one fixload actually printed. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

export function summarise(all: Measurement[], server: ServerKind, scenario: Scenario['id']): Summary {
  const runs = all.filter((m) => m.server === server && m.scenario === scenario);
  const correct = runs.filter((m) => m.run.problem === null && m.run.result !== null);
  const good = correct.map((m) => m.run.result!);
  return {
    server,
    scenario,
    correct: good.length,
    total: runs.length,
    ordersPerS: median(good.map((r) => r.orders_per_s)),
    p50: median(good.map((r) => r.latency_us.p50)),
    p99: median(good.map((r) => r.latency_us.p99)),
    p999: median(good.map((r) => r.latency_us.p999)),
    cpuUsPerOrder: median(correct.flatMap((m) => (m.cpuUsPerOrder === null ? [] : [m.cpuUsPerOrder]))),
  };
}

const int = (n: number | null): string => (n === null ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const micros = (n: number | null): string => (n === null ? 'n/a' : n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const ratio = (a: number | null, b: number | null): string => (a === null || b === null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);

export function formatTable(scenarios: Scenario[], servers: ServerKind[], all: Measurement[]): string {
  const rows: string[] = [
    '| scenario | server | orders/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/order | correct runs |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const sc of scenarios) {
    const byServer = new Map(servers.map((s) => [s, summarise(all, s, sc.id)] as const));
    let first = true;
    for (const s of servers) {
      const m = byServer.get(s)!;
      const title = first ? sc.title : '';
      first = false;
      rows.push(`| ${title} | ${SERVER_LABELS[s]} | ${int(m.ordersPerS)} | ${micros(m.p50)} | ${micros(m.p99)} | ${micros(m.p999)} | ${micros(m.cpuUsPerOrder)} | ${m.correct}/${m.total} |`);
    }
    const venue = byServer.get('venue');
    if (!venue) continue;
    for (const base of ['quickfix', 'floor'] as const) {
      const b = byServer.get(base);
      if (!b) continue;
      rows.push(
        `| | venue/${base === 'quickfix' ? 'QuickFIX' : 'floor'} | ${ratio(venue.ordersPerS, b.ordersPerS)} | ${ratio(venue.p50, b.p50)} | ${ratio(venue.p99, b.p99)} | ${ratio(venue.p999, b.p999)} | ${ratio(venue.cpuUsPerOrder, b.cpuUsPerOrder)} | |`,
      );
    }
  }
  return rows.join('\n');
}

export interface GoalCheck {
  text: string;
  met: boolean | null;
}

/** The issue's goals: >= 250,000 orders/s with 4 sessions and >= 8x QuickFIX; p99 at 5,000/s <= QuickFIX's. */
export function checkGoals(all: Measurement[], servers: ServerKind[]): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const four = summarise(all, 'venue', 'four');
  const fourQf = servers.includes('quickfix') ? summarise(all, 'quickfix', 'four') : null;
  if (four.ordersPerS === null) {
    goals.push({ text: 'throughput goal (>= 250,000 orders/s with 4 sessions, >= 8x QuickFIX): no correct venue run', met: null });
  } else {
    const vsQf = fourQf?.ordersPerS ? four.ordersPerS / fourQf.ordersPerS : null;
    const absolute = four.ordersPerS >= 250_000;
    const relative = vsQf === null ? null : vsQf >= 8;
    goals.push({
      text: `throughput, 4 sessions: venue ${int(four.ordersPerS)} orders/s (goal >= 250,000: ${absolute ? 'met' : 'NOT met'}); ${
        vsQf === null ? 'QuickFIX not measured' : `${vsQf.toFixed(2)}x QuickFIX (goal >= 8x: ${relative ? 'met' : 'NOT met'})`
      }`,
      met: absolute && relative !== false,
    });
  }
  const rate = summarise(all, 'venue', 'rate');
  const rateQf = servers.includes('quickfix') ? summarise(all, 'quickfix', 'rate') : null;
  if (rate.p99 === null || rateQf?.p99 == null) {
    goals.push({ text: 'latency goal (p99 at 5,000 orders/s <= QuickFIX): not measurable in this run (a correct venue and QuickFIX run are both needed)', met: null });
  } else {
    const met = rate.p99 <= rateQf.p99;
    goals.push({ text: `latency at 5,000 orders/s: venue p99 ${micros(rate.p99)} µs vs QuickFIX ${micros(rateQf.p99)} µs (goal: no worse: ${met ? 'met' : 'NOT met'})`, met });
  }
  return goals;
}
