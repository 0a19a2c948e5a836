// Medians over repeated runs, the server x scenario table, the venue's ratios to QuickFIX and to the floor, and
// the issue's goals checked against this run's numbers (never against figures from elsewhere).

import type { FixloadRun } from './fixload.js';
import type { GcWindowSummary } from './gc-trace.js';
import { isVenue, SERVER_LABELS, type ServerKind } from './servers.js';

export interface Scenario {
  id: 'one' | 'four' | 'rate' | 'rate20k';
  title: string;
  sessions: string[];
  ordersPerSession: number;
  options: string[];
  /** The fixed rate (orders/s per session) of a latency scenario; absent at full speed. */
  rate?: number;
}

export interface Measurement {
  server: ServerKind;
  scenario: Scenario['id'];
  rep: number;
  run: FixloadRun;
  /** CPU time the server process spent (all its threads) per acknowledged order during the measured run. */
  cpuUsPerOrder: number | null;
  /** The same for the clearing worker process (venue-worker only). */
  workerCpuUsPerOrder: number | null;
  /** The venue's collections during the measured run (venues only). */
  gc: GcWindowSummary | null;
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
  workerCpuUsPerOrder: number | null;
  /** Medians of the correct runs' collection figures. */
  scavenges: number | null;
  markCompacts: number | null;
  gcPauseMs: number | null;
  longestScavengeFreeMs: number | null;
  windowMs: number | null;
  otherThreadGcs: number | null;
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
  const gcs = correct.flatMap((m) => (m.gc === null ? [] : [m.gc]));
  const figure = (of: (m: Measurement) => number | null): number | null => median(correct.flatMap((m) => { const v = of(m); return v === null ? [] : [v]; }));
  return {
    server,
    scenario,
    correct: good.length,
    total: runs.length,
    ordersPerS: median(good.map((r) => r.orders_per_s)),
    p50: median(good.map((r) => r.latency_us.p50)),
    p99: median(good.map((r) => r.latency_us.p99)),
    p999: median(good.map((r) => r.latency_us.p999)),
    cpuUsPerOrder: figure((m) => m.cpuUsPerOrder),
    workerCpuUsPerOrder: figure((m) => m.workerCpuUsPerOrder),
    scavenges: median(gcs.map((g) => g.scavenges)),
    markCompacts: median(gcs.map((g) => g.markCompacts)),
    gcPauseMs: median(gcs.map((g) => g.pauseMs)),
    longestScavengeFreeMs: median(gcs.map((g) => g.longestScavengeFreeMs)),
    windowMs: median(gcs.map((g) => g.windowMs)),
    otherThreadGcs: median(gcs.map((g) => g.otherThreads)),
  };
}

const int = (n: number | null): string => (n === null ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const micros = (n: number | null): string => (n === null ? 'n/a' : n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const ratio = (a: number | null, b: number | null): string => (a === null || b === null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);

const VENUE_SHORT: Partial<Record<ServerKind, string>> = { venue: 'venue', 'venue-worker': 'venue+clearing process' };

export function formatTable(scenarios: Scenario[], servers: ServerKind[], all: Measurement[]): string {
  const rows: string[] = [
    '| scenario | server | orders/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/order | clearing process CPU µs/order | correct runs |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const sc of scenarios) {
    const byServer = new Map(servers.map((s) => [s, summarise(all, s, sc.id)] as const));
    let first = true;
    for (const s of servers) {
      const m = byServer.get(s)!;
      const title = first ? sc.title : '';
      first = false;
      const worker = s === 'venue-worker' ? micros(m.workerCpuUsPerOrder) : '';
      rows.push(`| ${title} | ${SERVER_LABELS[s]} | ${int(m.ordersPerS)} | ${micros(m.p50)} | ${micros(m.p99)} | ${micros(m.p999)} | ${micros(m.cpuUsPerOrder)} | ${worker} | ${m.correct}/${m.total} |`);
    }
    for (const v of servers.filter(isVenue)) {
      const venue = byServer.get(v)!;
      for (const base of ['quickfix', 'floor'] as const) {
        const b = byServer.get(base);
        if (!b) continue;
        rows.push(
          `| | ${VENUE_SHORT[v]}/${base === 'quickfix' ? 'QuickFIX' : 'floor'} | ${ratio(venue.ordersPerS, b.ordersPerS)} | ${ratio(venue.p50, b.p50)} | ${ratio(venue.p99, b.p99)} | ${ratio(venue.p999, b.p999)} | ${ratio(venue.cpuUsPerOrder, b.cpuUsPerOrder)} | | |`,
        );
      }
    }
  }
  return rows.join('\n');
}

const seconds = (ms: number | null): string => (ms === null ? 'n/a' : (ms / 1000).toFixed(2));

/** The venue's collections inside each measured window (medians of the correct runs; the warm-up is not in it). */
export function formatGcTable(scenarios: Scenario[], servers: ServerKind[], all: Measurement[]): string {
  const rows: string[] = [
    '| scenario | server | scavenges | mark-compacts | GC pause ms | longest scavenge-free s | window s | other threads\' GCs |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const sc of scenarios) {
    let first = true;
    for (const s of servers.filter(isVenue)) {
      const m = summarise(all, s, sc.id);
      rows.push(
        `| ${first ? sc.title : ''} | ${SERVER_LABELS[s]} | ${int(m.scavenges)} | ${int(m.markCompacts)} | ${micros(m.gcPauseMs)} | ${seconds(m.longestScavengeFreeMs)} | ${seconds(m.windowMs)} | ${int(m.otherThreadGcs)} |`,
      );
      first = false;
    }
  }
  return rows.join('\n');
}

export interface GoalCheck {
  text: string;
  met: boolean | null;
}

/** "met" / "NOT met" / "not measured" for a goal that may lack its figures. */
const verdict = (met: boolean | null): string => (met === null ? 'not measured' : met ? 'met' : 'NOT met');

/** Goals are checked for at least this long a scavenge-free stretch at 5,000 orders/s ("seconds at a time"). */
export const SCAVENGE_FREE_GOAL_MS = 2_000;

/**
 * Issue 13's goals for one venue set-up, against this run's medians only (never figures from elsewhere):
 * CPU per order at full speed (4 sessions) <= 4 µs and 8x less than QuickFIX's; 4-session throughput >= 8x
 * QuickFIX; at 5,000/s p50 <= 50 µs and p99 <= QuickFIX's p99; at 20,000/s p99 within 2x of the venue's p99 at
 * 5,000/s; at 5,000/s a scavenge-free stretch of seconds.
 */
export function checkGoals(all: Measurement[], servers: ServerKind[], venue: ServerKind, scenarios: Scenario[]): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const qf = (id: Scenario['id']): Summary | null => (servers.includes('quickfix') ? summarise(all, 'quickfix', id) : null);
  const add = (met: boolean | null, text: string): void => {
    goals.push({ met, text: `${verdict(met)}: ${text}` });
  };

  const four = summarise(all, venue, 'four');
  const fourQf = qf('four');
  const cpu = four.cpuUsPerOrder;
  const cpuQf = fourQf?.cpuUsPerOrder ?? null;
  add(
    cpu === null ? null : cpu <= 4 && (cpuQf === null || cpu * 8 <= cpuQf),
    `CPU per order at full speed (4 sessions) <= 4 µs and <= 1/8 of QuickFIX's: venue ${micros(cpu)} µs, QuickFIX ${micros(cpuQf)} µs (${cpu === null || cpuQf === null ? 'n/a' : `${(cpuQf / cpu).toFixed(2)}x less`})`,
  );
  const tput = four.ordersPerS;
  const tputQf = fourQf?.ordersPerS ?? null;
  add(
    tput === null || tputQf === null ? null : tput >= 8 * tputQf,
    `throughput with 4 sessions >= 8x QuickFIX: venue ${int(tput)} orders/s, QuickFIX ${int(tputQf)} (${ratio(tput, tputQf)})`,
  );

  // A latency figure counts only if the venue kept up with the rate asked for; behind it, latency is queueing.
  const keptUp = (m: Summary): boolean => {
    const target = scenarios.find((sc) => sc.id === m.scenario)?.rate;
    return target === undefined || m.ordersPerS === null || m.ordersPerS >= 0.95 * target;
  };
  const behind = (m: Summary): string => (keptUp(m) ? '' : `; the venue did not keep up: ${int(m.ordersPerS)} orders/s`);
  // When the baseline fell behind too, the machine was saturated; say so beside the comparison.
  const qfBehind = (m: Summary | null): string => (m === null || keptUp(m) ? '' : `; QuickFIX did not keep up either: ${int(m.ordersPerS)} orders/s`);
  const rate = summarise(all, venue, 'rate');
  const rateQf = qf('rate');
  add(
    rate.p50 === null ? null : rate.p50 <= 50 && keptUp(rate),
    `p50 at 5,000 orders/s <= 50 µs: venue ${micros(rate.p50)} µs (QuickFIX ${micros(rateQf?.p50 ?? null)} µs)${behind(rate)}`,
  );
  const qfP99 = rateQf?.p99 ?? null;
  add(
    rate.p99 === null || qfP99 === null ? null : rate.p99 <= qfP99 && keptUp(rate),
    `p99 at 5,000 orders/s <= QuickFIX's: venue ${micros(rate.p99)} µs, QuickFIX ${micros(qfP99)} µs (${ratio(rate.p99, qfP99)})${behind(rate)}${qfBehind(rateQf)}`,
  );
  const fast = summarise(all, venue, 'rate20k');
  add(
    fast.p99 === null || rate.p99 === null ? null : fast.p99 <= 2 * rate.p99 && keptUp(fast) && keptUp(rate),
    `p99 at 20,000 orders/s within 2x of p99 at 5,000/s: ${micros(fast.p99)} µs vs ${micros(rate.p99)} µs (${ratio(fast.p99, rate.p99)})${behind(fast)}`,
  );
  const free = rate.longestScavengeFreeMs;
  const every = rate.scavenges === null || rate.windowMs === null || rate.scavenges === 0 ? null : rate.windowMs / rate.scavenges;
  add(
    free === null ? null : free >= SCAVENGE_FREE_GOAL_MS && keptUp(rate),
    `no young-generation collection for seconds at a time at 5,000 orders/s (longest scavenge-free stretch >= ${seconds(SCAVENGE_FREE_GOAL_MS)} s): ` +
      `longest ${seconds(free)} s of a ${seconds(rate.windowMs)} s window, ${int(rate.scavenges)} scavenges (one every ${every === null ? 'n/a' : `${Math.round(every)} ms`}), ${int(rate.markCompacts)} mark-compacts${behind(rate)}`,
  );
  return goals;
}
