// npm run test:under-load -- --runs N: the stability check for `npm test` on a loaded machine. Runs the whole
// suite N times in a row while worker threads beside it each spin one core at 100%, then prints one table
// (run, result, passing, failing, time, load average) and the title and first error line of every failing test.
// A test that reads a result before the event that produces it shows up here long before it shows up in CI.
//
//   npm run test:under-load                 5 runs, one spinning core
//   npm run test:under-load -- --runs 3 --spinners 2
//
// Each run's mocha JSON report and output are kept in var/test-under-load/. Exits 1 when any run failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    spinners: { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const spinners = Number(values.spinners);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, not ${values.runs}`);
if (!Number.isInteger(spinners) || spinners < 0) throw new Error(`--spinners must be a whole number ≥ 0, not ${values.spinners}`);

const outDir = path.resolve('var', 'test-under-load');
fs.mkdirSync(outDir, { recursive: true });

interface MochaFailure {
  fullTitle: string;
  err: { message?: string };
}
interface MochaReport {
  stats: { passes: number; failures: number; pending: number };
  failures: MochaFailure[];
}
interface RunRow {
  run: number;
  exitCode: number;
  passing: number;
  failing: number;
  pending: number;
  seconds: number;
  load: string;
  failures: Array<{ title: string; reason: string }>;
}

// The CPU-heavy neighbour: a thread per core that never yields (the main thread stays free to watch the runs).
const SPIN = 'for (;;) { Math.sqrt(Math.random()); }';
const burners = Array.from({ length: spinners }, () => new Worker(SPIN, { eval: true }));

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(' ');
}

function runSuite(run: number): Promise<RunRow> {
  const report = path.join(outDir, `run-${run}.json`);
  const logFile = path.join(outDir, `run-${run}.log`);
  fs.rmSync(report, { force: true });
  const log = fs.openSync(logFile, 'w');
  const started = Date.now();
  const load = loadAverage();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['test', '--', '--reporter', 'json', '--reporter-option', `output=${report}`], {
      stdio: ['ignore', log, log],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      fs.closeSync(log);
      const seconds = Math.round((Date.now() - started) / 1000);
      const exitCode = code ?? (signal !== null ? 128 : 1);
      if (!fs.existsSync(report)) {
        // mocha died before it could report (a crash outside any test): count the run as one failure.
        resolve({ run, exitCode, passing: 0, failing: 1, pending: 0, seconds, load, failures: [{ title: '(no report: mocha exited early)', reason: `exit ${exitCode}, see ${logFile}` }] });
        return;
      }
      const r = JSON.parse(fs.readFileSync(report, 'utf8')) as MochaReport;
      resolve({
        run, exitCode, seconds, load,
        passing: r.stats.passes, failing: r.stats.failures, pending: r.stats.pending,
        failures: r.failures.map((f) => ({ title: f.fullTitle, reason: (f.err.message ?? '').split('\n')[0]!.slice(0, 200) })),
      });
    });
  });
}

function table(rows: RunRow[]): string {
  const head = ['run', 'result', 'passing', 'failing', 'pending', 'seconds', 'load avg at start (1/5/15 min)'];
  const body = rows.map((r) => [
    String(r.run), r.failing === 0 && r.exitCode === 0 ? 'pass' : 'FAIL', String(r.passing), String(r.failing), String(r.pending), String(r.seconds), r.load,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const out = (s: string): void => void process.stdout.write(`${s}\n`);
out(`npm test × ${runs}, with ${spinners} spinning core(s) beside it, on ${os.cpus().length} cores (reports in ${path.relative(process.cwd(), outDir)}/)`);
const rows: RunRow[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const row = await runSuite(run);
    rows.push(row);
    out(`run ${run}: ${row.passing} passing, ${row.failing} failing, ${row.seconds} s`);
  }
} finally {
  await Promise.all(burners.map((b) => b.terminate()));
}

out('');
out(table(rows));
const failing = rows.reduce((n, r) => n + r.failing, 0);
out('');
out(`runs: ${rows.length}, failed runs: ${rows.filter((r) => r.failing > 0 || r.exitCode !== 0).length}, failing tests in total: ${failing}`);
for (const r of rows) for (const f of r.failures) out(`  run ${r.run}: ${f.title}\n      ${f.reason}`);
process.exitCode = rows.every((r) => r.failing === 0 && r.exitCode === 0) ? 0 : 1;
