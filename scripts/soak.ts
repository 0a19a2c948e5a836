// npm run soak: the reliability and security proof at full size (issue 9). Runs every scenario of test/soak against
// the venue as a separate process and prints one table: scenario, duration, orders, faults injected, orders lost,
// duplicates, max recovery time. Exits 1 when any row lost or doubled something or broke an invariant (listed
// below the table), or when the full-speed sessions kept less than 80% of their solo throughput, or when the watching
// member's median round trip more than doubled under attack.
//
//   npm run soak                       everything (about 10-15 minutes on 2 cores)
//   npm run soak -- --only crash,hostile
//   npm run soak -- --seed 7 --sessions 500

import { parseArgs } from 'node:util';
import { formatTable, type ScenarioResult, type SoakRow } from '../test/soak/harness/report.js';
import { CRASH_KILLS, runCrashUnderLoad } from '../test/soak/scenarios/crash-under-load.js';
import { runDiskFull } from '../test/soak/scenarios/disk-full.js';
import { runHostileInput } from '../test/soak/scenarios/hostile-input.js';
import { runManySessions } from '../test/soak/scenarios/many-sessions.js';
import { runRedisOutage } from '../test/soak/scenarios/redis-outage.js';
import { runRouteHang } from '../test/soak/scenarios/route-hang.js';
import { runWorkerKill } from '../test/soak/scenarios/worker-kill.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    sessions: { type: 'string', default: '500' },
  },
});
const seed = Number(values.seed);
const only = values.only?.split(',') ?? null;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

type Scenario = { group: string; name: string; run: () => Promise<ScenarioResult> };

const scenarios: Scenario[] = [
  // Crash under load: each kill point in its own run (so a row says which one broke), then all of them in one history.
  ...CRASH_KILLS.map((kill, i) => ({
    group: 'crash',
    name: `crash: ${kill.name}`,
    run: () => runCrashUnderLoad({ seed: seed + i, sessions: 6, rate: 150, kills: [kill, kill, kill], finalMs: 5000, log }),
  })),
  { group: 'crash', name: 'crash: every kill point in one history', run: () => runCrashUnderLoad({ seed: seed + 10, sessions: 6, rate: 150, kills: CRASH_KILLS, finalMs: 5000, log }) },
  { group: 'faults', name: 'Redis stopped, data kept', run: () => runRedisOutage({ seed: seed + 20, sessions: 6, rate: 150, outageMs: 10_000, keepData: true, log }) },
  { group: 'faults', name: 'Redis killed, back empty', run: () => runRedisOutage({ seed: seed + 21, sessions: 6, rate: 150, outageMs: 5_000, keepData: false, log }) },
  { group: 'faults', name: 'worker killed mid-job', run: () => runWorkerKill({ seed: seed + 22, sessions: 6, rate: 150, kills: 5, log }) },
  { group: 'faults', name: 'journal disk full', run: () => runDiskFull({ seed: seed + 23, sessions: 6, rate: 150, target: 'journal', fullMs: 5_000, log }) },
  { group: 'faults', name: 'session store disk full', run: () => runDiskFull({ seed: seed + 24, sessions: 6, rate: 150, target: 'store', fullMs: 5_000, log }) },
  { group: 'faults', name: 'routed venue hangs', run: () => runRouteHang({ seed: seed + 25, sessions: 6, rate: 40, hangMs: 10_000, log }) },
  {
    group: 'hostile',
    name: 'hostile input',
    run: async () => {
      const r = await runHostileInput({ seed: seed + 30, fuzzMs: 60_000, floodLogons: 500, log });
      const ratio = r.attackMedianMs / r.baselineMedianMs;
      if (!(ratio <= 2)) r.violations.push(`the watching member's median round trip went from ${r.baselineMedianMs.toFixed(2)} to ${r.attackMedianMs.toFixed(2)} ms under attack (${ratio.toFixed(2)}x > 2x)`);
      return r;
    },
  },
  {
    group: 'sessions',
    name: 'many sessions',
    run: async () => {
      const r = await runManySessions({ crowd: Number(values.sessions), heartBtInt: 5, phaseMs: 15_000, trickleEveryMs: 5_000, window: 64, rounds: 3, log });
      if (r.ratio < 0.8) r.violations.push(`full-speed sessions kept ${(r.ratio * 100).toFixed(0)}% of their solo throughput (< 80%)`);
      return r;
    },
  },
];

async function main(): Promise<void> {
  const rows: SoakRow[] = [];
  const problems: string[] = [];
  const started = Date.now();
  for (const s of scenarios) {
    if (only !== null && !only.includes(s.group)) continue;
    log(`\n== ${s.name}`);
    try {
      const result = await s.run();
      rows.push(...result.rows);
      problems.push(...result.violations.map((v) => `${s.name}: ${v}`));
    } catch (err) {
      problems.push(`${s.name}: did not complete: ${(err as Error).stack ?? String(err)}`);
      rows.push({ scenario: `${s.name} (did not complete)`, durationMs: 0, orders: 0, faults: 0, lost: NaN, duplicates: NaN, maxRecoveryMs: null });
    }
  }
  log(`\nSoak, seed ${seed}, ${Math.round((Date.now() - started) / 1000)} s in all:\n`);
  log(formatTable(rows));
  if (problems.length > 0) {
    log(`\n${problems.length} problem(s):`);
    for (const p of problems.slice(0, 200)) log(`  - ${p}`);
    process.exitCode = 1;
  } else log('\nNothing lost, nothing doubled, every invariant held.');
}

main().then(
  () => process.exit(),
  (err: unknown) => {
    process.stderr.write(`soak: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
