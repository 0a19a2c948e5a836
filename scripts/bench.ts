// npm run bench — the venue's FIX order-entry throughput and latency against QuickFIX C++ and the floor, in one
// run, with the same independent load client (fixload, C++) in its own process, over loopback TCP.
//
// Servers: the floor (rawexec: frames and answers, nothing else), the QuickFIX C++ baseline (qfexec: FileStore,
// dictionary validation, one fill per order) and the venue in two set-ups: with the clearing workers inside the
// venue process (config/bench.json as it is) and with them in a process of their own (the same config with
// clearing.workers.inProcess = false, plus the built `npm run worker`), both on a private redis-server. The venue is
// built by tsc from HEAD's committed src/ (or the working tree's) and runs under `node --trace-gc`. Each measured
// run gets a freshly started server with empty state.
// Scenarios: 1 session at full speed (window 256), 4 sessions at full speed (window 128), 1 session at a fixed
// 5,000 and at 20,000 orders/s (latency). Each run is preceded by a short full-speed warm-up on the same server, so
// the JIT of the venue is measured warm (the same warm-up is given to every server); CPU, latency and collections
// are counted for the measured run only. Runs are interleaved (rep by rep, server by server) so that the
// machine's noise falls on all servers alike; the tables show medians.
//
// Options: --runs N (default 3), --scale F (order counts x F), --servers floor,quickfix,venue,venue-worker,
//          --scenarios one,four,rate,rate20k, --profile (afterwards, CPU-profile the venue under the 4-session
//          load; --profile-scenario one|rate|rate20k for another load),
//          --profile-only (just the profile), --working-tree (build the venue from src/ as it is on disk
//          instead of the committed HEAD; the commit is then printed with "+dirty" when src/ differs from it).

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPeers, buildVenue, type VenueBuild } from './bench/build.js';
import { summariseProfile, formatProfile } from './bench/cpu-profile.js';
import { runFixload, type LoadSpec } from './bench/fixload.js';
import { PROFILE_DIR, RESULTS_DIR, VENUE_CONFIG } from './bench/paths.js';
import { loadVenueConfig } from '../src/config/load-config.js';
import { checkGoals, formatGcTable, formatTable, type Measurement, type Scenario } from './bench/report.js';
import { isVenue, SERVER_LABELS, startServer, type RunningServer, type ServerKind, type ServerLaunch } from './bench/servers.js';

const ALL_SESSIONS = ['BENCH1', 'BENCH2', 'BENCH3', 'BENCH4'];

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
    servers: { type: 'string', default: 'floor,quickfix,venue,venue-worker' },
    scenarios: { type: 'string', default: 'one,four,rate,rate20k' },
    profile: { type: 'boolean', default: false },
    'profile-only': { type: 'boolean', default: false },
    'working-tree': { type: 'boolean', default: false },
    'profile-scenario': { type: 'string', default: 'four' },
  },
  strict: true,
});

const RUNS = Math.max(1, Number.parseInt(opts.runs, 10) || 3);
const SCALE = Number(opts.scale) > 0 ? Number(opts.scale) : 1;
const even = (n: number): number => Math.max(2, 2 * Math.round((n * SCALE) / 2)); // even: every buy meets a sell

const SCENARIOS: Scenario[] = [
  { id: 'one', title: '1 session, window 256', sessions: ['BENCH1'], ordersPerSession: even(100_000), options: ['--window', '256'] },
  { id: 'four', title: '4 sessions, window 128', sessions: ALL_SESSIONS, ordersPerSession: even(50_000), options: ['--window', '128'] },
  { id: 'rate', title: '1 session, 5,000 orders/s', sessions: ['BENCH1'], ordersPerSession: even(25_000), options: ['--rate', '5000'], rate: 5_000 },
  { id: 'rate20k', title: '1 session, 20,000 orders/s', sessions: ['BENCH1'], ordersPerSession: even(100_000), options: ['--rate', '20000'], rate: 20_000 },
];
const WARMUP_PER_SESSION = even(10_000);

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const running = new Set<RunningServer>();

function describeScenario(sc: Scenario): string {
  return `${sc.title}: ${sc.sessions.length} x ${sc.ordersPerSession.toLocaleString('en-US')} orders`;
}

async function measure(kind: ServerKind, sc: Scenario, launch: ServerLaunch, fixload: string, runName: string): Promise<Omit<Measurement, 'rep'>> {
  const server = await startServer(kind, launch, runName);
  running.add(server);
  try {
    const warm = await runFixload(fixload, server.port, { sessions: sc.sessions, ordersPerSession: WARMUP_PER_SESSION, options: ['--window', '128'] });
    if (warm.problem) log(`    warm-up on ${SERVER_LABELS[kind]} was not clean: ${warm.problem}`);
    const load: LoadSpec = { sessions: sc.sessions, ordersPerSession: sc.ordersPerSession, options: sc.options };
    const windowStart = performance.now();
    const cpuBefore = server.cpuSeconds();
    const workerBefore = server.workerCpuSeconds();
    const run = await runFixload(fixload, server.port, load);
    const cpuAfter = server.cpuSeconds();
    const workerAfter = server.workerCpuSeconds();
    const windowEnd = performance.now();
    const acked = run.result?.acked ?? 0;
    const perOrder = (before: number | null, after: number | null): number | null =>
      before === null || after === null || acked === 0 ? null : ((after - before) * 1e6) / acked;
    const cpuUsPerOrder = perOrder(cpuBefore, cpuAfter);
    const workerCpuUsPerOrder = perOrder(workerBefore, workerAfter);
    running.delete(server);
    const code = await server.stop();
    if (code !== 0 && isVenue(kind)) log(`    ${SERVER_LABELS[kind]} exited with ${code}; see ${server.logFile}`);
    // Read after the stop, when every line V8 printed during the window has arrived.
    const gc = server.gcBetween(windowStart, windowEnd);
    return { server: kind, scenario: sc.id, run, cpuUsPerOrder, workerCpuUsPerOrder, gc };
  } finally {
    if (running.delete(server)) await server.stop();
  }
}

async function profileVenue(launch: ServerLaunch, fixload: string): Promise<void> {
  const scenario = SCENARIOS.find((s) => s.id === opts['profile-scenario']);
  if (!scenario) throw new Error(`bench: unknown --profile-scenario ${opts['profile-scenario']} (one, four, rate, rate20k)`);
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  mkdirSync(PROFILE_DIR, { recursive: true });
  log(`\nProfiling the venue (node --cpu-prof) under ${describeScenario(scenario)} after the warm-up`);
  const profiled: ServerLaunch = { ...launch, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-interval', '200'] };
  const { run } = await measure('venue', scenario, profiled, fixload, 'profile');
  log(`  under the profiler: ${run.line}${run.problem ? `  (${run.problem})` : ''}`);
  const file = readdirSync(PROFILE_DIR).find((f) => f.endsWith('.cpuprofile'));
  if (!file) {
    log('  no .cpuprofile was written (did the venue exit cleanly?)');
    return;
  }
  const path = join(PROFILE_DIR, file);
  log(`  profile: ${path} (open in Chrome DevTools > Performance, or speedscope)\n`);
  log(formatProfile(summariseProfile(path), 30));
}

/** Every scenario on every server, RUNS times, interleaved so the machine's noise falls on all alike. */
async function runAll(scenarios: Scenario[], servers: ServerKind[], launch: ServerLaunch, fixload: string): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (let rep = 1; rep <= RUNS; rep++) {
    for (const sc of scenarios) {
      for (const kind of servers) {
        const m = await measure(kind, sc, launch, fixload, `${kind}-${sc.id}`);
        measurements.push({ ...m, rep });
        const r = m.run.result;
        const cpu = m.cpuUsPerOrder === null ? '' : `, server CPU ${m.cpuUsPerOrder.toFixed(1)} µs/order`;
        const worker = m.workerCpuUsPerOrder === null ? '' : ` (+ clearing process ${m.workerCpuUsPerOrder.toFixed(1)})`;
        const gc = m.gc === null ? '' : `, ${m.gc.scavenges} scavenges, ${m.gc.markCompacts} mark-compacts`;
        const figures = r ? `${Math.round(r.orders_per_s).toLocaleString('en-US')} orders/s, p50 ${r.latency_us.p50} µs, p99 ${r.latency_us.p99} µs${cpu}` : '';
        log(`  [${rep}/${RUNS}] ${sc.title.padEnd(27)} ${SERVER_LABELS[kind].padEnd(26)} ${figures}${worker}${gc}${m.run.problem ? `  NOT CORRECT: ${m.run.problem}` : ''}`);
      }
    }
  }
  return measurements;
}

function buildVenueOrFallBack(): VenueBuild {
  if (opts['working-tree']) return buildVenue('working-tree', log);
  try {
    return buildVenue('head', log);
  } catch (err) {
    // Someone committed half a change: measure what is on disk rather than nothing, and say so.
    log(`bench: WARNING: HEAD does not compile, so the working tree is measured instead:\n${(err as Error).message.split('\n').slice(0, 6).join('\n')}`);
    return buildVenue('working-tree', log);
  }
}

async function main(): Promise<void> {
  const servers = opts.servers.split(',').map((s) => s.trim()) as ServerKind[];
  for (const s of servers) if (!(s in SERVER_LABELS)) throw new Error(`bench: unknown server ${s} (floor, quickfix, venue, venue-worker)`);
  const scenarios = SCENARIOS.filter((s) => opts.scenarios.split(',').includes(s.id));

  const peers = buildPeers(log);
  if (peers.quickfixProblem) log(`bench: WARNING: the QuickFIX baseline will not run: ${peers.quickfixProblem}`);
  const measured = servers.filter((s) => s !== 'quickfix' || peers.qfexec !== null);
  const venue = buildVenueOrFallBack();
  // The venue always runs under --trace-gc (its collections are counted per measured window). BENCH_VENUE_NODE_FLAGS:
  // extra node flags for the venue process, for diagnosis (the log is in .bench/runs/<server>-<scenario>/); NODE_OPTIONS
  // refuses most V8 flags.
  const extraFlags = (process.env.BENCH_VENUE_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '' && f !== '--trace-gc');
  const launch: ServerLaunch = {
    rawexec: peers.rawexec,
    qfexec: peers.qfexec,
    venueMain: venue.main,
    workerMain: venue.workerMain,
    nodeFlags: ['--trace-gc', ...extraFlags],
  };
  if (opts['profile-only']) {
    await profileVenue(launch, peers.fixload);
    return;
  }

  const clearing = loadVenueConfig(VENUE_CONFIG, {}).clearing;
  const startLoad = loadavg()[0]!.toFixed(2);
  const started = Date.now();
  log(`FIX order entry over loopback TCP, client: fixload (C++, separate process), ${RUNS} run(s) per cell, warm-up ${WARMUP_PER_SESSION.toLocaleString('en-US')} orders/session`);
  log(`venue: node ${process.version} --trace-gc .bench/dist/main.js --config config/bench.json, commit ${venue.commit} (tsc build of ${venue.description}), each run with its own private redis-server`);
  log(
    `clearing: config/bench.json has clearing.workers.inProcess = ${clearing.workers.inProcess} (concurrency ${clearing.workers.concurrency}); ` +
      `"${SERVER_LABELS.venue}" runs it as it is, "${SERVER_LABELS['venue-worker']}" with inProcess = false and the workers in node .bench/dist/clearing/worker-main.js (npm run worker) on the same redis-server`,
  );
  for (const sc of scenarios) log(`  ${describeScenario(sc)}`);
  const measurements = await runAll(scenarios, measured, launch, peers.fixload);

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const endLoad = loadavg()[0]!.toFixed(2);
  const conditions = `commit ${venue.commit}, medians of ${RUNS} run(s), ${cpus().length} CPUs, load average ${startLoad} at start, ${endLoad} at end`;
  const header = `Medians of ${RUNS} run(s); venue at commit ${venue.commit}; ${cpus().length} CPUs, load average ${startLoad} at start, ${endLoad} at end; ${minutes} min`;
  const table = formatTable(scenarios, measured, measurements);
  const gcTable = formatGcTable(scenarios, measured, measurements);
  const goals = measured.filter(isVenue).flatMap((v) => [
    '',
    `Goals of issue 13 for "${SERVER_LABELS[v]}" (${conditions}):`,
    ...checkGoals(measurements, measured, v, scenarios).map((g) => `  ${g.text}`),
  ]);
  const missing = peers.quickfixProblem ? [`NOTE: QuickFIX baseline missing: ${peers.quickfixProblem}`] : [];
  const text = [
    header,
    '',
    table,
    '',
    'Garbage collection in the venue process during each measured run (node --trace-gc; warm-up excluded; event loop isolate, other threads counted apart):',
    '',
    gcTable,
    ...goals,
    ...missing,
  ].join('\n');
  log(`\n${text}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(RESULTS_DIR, `bench-${stamp}.json`), JSON.stringify({ commit: venue.commit, venue: venue.description, scenarios, measurements }, null, 1));
  writeFileSync(join(RESULTS_DIR, 'latest.md'), `${text}\n`);
  log(`\nraw results: .bench/results/bench-${stamp}.json (table also in .bench/results/latest.md)`);
  if (opts.profile) await profileVenue(launch, peers.fixload);
}

const stopAll = async (): Promise<void> => {
  await Promise.all([...running].map((s) => s.stop()));
};
process.on('SIGINT', () => {
  void stopAll().then(() => process.exit(130));
});

main().catch(async (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  await stopAll();
  process.exit(1);
});
