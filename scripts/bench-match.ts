// npm run bench:match — throughput and latency of the venue matching core, against nodejs-order-book as
// the JavaScript baseline, plus journal replay speed.
//
// Workloads (scripts/bench/workload.ts): exchange-core's published mix (9% GTC, 3% IOC, 6% cancel,
// 82% replace/move, ~1,000 resting orders, 1,000 accounts) and the same mix over a deep book (~100k
// resting orders). Commands are generated in chunks outside the timed region.
//
//   full speed      apply every command back to back; throughput per chunk, median reported
//   1 M cmds/s      each command is due at start + i µs; a busy-wait releases it no earlier; latency is
//                   measured from the due time (so a stall also delays what queues behind it)
//   baseline        the same command stream on nodejs-order-book (limit GTC/IOC, cancel, modify)
//
// Environment: BENCH_COMMANDS (default 3000000), BENCH_CHUNK (100000), BENCH_REPLAY (1000000),
// BENCH_PROFILES (e.g. "core" or "deep"; default both), BENCH_RATE (commands/s, default 1000000).
//
// Self-trade prevention is off (mode None) so that our core and the baseline match the same way.
//
// Extending: pre-trade stages (e.g. risk checks) go in PRE_TRADE_STAGES; each sees every command before
// the core and returns the command to pass on: the same one, or the RejectCommand that replaces it (as in
// the service pipeline). Every table then includes their cost.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as hdr from 'hdr-histogram-js';
import { OrderBook, Side as ObSide, type LimitOrderOptions } from 'nodejs-order-book';
import { Venue } from '../src/venue/core/venue.js';
import { JournaledVenue } from '../src/venue/journal/journaled-venue.js';
import {
  BENCH_SPEC,
  DEEP_BOOK_MIX,
  EXCHANGE_CORE_MIX,
  KIND_NAMES,
  WorkloadGenerator,
  type Chunk,
  type WorkloadProfile,
} from './bench/workload.js';
import type { VenueCommand } from '../src/venue/model/commands.js';
import { Side, StpMode } from '../src/venue/model/enums.js';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3_000_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 100_000);
const REPLAY = Number(process.env.BENCH_REPLAY ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000_000);
/** Latency windows: p99 per window of this many commands (10 ms at 1 M/s) separates stalls from steady state. */
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10_000);
const PROFILE_FILTER = process.env.BENCH_PROFILES ?? 'core,deep';
const SEED = 20240101;

/** Pre-trade stages run before the core for every command; each returns what goes on (cmd or a refusal). */
type PreTradeStage = (cmd: VenueCommand) => VenueCommand;
const PRE_TRADE_STAGES: PreTradeStage[] = [];

// A collector between chunks (outside timing) keeps old-generation garbage from landing inside them.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const now = (): number => performance.now() * 1e6; // ns

function venueConfig() {
  return { instruments: [BENCH_SPEC], stp: { defaultMode: StpMode.None, scope: 'account' as const } };
}

function buildTarget(venue: Venue): (cmd: VenueCommand) => void {
  let events = 0;
  venue.subscribe(() => {
    events++; // a listener that does the least a real one would: look at every event
  });
  if (PRE_TRADE_STAGES.length === 0) return (cmd) => void venue.apply(cmd);
  const stages = PRE_TRADE_STAGES;
  return (cmd) => {
    let next = cmd;
    for (let i = 0; i < stages.length; i++) next = stages[i]!(next);
    venue.apply(next);
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmtRate(perSec: number): string {
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M/s` : `${(perSec / 1e3).toFixed(0)} k/s`;
}

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${Math.round(ns)} ns`;
}

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });
}

// ------------------------------------------------------------------ runs

interface ThroughputResult {
  median: number;
  overall: number;
  chunks: number[];
  /** Commands per second of CPU time the process actually got (robust to being descheduled). */
  perCpuSecond: number;
}

function chunks(profile: WorkloadProfile, each: (gen: WorkloadGenerator, chunk: Chunk) => void, prefill: (chunk: Chunk) => void): void {
  const gen = new WorkloadGenerator(profile, SEED);
  prefill(gen.prefill());
  let left = COMMANDS;
  while (left > 0) {
    const n = Math.min(CHUNK, left);
    const chunk = gen.next(n);
    gc();
    each(gen, chunk);
    left -= n;
  }
}

function runFullSpeed(profile: WorkloadProfile): ThroughputResult {
  const venue = new Venue(venueConfig());
  const target = buildTarget(venue);
  const rates: number[] = [];
  let total = 0;
  let totalNs = 0;
  let cpuMicros = 0;
  chunks(profile, (_gen, chunk) => {
    const cmds = chunk.commands;
    const cpu0 = process.cpuUsage();
    const t0 = now();
    for (let i = 0; i < cmds.length; i++) target(cmds[i]!);
    const dt = now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
    rates.push((cmds.length * 1e9) / dt);
    total += cmds.length;
    totalNs += dt;
  }, (pre) => {
    for (const c of pre.commands) target(c);
  });
  return { median: median(rates), overall: (total * 1e9) / totalNs, chunks: rates, perCpuSecond: (total * 1e6) / cpuMicros };
}

interface LatencyResult {
  all: hdr.Histogram;
  service: hdr.Histogram;
  perKind: hdr.Histogram[];
  achievedRate: number;
  /** p99 of each chunk (window) on its own: shows how much of the tail is a few stalls. */
  windowP99: number[];
  /** CPU time the process got over wall time while pacing (the busy-wait keeps it near 1 unless descheduled). */
  cpuShare: number;
}

function runPaced(profile: WorkloadProfile): LatencyResult {
  const venue = new Venue(venueConfig());
  const target = buildTarget(venue);
  const all = newHistogram();
  const service = newHistogram();
  const perKind = KIND_NAMES.map(() => newHistogram());
  const interval = 1e9 / RATE;
  // Raw timings go to typed arrays inside the loop (two stores); histograms are filled after the chunk.
  const latencies = new Float64Array(CHUNK);
  const window = newHistogram();
  const windowP99: number[] = [];
  const services = new Float64Array(CHUNK);
  let sent = 0;
  let elapsed = 0;
  let cpuMicros = 0;
  chunks(profile, (_gen, chunk) => {
    const cmds = chunk.commands;
    const kinds = chunk.kinds;
    const cpuBefore = process.cpuUsage();
    // One clock read per command when behind schedule, a spin when ahead. (performance.now() allocates
    // a little on Node 20, so fewer reads also means fewer young-generation collections.)
    let t = now();
    const start = t + 10_000;
    for (let i = 0; i < cmds.length; i++) {
      const due = start + i * interval;
      while (t < due) t = now();
      const began = t;
      target(cmds[i]!);
      t = now();
      latencies[i] = t - due;
      services[i] = t - began;
    }
    elapsed += now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicros += cpu.user + cpu.system;
    sent += cmds.length;
    if (process.env.BENCH_DEBUG) {
      let worst = 0;
      let at = 0;
      let slow = 0;
      for (let i = 0; i < cmds.length; i++) {
        if (services[i]! > worst) {
          worst = services[i]!;
          at = i;
        }
        if (services[i]! > 20_000) slow++;
      }
      console.log(`  chunk: worst service ${fmtNs(worst)} at #${at} (${cmds[at]!.type}), ${slow} over 20 µs`);
    }
    window.reset();
    for (let i = 0; i < cmds.length; i++) {
      const latency = Math.max(1, Math.round(latencies[i]!));
      all.recordValue(latency);
      window.recordValue(latency);
      if ((i + 1) % WINDOW === 0 || i === cmds.length - 1) {
        windowP99.push(window.getValueAtPercentile(99));
        window.reset();
      }
      perKind[kinds[i]!]!.recordValue(latency);
      service.recordValue(Math.max(1, Math.round(services[i]!)));
    }
  }, (pre) => {
    for (const c of pre.commands) target(c);
  });
  return { all, service, perKind, achievedRate: (sent * 1e9) / elapsed, windowP99, cpuShare: (cpuMicros * 1e3) / elapsed };
}

function runBaseline(profile: WorkloadProfile): ThroughputResult {
  const ob = new OrderBook();
  const rates: number[] = [];
  let total = 0;
  let totalNs = 0;
  let cpuMicros = 0;
  const sideOf = (s: Side): ObSide => (s === Side.Buy ? ObSide.BUY : ObSide.SELL);
  // The package does not export its TimeInForce enum; its values are these strings.
  const IOC = 'IOC' as LimitOrderOptions['timeInForce'];
  const GTC = 'GTC' as LimitOrderOptions['timeInForce'];
  const run = (chunk: Chunk): number => {
    const cmds = chunk.commands;
    const ids = chunk.baselineIds;
    const t0 = now();
    for (let i = 0; i < cmds.length; i++) {
      const cmd = cmds[i]!;
      switch (cmd.type) {
        case 'new':
          ob.limit({ side: sideOf(cmd.side), id: ids[i]!, size: cmd.qty, price: cmd.price, timeInForce: cmd.timeInForce === 3 ? IOC : GTC });
          break;
        case 'cancel':
          ob.cancel(ids[i]!);
          break;
        case 'replace':
          ob.modify(ids[i]!, { price: cmd.price });
          break;
        default:
          break;
      }
    }
    return now() - t0;
  };
  chunks(profile, (_gen, chunk) => {
    const cpu0 = process.cpuUsage();
    const dt = run(chunk);
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
    rates.push((chunk.commands.length * 1e9) / dt);
    total += chunk.commands.length;
    totalNs += dt;
  }, (pre) => void run(pre));
  return { median: median(rates), overall: (total * 1e9) / totalNs, chunks: rates, perCpuSecond: (total * 1e6) / cpuMicros };
}

async function runReplay(): Promise<{ commands: number; ms: number; bytes: number; writeRate: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-journal-'));
  const gen = new WorkloadGenerator(EXCHANGE_CORE_MIX, SEED);
  const writer = new JournaledVenue(venueConfig(), { dir, fsync: 'none', autoCommit: false });
  await writer.open();
  let written = 0;
  let writeNs = 0;
  const pre = gen.prefill();
  for (const c of pre.commands) writer.apply(c);
  await writer.commit();
  written += pre.commands.length;
  while (written < REPLAY) {
    const chunk = gen.next(Math.min(CHUNK, REPLAY - written));
    gc();
    const t0 = now();
    // Group commit as in service: a batch per "turn" of 1,000 commands.
    for (let i = 0; i < chunk.commands.length; i++) {
      writer.apply(chunk.commands[i]!);
      if (i % 1000 === 999) await writer.commit();
    }
    await writer.commit();
    writeNs += now() - t0;
    written += chunk.commands.length;
  }
  await writer.close();
  const bytes = fs.statSync(path.join(dir, 'journal.bin')).size;
  gc();
  const reader = new JournaledVenue(venueConfig(), { dir, fsync: 'none', autoCommit: false });
  const report = await reader.open();
  await reader.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { commands: report.replayedCommands, ms: report.durationMs, bytes, writeRate: ((written - pre.commands.length) * 1e9) / writeNs };
}

// ------------------------------------------------------------------ report

function latencyRows(label: string, h: hdr.Histogram): string {
  const p = (q: number): string => fmtNs(h.getValueAtPercentile(q)).padStart(10);
  return `| ${label.padEnd(16)} | ${String(h.totalCount).padStart(9)} | ${p(50)} | ${p(99)} | ${p(99.9)} | ${fmtNs(h.maxValue).padStart(10)} |`;
}

async function main(): Promise<void> {
  console.log(`# bench:match — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores)`);
  console.log(`${COMMANDS.toLocaleString('en')} commands per run, chunks of ${CHUNK.toLocaleString('en')}, pre-trade stages: ${PRE_TRADE_STAGES.length}\n`);
  const profiles = [
    ['core', EXCHANGE_CORE_MIX],
    ['deep', DEEP_BOOK_MIX],
  ] as const;
  for (const [key, profile] of profiles) {
    if (!PROFILE_FILTER.includes(key)) continue;
    console.log(`## ${profile.name}`);
    const ours = runFullSpeed(profile);
    const base = runBaseline(profile);
    console.log('| engine                 | median chunk | overall    | min chunk  | per CPU-second |');
    console.log('|------------------------|--------------|------------|------------|----------------|');
    for (const [name, r] of [['venue core', ours], ['nodejs-order-book', base]] as const) {
      console.log(`| ${name.padEnd(22)} | ${fmtRate(r.median).padStart(12)} | ${fmtRate(r.overall).padStart(10)} | ${fmtRate(Math.min(...r.chunks)).padStart(10)} | ${fmtRate(r.perCpuSecond).padStart(14)} |`);
    }
    console.log(`ratio: ${(ours.median / base.median).toFixed(1)}× nodejs-order-book (median chunk), ${(ours.perCpuSecond / base.perCpuSecond).toFixed(1)}× per CPU-second\n`);

    const paced = runPaced(profile);
    console.log(`latency at ${fmtRate(RATE)} (achieved ${fmtRate(paced.achievedRate)}), measured from each command's due time:`);
    console.log('| command          |     count |        p50 |        p99 |      p99.9 |        max |');
    console.log('|------------------|-----------|------------|------------|------------|------------|');
    paced.perKind.forEach((h, k) => {
      if (h.totalCount > 0) console.log(latencyRows(KIND_NAMES[k]!, h));
    });
    console.log(latencyRows('all', paced.all));
    console.log(latencyRows('service time', paced.service));
    const w = paced.windowP99;
    console.log(`CPU time / wall time while pacing: ${(100 * paced.cpuShare).toFixed(1)}% (below ~99% the process was descheduled; load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores)`);
    const under5 = w.filter((x) => x < 5_000).length;
    console.log(`p99 per ${WINDOW.toLocaleString('en')}-command window: median ${fmtNs(median(w))}, best ${fmtNs(Math.min(...w))}, worst ${fmtNs(Math.max(...w))}; under 5 µs in ${under5} of ${w.length} windows`);
    console.log('');
  }
  const replay = await runReplay();
  console.log('## journal');
  console.log(`write (apply + group commit every 1,000, no fsync): ${fmtRate(replay.writeRate)}`);
  console.log(`replay: ${replay.commands.toLocaleString('en')} commands (${(replay.bytes / 1e6).toFixed(1)} MB) in ${(replay.ms / 1000).toFixed(2)} s = ${fmtRate((replay.commands * 1000) / replay.ms)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
