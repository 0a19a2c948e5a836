// Runs the independent load client (fixload, C++) as its own process and reads the one JSON line it prints.

import { spawn } from 'node:child_process';

export interface FixloadResult {
  sessions: number;
  sent: number;
  acked: number;
  ers: number;
  rejects: number;
  seconds: number;
  orders_per_s: number;
  latency_us: { p50: number; p90: number; p99: number; p999: number; max: number };
}

export interface FixloadRun {
  /** The parsed JSON line, or null when fixload printed none (see `problem`). */
  result: FixloadResult | null;
  exitCode: number | null;
  /** Why the run does not count as correct (every order acknowledged, no rejects), or null. */
  problem: string | null;
  /** The line exactly as printed. */
  line: string;
}

export interface LoadSpec {
  sessions: string[];
  ordersPerSession: number;
  /** fixload options besides --reset (e.g. ['--window', '256'] or ['--rate', '5000']). */
  options: string[];
}

const TIMEOUT_MS = 200_000; // fixload gives up by itself after 120 s of sending

function isResult(value: unknown): value is FixloadResult {
  const v = value as Partial<FixloadResult> | null;
  return typeof v === 'object' && v !== null && typeof v.orders_per_s === 'number' && typeof v.latency_us === 'object';
}

export function runFixload(fixload: string, port: number, load: LoadSpec): Promise<FixloadRun> {
  const args = ['127.0.0.1', String(port), 'VENUE', load.sessions.join(','), String(load.ordersPerSession), ...load.options, '--reset'];
  return new Promise((done) => {
    const child = spawn(fixload, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = null;
      }
      const result = isResult(parsed) ? parsed : null;
      let problem: string | null = null;
      if (result === null) problem = `no result (exit ${code}): ${line || stderr.trim() || 'no output'}`;
      else if (code !== 0) problem = `exit ${code}: ${result.acked} of ${result.sent} orders acknowledged`;
      else if (result.rejects !== 0) problem = `${result.rejects} rejects`;
      else if (result.acked !== load.sessions.length * load.ordersPerSession) problem = `acked ${result.acked}, expected ${load.sessions.length * load.ordersPerSession}`;
      done({ result, exitCode: code, problem, line });
    });
  });
}
