// The soak table: one row per scenario (or per fault of a scenario), as `npm run soak` prints it.

export interface SoakRow {
  scenario: string;
  durationMs: number;
  /** Orders (and amends) the members sent. */
  orders: number;
  /** Faults injected (kills, outages, hostile messages …). */
  faults: number;
  lost: number;
  duplicates: number;
  /** Longest time from a fault to full recovery (ms); null when the scenario has no recovery to time. */
  maxRecoveryMs: number | null;
  /** Anything else the row should say (throughput ratio, memory, …). */
  notes?: string;
}

export interface ScenarioResult {
  rows: SoakRow[];
  /** Every broken invariant, named; empty when the scenario passed. */
  violations: string[];
}

const HEADERS = ['scenario', 'duration', 'orders', 'faults injected', 'orders lost', 'duplicates', 'max recovery', 'notes'];

function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatTable(rows: readonly SoakRow[]): string {
  const cells = rows.map((r) => [
    r.scenario,
    seconds(r.durationMs),
    String(r.orders),
    String(r.faults),
    String(r.lost),
    String(r.duplicates),
    r.maxRecoveryMs === null ? '-' : `${Math.round(r.maxRecoveryMs)} ms`,
    r.notes ?? '',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
