// The three servers the same load client is pointed at, each started as its own process on a free port with
// fresh state, and stopped (SIGTERM, then SIGKILL after a grace period) when its run is over.
//   floor    rawexec: frames and answers with a canned ExecutionReport; the least a server can do
//   quickfix qfexec: QuickFIX C++ with FileStore and dictionary validation, one fill per order
//   venue    ours: node .bench/dist/main.js --config config/bench.json (journal, matching, record, FIX store),
//            with emptied data folders and a private redis-server of its own (never the machine's default Redis);
//            config/bench.json runs the clearing workers inside the venue process (clearing.workers.inProcess)
//   venue-worker  the same venue with clearing.workers.inProcess = false, and the clearing workers in a process of
//            their own (`npm run worker`, built: node .bench/dist/clearing/worker-main.js) on the same redis-server
// The venue runs under `node --trace-gc`; its collections are read from its stdout (gc-trace.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve, sep } from 'node:path';
import { freePort, startTestRedis, type TestRedis } from '../../test/support/redis-server.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { GcTrace, type GcWindowSummary } from './gc-trace.js';
import { DICTIONARY, REPO, RUNS_DIR, VENUE_CONFIG } from './paths.js';

export type ServerKind = 'floor' | 'quickfix' | 'venue' | 'venue-worker';

export const SERVER_LABELS: Record<ServerKind, string> = {
  floor: 'floor (rawexec)',
  quickfix: 'QuickFIX C++ (qfexec)',
  venue: 'venue, clearing in-process',
  'venue-worker': 'venue + clearing process',
};

export const isVenue = (kind: ServerKind): boolean => kind === 'venue' || kind === 'venue-worker';

export interface RunningServer {
  kind: ServerKind;
  port: number;
  /** Where the server's stdout/stderr went. */
  logFile: string;
  /** CPU seconds (user + system, all threads) the process has used so far; null when unreadable. */
  cpuSeconds(): number | null;
  /** The same for the clearing worker process; null when there is none. */
  workerCpuSeconds(): number | null;
  /** The venue's collections between two performance.now() readings (null for the peers, or without --trace-gc). */
  gcBetween(startMs: number, endMs: number): GcWindowSummary | null;
  /** Stops the server; resolves with its exit code (null when it had to be killed). */
  stop(): Promise<number | null>;
}

export interface ServerLaunch {
  rawexec: string;
  qfexec: string | null;
  venueMain: string;
  /** The clearing worker's entry point, for 'venue-worker'. */
  workerMain: string;
  /** Extra node flags for the venue process (e.g. --cpu-prof, --trace-gc). */
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

/** config/bench.json with the clearing workers out of the venue process, in the run folder (paths made absolute). */
function separateWorkersConfig(runDir: string): string {
  const raw = JSON.parse(readFileSync(VENUE_CONFIG, 'utf8')) as {
    venue: { dataDir?: string; sessionsDir?: string };
    fix: { dictionary?: string };
    clearing?: { workers?: { inProcess?: boolean } };
  };
  const original = loadVenueConfig(VENUE_CONFIG, {});
  raw.venue.dataDir = original.dataDir;
  raw.venue.sessionsDir = original.sessionsDir;
  raw.fix.dictionary = original.fix.dictionary;
  raw.clearing = { ...raw.clearing, workers: { ...raw.clearing?.workers, inProcess: false } };
  const file = join(runDir, 'bench-clearing-process.json');
  writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
  // Everything but the one switch must come out the same; a path key this does not know about would not.
  const derived = loadVenueConfig(file, {});
  const same = (s: typeof original): string =>
    JSON.stringify({ ...s, file: '', clearing: { ...s.clearing, workers: { ...s.clearing.workers, inProcess: null } } });
  if (same(derived) !== same(original) || derived.clearing.workers.inProcess) {
    throw new Error(`bench: ${file} does not come out as ${VENUE_CONFIG} with clearing.workers.inProcess = false (a relative path the bench does not rewrite?)`);
  }
  return file;
}

interface ChildHandle {
  child: ChildProcess;
  stop: () => Promise<number | null>;
}

/** The clearing workers in their own process, started before the venue and ready when their metrics port answers. */
async function startClearingProcess(launch: ServerLaunch, config: string, redisUrl: string, out: NodeJS.WritableStream, logFile: string): Promise<ChildHandle> {
  const metricsPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redisUrl };
  delete env.LOG_LEVEL;
  const child = spawn(process.execPath, [launch.workerMain, '--config', config, '--metrics-port', String(metricsPort)], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const handle = { child, stop: stopper(child, 15_000) };
  try {
    await waitForListener(metricsPort, child, logFile, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return handle;
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
  let worker: ChildHandle | null = null;
  const gc = new GcTrace();
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
    const config = kind === 'venue' ? VENUE_CONFIG : separateWorkersConfig(runDir);
    if (kind === 'venue-worker') {
      try {
        worker = await startClearingProcess(launch, config, redis.url, out, logFile);
      } catch (err) {
        await redis.dispose();
        throw err;
      }
    }
    const env: NodeJS.ProcessEnv = { ...process.env, FIX_PORT: String(port), ADMIN_PORT: String(await freePort()), REDIS_URL: redis.url };
    delete env.LOG_LEVEL; // the bench profile's own level (warn) applies
    child = spawn(process.execPath, [...(launch.nodeFlags ?? []), launch.venueMain, '--config', config], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => gc.feed(d));
  }
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once('exit', () => setTimeout(() => out.end(), 50));
  const stop = stopper(child, isVenue(kind) ? 30_000 : 5_000);
  // The venue first (it hands its last trades to the queue as it stops), then the workers, then their Redis.
  const stopAll = async (): Promise<number | null> => {
    const code = await stop();
    await worker?.stop();
    await redis?.dispose();
    return code;
  };
  try {
    await waitForListener(port, child, logFile, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    worker?.child.kill('SIGKILL');
    await redis?.dispose();
    throw err;
  }
  const pid = child.pid ?? -1;
  const workerPid = worker?.child.pid ?? null;
  return {
    kind,
    port,
    logFile,
    cpuSeconds: () => cpuSecondsOf(pid),
    workerCpuSeconds: () => (workerPid === null ? null : cpuSecondsOf(workerPid)),
    gcBetween: (startMs, endMs) => (isVenue(kind) ? gc.summarise(startMs, endMs) : null),
    stop: stopAll,
  };
}
