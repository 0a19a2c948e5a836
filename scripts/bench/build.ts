// Builds what the benchmark runs: the three peer programs (g++, from the shared folder, into .bench/bin) and the
// venue (tsc into .bench/dist). Each is rebuilt only when its sources changed since the last build (the venue's
// build is keyed on a hash of the sources it is compiled from).

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN_DIR, PEERS_DIR, REPO, VENUE_DIST, VENUE_SRC } from './paths.js';

export interface PeerBinaries {
  fixload: string;
  rawexec: string;
  /** null when QuickFIX could not be built; `quickfixProblem` says why. */
  qfexec: string | null;
  quickfixProblem: string | null;
}

const QUICKFIX_HEADER = '/usr/include/quickfix/Session.h';
const tsc = (): string => join(REPO, 'node_modules', '.bin', 'tsc');

function isFresh(output: string, sourceMtime: number): boolean {
  return existsSync(output) && statSync(output).mtimeMs >= sourceMtime;
}

function run(cmd: string, args: string[], what: string): string | null {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8' });
  if (r.error) return `${what}: ${r.error.message}`;
  if (r.status !== 0) return `${what} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trim()}`;
  return null;
}

function compilePeer(name: string, extraArgs: string[], std: string): string | null {
  const source = join(PEERS_DIR, `${name}.cpp`);
  const output = join(BIN_DIR, name);
  if (!existsSync(source)) return `${source} is missing`;
  if (isFresh(output, statSync(source).mtimeMs)) return null;
  return run('g++', ['-O2', `-std=${std}`, '-w', '-o', output, source, ...extraArgs], `g++ ${name}.cpp`);
}

/** Installs Debian's libquickfix-dev when we are root on a Debian-like system; returns why not otherwise. */
function installQuickfix(log: (line: string) => void): string | null {
  if (process.getuid?.() !== 0) return 'not root, so cannot apt-get install it';
  if (spawnSync('apt-get', ['--version']).status !== 0) return 'apt-get is not available';
  log('bench: libquickfix-dev is missing; installing it (apt-get update && apt-get install -y libquickfix-dev)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { encoding: 'utf8', env });
  if (update.status !== 0) return `apt-get update failed: ${(update.stderr || '').trim().split('\n').pop()}`;
  const install = spawnSync('apt-get', ['install', '-y', 'libquickfix-dev'], { encoding: 'utf8', env });
  if (install.status !== 0) return `apt-get install -y libquickfix-dev failed: ${(install.stderr || '').trim().split('\n').pop()}`;
  return null;
}

export function buildPeers(log: (line: string) => void): PeerBinaries {
  mkdirSync(BIN_DIR, { recursive: true });
  for (const name of ['fixload', 'rawexec']) {
    const problem = compilePeer(name, [], 'c++17');
    if (problem) throw new Error(`bench: cannot build ${name}: ${problem}`);
  }
  let quickfixProblem: string | null = null;
  if (!existsSync(QUICKFIX_HEADER)) {
    const why = installQuickfix(log);
    if (why !== null || !existsSync(QUICKFIX_HEADER)) {
      quickfixProblem = `QuickFIX C++ (Debian's libquickfix-dev) is not installed and could not be installed: ${why ?? 'headers still missing'}. Install it with: apt-get update && apt-get install -y libquickfix-dev`;
    }
  }
  if (quickfixProblem === null) {
    const problem = compilePeer('qfexec', ['-lquickfix', '-lpthread'], 'c++14');
    if (problem) quickfixProblem = `cannot build qfexec: ${problem}`;
  }
  return {
    fixload: join(BIN_DIR, 'fixload'),
    rawexec: join(BIN_DIR, 'rawexec'),
    qfexec: quickfixProblem === null ? join(BIN_DIR, 'qfexec') : null,
    quickfixProblem,
  };
}

/**
 * Copies every file under `srcDir` that tsc does not compile (e.g. the ops dashboard's assets) to the same place
 * under `outDir`, as `npm run build` does for the files the running venue reads next to its modules.
 */
function copyAssets(srcDir: string, outDir: string): void {
  for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
    const from = join(srcDir, entry.name);
    const to = join(outDir, entry.name);
    if (entry.isDirectory()) copyAssets(from, to);
    else if (!entry.name.endsWith('.ts')) {
      mkdirSync(outDir, { recursive: true });
      copyFileSync(from, to);
    }
  }
}

/** What the venue's build is made from: src/ and the two tsconfig files. */
const BUILD_INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

/** Every file under `dir` (relative paths, sorted), so that a hash over them does not depend on readdir order. */
function filesUnder(root: string, rel: string, out: string[]): string[] {
  const full = join(root, rel);
  if (!statSync(full).isDirectory()) {
    out.push(rel);
    return out;
  }
  for (const name of readdirSync(full).sort()) filesUnder(root, join(rel, name), out);
  return out;
}

/**
 * A hash of the build inputs' contents under `root`: the key the build is cached under. The same key for the
 * committed tree and an identical working tree, so switching between them does not rebuild, and any edit does.
 */
function sourceKey(root: string): string {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    if (!existsSync(join(root, input))) continue;
    for (const rel of filesUnder(root, input, [])) {
      hash.update(rel).update('\0').update(readFileSync(join(root, rel))).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Exports HEAD's build inputs to .bench/venue-src (replacing what was there). */
function exportHead(rev: string): void {
  rmSync(VENUE_SRC, { recursive: true, force: true });
  mkdirSync(VENUE_SRC, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', rev, ...BUILD_INPUTS], { cwd: REPO, maxBuffer: 1 << 28 });
  const unpacked = spawnSync('tar', ['-x', '-C', VENUE_SRC], { input: tar });
  if (unpacked.status !== 0) throw new Error(`bench: cannot unpack HEAD's src/: ${String(unpacked.stderr)}`);
}

export interface VenueBuild {
  /** Entry point of the venue (node <main> --config ...). */
  main: string;
  /** Entry point of the clearing worker process (`npm run worker`, built). */
  workerMain: string;
  /** The commit measured: HEAD's hash, with "+dirty" when the working tree's src/ differs from it and is measured. */
  commit: string;
  /** One line for the output: what was compiled. */
  description: string;
}

/**
 * Compiles the venue with the project's build settings into .bench/dist, cached under a hash of the sources.
 * 'head': the committed src/ of HEAD (exported to .bench/venue-src), so half-finished edits in a shared working
 * tree never end up in the numbers; 'working-tree': src/ as it is on disk (to try a change before committing).
 */
export function buildVenue(source: 'head' | 'working-tree', log: (line: string) => void): VenueBuild {
  const main = join(VENUE_DIST, 'main.js');
  const workerMain = join(VENUE_DIST, 'clearing', 'worker-main.js');
  const stampFile = join(VENUE_DIST, '.built-from');
  const previous = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  const short = rev.slice(0, 10);
  exportHead(rev);
  const headKey = sourceKey(VENUE_SRC);
  const root = source === 'head' ? VENUE_SRC : REPO;
  const key = source === 'head' ? headKey : sourceKey(REPO);
  const dirty = key !== headKey;
  const commit = dirty ? `${short}+dirty` : short;
  const description =
    source === 'head'
      ? `committed src/ at ${short}`
      : `src/ of the working tree at ${commit}${dirty ? ' (uncommitted changes included)' : ' (same as HEAD)'}`;
  const build: VenueBuild = { main, workerMain, commit, description };
  if (previous === key && existsSync(main) && existsSync(workerMain)) return build;
  log(`bench: compiling the venue from ${description} (tsc -p tsconfig.build.json --outDir .bench/dist)`);
  rmSync(VENUE_DIST, { recursive: true, force: true });
  const problem = run(tsc(), ['-p', join(root, 'tsconfig.build.json'), '--outDir', VENUE_DIST], 'tsc');
  if (problem) throw new Error(`bench: cannot build the venue: ${problem}`);
  copyAssets(join(root, 'src'), VENUE_DIST);
  writeFileSync(stampFile, key);
  return build;
}

