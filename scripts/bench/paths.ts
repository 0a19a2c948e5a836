// Where the benchmark finds its inputs and puts its outputs. Everything it builds or writes goes under .bench/
// (gitignored); the peer programs are compiled from the shared folder and never copied into the repo.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const PEERS_DIR = process.env.BENCH_PEERS_DIR ?? join(REPO, '..', 'shared', 'peers');
export const BENCH_DIR = join(REPO, '.bench');
export const BIN_DIR = join(BENCH_DIR, 'bin');
/** The venue compiled by tsc (not dist/, so a bench never overwrites what `npm start` runs). */
export const VENUE_DIST = join(BENCH_DIR, 'dist');
/** HEAD's src/ exported for that build. */
export const VENUE_SRC = join(BENCH_DIR, 'venue-src');
export const RUNS_DIR = join(BENCH_DIR, 'runs');
export const PROFILE_DIR = join(BENCH_DIR, 'profiles');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const VENUE_CONFIG = join(REPO, 'config', 'bench.json');
export const DICTIONARY = join(REPO, 'fix-dictionaries', 'FIX44.xml');
