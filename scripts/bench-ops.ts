// npm run bench:ops — what the ops metrics add to the order path.
//
// The venue core applies the exchange-core command mix (GTC, IOC, cancels, moves; ~1k resting orders), generated
// before timing. Variants: the core alone (baseline); + ops' venue-event counters (every accepted/trade/cancel/
// reject event counted per instrument and reason); + the order→ack latency ring as the FIX engine drives it (a
// clock read per order message, a flush every 20 commands). Rounds alternate the variants on fresh cores;
// reported: median process CPU ns per command and the ratio to the baseline (the machine is shared: CPU time of
// this process, medians, same run).

import { Registry } from 'prom-client';
import { HistogramFamily, LATENCY_BUCKETS_SECONDS } from '../src/ops/metrics/cells.js';
import { AckLatency } from '../src/ops/metrics/ack-latency.js';
import { VenueMetrics } from '../src/ops/metrics/venue-metrics.js';
import type { VenueSource } from '../src/ops/sources.js';
import { Venue } from '../src/venue/core/venue.js';
import { EXCHANGE_CORE_MIX, BENCH_SPEC, WorkloadGenerator, type Chunk } from './bench/workload.js';
import { StpMode } from '../src/venue/model/enums.js';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FLUSH_EVERY = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function freshVenue(prefill: Chunk): Venue {
  const venue = new Venue({ instruments: [BENCH_SPEC], stp: { defaultMode: StpMode.None, scope: 'account' } });
  for (const cmd of prefill.commands) venue.apply(cmd);
  return venue;
}

type Variant = 'core' | 'counters' | 'counters+ack';
const VARIANTS: Variant[] = ['core', 'counters', 'counters+ack'];

function withOps(venue: Venue): { ack: AckLatency; close(): void } {
  const registry = new Registry();
  const source: VenueSource = {
    instruments: [BENCH_SPEC],
    queries: venue,
    submit: (cmd) => venue.apply(cmd),
    subscribe: (listener) => venue.subscribe(listener),
    journalError: () => null,
    observeJournalCommits: () => {},
  };
  const metrics = new VenueMetrics(registry, source);
  metrics.start();
  const family = new HistogramFamily(registry, 'bench_ack_seconds', 'bench', LATENCY_BUCKETS_SECONDS, ['msg_type']);
  const ack = new AckLatency(['D', 'F', 'G'].map((t) => family.cell(t)));
  return { ack, close: () => metrics.close() };
}

const MSG_TYPES = ['D', 'D', 'F', 'G'] as const; // by CommandKind: GTC, IOC, cancel, replace

function run(prefill: Chunk, work: Chunk, variant: Variant): number {
  const venue = freshVenue(prefill);
  const hooks = variant === 'core' ? null : withOps(venue);
  const { commands, kinds } = work;
  const cpu0 = process.cpuUsage();
  if (hooks === null || variant === 'counters') {
    for (let i = 0; i < commands.length; i++) venue.apply(commands[i]!);
  } else {
    const ack = hooks.ack;
    let flushStart = performance.now();
    for (let i = 0; i < commands.length; i++) {
      ack.arrived(MSG_TYPES[kinds[i]!]!);
      venue.apply(commands[i]!);
      if (i % FLUSH_EVERY === FLUSH_EVERY - 1) {
        const now = performance.now();
        ack.flushed(flushStart, now);
        flushStart = now;
      }
    }
  }
  const cpu = process.cpuUsage(cpu0);
  hooks?.close();
  return ((cpu.user + cpu.system) * 1000) / commands.length;
}

const gen = new WorkloadGenerator(EXCHANGE_CORE_MIX, 7);
const prefill = gen.prefill();
const work = gen.next(COMMANDS);
// Warm-up of every path (JIT) before anything is timed.
const warm = gen.next(20_000);
for (const v of VARIANTS) run(prefill, warm, v);

const results = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
for (let r = 0; r < ROUNDS; r++) for (const v of VARIANTS) results.get(v)!.push(run(prefill, work, v));
const base = median(results.get('core')!);
process.stdout.write(`bench:ops — ${COMMANDS} commands (${EXCHANGE_CORE_MIX.name}), ${ROUNDS} rounds, process CPU per command\n`);
process.stdout.write('| variant | median ns/command | added ns | ratio | rounds (ns/command) |\n|---|---|---|---|---|\n');
for (const v of VARIANTS) {
  const xs = results.get(v)!;
  const m = median(xs);
  process.stdout.write(`| ${v} | ${m.toFixed(0)} | ${(m - base).toFixed(0)} | ${(m / base).toFixed(3)} | ${xs.map((x) => x.toFixed(0)).join(', ')} |\n`);
}
