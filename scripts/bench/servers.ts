// The three servers the same load client is pointed at, each started as its own process on a free port with
// fresh state, and stopped (SIGTERM, then SIGKILL after a grace period) when its run is over.
//   floor    rawexec: frames and answers with a canned ExecutionReport; the least a server can do
//   quickfix qfexec: QuickFIX C++ with FileStore and dictionary validation, one fill per order
//   venue    ours: node .bench/dist/main.js --config config/bench.json (journal, matching, record, FIX store),
//            with emptied data folders and a private redis-server of its own (never the machine's default Redis)

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve, sep } from 'node:path';
import { freePort, startTestRedis, type TestRedis } from '../../test/support/redis-server.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { DICTIONARY, REPO, RUNS_DIR, VENUE_CONFIG } from './paths.js';

export type ServerKind = 'floor' | 'quickfix' | 'venue';

export const SERVER_LABELS: Record<ServerKind, string> = {
  floor: 'floor (rawexec)',
  quickfix: 'QuickFIX C++ (qfexec)',
  venue: 'venue (node, built JS)',
};

export interface RunningServer {
  kind: ServerKind;
  port: number;
  /** Where the server's stdout/stderr went. */
  logFile: string;
  /** CPU seconds (user + system, all threads) the process has used so far; null when unreadable. */
  cpuSeconds(): number | null;
  /** Stops the server; resolves with its exit code (null when it had to be killed). */
  stop(): Promise<number | null>;
}

export interface ServerLaunch {
  rawexec: string;
  qfexec: string | null;
  venueMain: string;
  /** Extra node flags for the venue process (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

const SESSIONS = ['BENCH1', 'BENCH2', 'BENCH3', 'BENCH4'];

function waitForListener(port: number, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePort, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`server exited (${child.exitCode ?? child.signalCode}) before listening on ${port}; see ${logFile}:\n${tail(logFile)}`));
        return;
      }
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolvePort();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`server did not listen on ${port} within ${timeoutMs} ms; see ${logFile}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '(no output)';
  }
}

function stopper(child: ChildProcess, graceMs: number): () => Promise<number | null> {
  return () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done(child.exitCode);
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
      child.kill('SIGTERM');
    });
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build that matters here

/** utime + stime of a process from /proc (Linux), in seconds. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start behind the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function qfexecSettings(port: number, storeDir: string): string {
  const lines = [
    '[DEFAULT]',
    'ConnectionType=acceptor',
    `SocketAcceptPort=${port}`,
    'SocketReuseAddress=Y',
    'SocketNodelay=Y',
    'StartTime=00:00:00',
    'EndTime=00:00:00',
    'SenderCompID=VENUE',
    'ResetOnLogon=Y',
    `FileStorePath=${storeDir}`,
    'UseDataDictionary=Y',
    `DataDictionary=${DICTIONARY}`,
  ];
  for (const s of SESSIONS) lines.push('[SESSION]', 'BeginString=FIX.4.4', `TargetCompID=${s}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The venue's data and session folders from config/bench.json, emptied so every run starts with no journal,
 * record or FIX store (fixload's ClOrdIDs repeat between runs). Refuses to delete anything outside the repo's var/.
 */
function freshVenueData(): void {
  const settings = loadVenueConfig(VENUE_CONFIG, {});
  const varDir = resolve(REPO, 'var');
  for (const dir of [settings.dataDir, settings.sessionsDir]) {
    const rel = relative(varDir, dir);
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) {
      throw new Error(`bench: ${VENUE_CONFIG} points a data folder at ${dir}, outside ${varDir}; not deleting it`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startServer(kind: ServerKind, launch: ServerLaunch, runName: string): Promise<RunningServer> {
  const port = await freePort();
  const runDir = join(RUNS_DIR, runName);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const logFile = join(runDir, `${kind}.log`);
  const out = createWriteStream(logFile);
  let child: ChildProcess;
  let redis: TestRedis | null = null;
  if (kind === 'floor') {
    child = spawn(launch.rawexec, [String(port), 'VENUE'], { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
  } else if (kind === 'quickfix') {
    if (launch.qfexec === null) throw new Error('bench: qfexec is not built');
    const settingsFile = join(runDir, 'qfexec.cfg');
    writeFileSync(settingsFile, qfexecSettings(port, join(runDir, 'store')));
    child = spawn(launch.qfexec, [settingsFile], { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    freshVenueData();
    redis = await startTestRedis();
    const env: NodeJS.ProcessEnv = { ...process.env, FIX_PORT: String(port), ADMIN_PORT: String(await freePort()), REDIS_URL: redis.url };
    delete env.LOG_LEVEL; // the bench profile's own level (warn) applies
    child = spawn(process.execPath, [...(launch.nodeFlags ?? []), launch.venueMain, '--config', VENUE_CONFIG], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once('exit', () => setTimeout(() => out.end(), 50));
  const stop = stopper(child, kind === 'venue' ? 30_000 : 5_000);
  const stopAll = async (): Promise<number | null> => {
    const code = await stop();
    await redis?.dispose();
    return code;
  };
  try {
    await waitForListener(port, child, logFile, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    await redis?.dispose();
    throw err;
  }
  const pid = child.pid ?? -1;
  return { kind, port, logFile, cpuSeconds: () => cpuSecondsOf(pid), stop: stopAll };
}
