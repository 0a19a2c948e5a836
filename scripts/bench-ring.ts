// npm run bench:ring — what one hop between two threads costs through a SharedArrayBuffer single-producer /
// single-consumer ring (scripts/bench/spsc-ring.ts), the hop the N-core design in docs/benchmarks.md puts between
// each FIX shard thread and the matching thread. Two worker threads (neither is the main thread):
//
//   hand-off      the producer writes 64-byte messages (16 words) as fast as the ring takes them, the consumer reads
//                 and checks every word; wall time per message from the producer's first write to the consumer's
//                 last read (ring of 4,096 slots); each message made visible on its own, and in batches of 64
//                 (one shared store per batch, as a thread would publish once per event-loop turn)
//   round trip    one message there and one back (two rings), the next only after the answer; the sender times
//                 each round trip (p50 / p99 / p99.9 / max)
//
// each with three ways of waiting when there is nothing to read: spin (poll for ever), spin 2,000 polls then sleep
// in Atomics.wait (the other side notifies only a sleeper), and sleep at once (every hop pays a wake-up). Then the
// same again in a child process pinned to one CPU (taskset -c 0): what the design costs when the venue has one
// core, where the two threads can only take turns.
//
// Options: --rounds N (default 5; the tables show medians), --messages N (hand-off, default 2,000,000),
//          --trips N (round trips, default 100,000; 10,000 for "sleep at once" and on one core).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ringBytes, SLOT_WORDS, SpscRing } from './bench/spsc-ring.js';

type CaseKind = 'handoff' | 'roundtrip';
type Role = 'producer' | 'consumer' | 'pinger' | 'ponger' | 'alone';

interface Strategy {
  name: string;
  spins: number;
}

const STRATEGIES: Strategy[] = [
  { name: 'spin', spins: Number.POSITIVE_INFINITY },
  { name: 'spin 2,000 then sleep', spins: 2_000 },
  { name: 'sleep at once', spins: 0 },
];

const RING_SLOTS = 4_096;

interface RoleData {
  role: Role;
  rings: SharedArrayBuffer[];
  gate: SharedArrayBuffer;
  spins: number;
  count: number;
  /** Hand-off: messages per publish()/release() (1 = every message made visible on its own). */
  batch: number;
}

interface RoleResult {
  /** process.hrtime (shared by all threads) at the first write / last read, ns. */
  startNs?: number;
  endNs?: number;
  /** CPU time the thread ran while doing its part, ns. */
  cpuNs?: number;
  /** Messages whose words were not what was written (must be 0). */
  corrupt?: number;
  /** Round trips in µs, sorted. */
  tripsUs?: number[];
}

// ------------------------------------------------------------------------------------------ the threads' side

const nowNs = (): number => Number(process.hrtime.bigint());
/** CPU time this thread has run, ns (Linux schedstat): on a loaded machine wall time also counts waiting for a CPU. */
const threadCpuNs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);

function produce(ring: SpscRing, count: number, batch: number): RoleResult {
  const d = ring.data;
  const startNs = nowNs();
  for (let i = 0; i < count; i++) {
    const at = ring.claim();
    for (let w = 0; w < SLOT_WORDS; w++) d[at + w] = i + w;
    ring.commit();
    if ((i + 1) % batch === 0) ring.publish();
  }
  ring.publish();
  return { startNs };
}

function consume(ring: SpscRing, count: number, batch: number): RoleResult {
  const d = ring.data;
  let corrupt = 0;
  for (let i = 0; i < count; i++) {
    const at = ring.next();
    for (let w = 0; w < SLOT_WORDS; w++) if (d[at + w] !== ((i + w) | 0)) corrupt++;
    ring.done();
    if ((i + 1) % batch === 0) ring.release();
  }
  ring.release();
  return { endNs: nowNs(), corrupt };
}

/** The same writes and checks in one thread through one slot, no hop: what the message costs without the ring. */
function alone(count: number): RoleResult {
  const d = new Int32Array(SLOT_WORDS);
  let corrupt = 0;
  const startNs = nowNs();
  for (let i = 0; i < count; i++) {
    for (let w = 0; w < SLOT_WORDS; w++) d[w] = i + w;
    for (let w = 0; w < SLOT_WORDS; w++) if (d[w] !== ((i + w) | 0)) corrupt++;
  }
  return { startNs, endNs: nowNs(), corrupt };
}

function ping(out: SpscRing, back: SpscRing, count: number): RoleResult {
  const trips = new Float64Array(count);
  let corrupt = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const at = out.claim();
    out.data[at] = i;
    out.commit();
    out.publish();
    const got = back.next();
    if (back.data[got] !== i) corrupt++;
    back.done();
    back.release();
    trips[i] = (performance.now() - t0) * 1000;
  }
  return { corrupt, tripsUs: Array.from(trips.sort()) };
}

function pong(inbound: SpscRing, reply: SpscRing, count: number): RoleResult {
  for (let i = 0; i < count; i++) {
    const at = inbound.next();
    const value = inbound.data[at]!;
    inbound.done();
    inbound.release();
    const to = reply.claim();
    reply.data[to] = value;
    reply.commit();
    reply.publish();
  }
  return {};
}

function runRole(data: RoleData): void {
  const rings = data.rings.map((b) => new SpscRing(b, RING_SLOTS, data.spins));
  const gate = new Int32Array(data.gate);
  if (data.role === 'alone') {
    const cpu = threadCpuNs();
    const result = alone(data.count);
    result.cpuNs = threadCpuNs() - cpu;
    parentPort!.postMessage(result);
    return;
  }
  parentPort!.postMessage('ready');
  Atomics.wait(gate, 0, 0); // both threads start together
  const [a, b] = [rings[0]!, rings[1]];
  const cpu0 = threadCpuNs();
  const result: RoleResult =
    data.role === 'producer' ? produce(a, data.count, data.batch)
    : data.role === 'consumer' ? consume(a, data.count, data.batch)
    : data.role === 'pinger' ? ping(a, b!, data.count)
    : pong(a, b!, data.count);
  result.cpuNs = threadCpuNs() - cpu0;
  parentPort!.postMessage(result);
}

// ------------------------------------------------------------------------------------------ the main thread

/** Worker threads do not inherit tsx's loader; this registers it in the thread and then loads this file. */
const BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;

function startRole(data: RoleData): { ready: Promise<void>; result: Promise<RoleResult> } {
  const worker = new Worker(BOOT, { eval: true, workerData: data });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  const result = new Promise<RoleResult>((resolve, reject) => {
    worker.on('message', (m: 'ready' | RoleResult) => {
      if (m === 'ready') markReady();
      else {
        resolve(m);
        void worker.terminate();
      }
    });
    worker.once('error', reject);
  });
  return { ready, result };
}

async function runPair(kind: CaseKind, spins: number, count: number, batch = 1): Promise<[RoleResult, RoleResult]> {
  const rings = kind === 'handoff' ? [new SharedArrayBuffer(ringBytes(RING_SLOTS))] : [new SharedArrayBuffer(ringBytes(RING_SLOTS)), new SharedArrayBuffer(ringBytes(RING_SLOTS))];
  const gate = new SharedArrayBuffer(4);
  const [first, second]: [Role, Role] = kind === 'handoff' ? ['producer', 'consumer'] : ['pinger', 'ponger'];
  const a = startRole({ role: first, rings, gate, spins, count, batch });
  const b = startRole({ role: second, rings, gate, spins, count, batch });
  await Promise.all([a.ready, b.ready]);
  const g = new Int32Array(gate);
  Atomics.store(g, 0, 1);
  Atomics.notify(g, 0);
  return Promise.all([a.result, b.result]);
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;
const pick = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

async function measureHandoff(s: Strategy, messages: number, rounds: number, batch: number): Promise<string> {
  const perMessage: number[] = [];
  const producerCpu: number[] = [];
  const consumerCpu: number[] = [];
  let corrupt = 0;
  for (let r = 0; r < rounds; r++) {
    const [p, c] = await runPair('handoff', s.spins, messages, batch);
    perMessage.push((c.endNs! - p.startNs!) / messages);
    producerCpu.push(p.cpuNs! / messages);
    consumerCpu.push(c.cpuNs! / messages);
    corrupt += c.corrupt!;
  }
  return `| hand-off, ${batch === 1 ? 'each message published' : `published in batches of ${batch}`} | ${s.name} | ${fmt(median(perMessage))} ns (${fmt(Math.min(...perMessage))}-${fmt(Math.max(...perMessage))}) | ${fmt(median(producerCpu))} + ${fmt(median(consumerCpu))} ns | ${corrupt} |`;
}

async function measureAlone(messages: number, rounds: number): Promise<string> {
  const perMessage: number[] = [];
  const cpu: number[] = [];
  let corrupt = 0;
  for (let r = 0; r < rounds; r++) {
    const one = startRole({ role: 'alone', rings: [], gate: new SharedArrayBuffer(4), spins: 0, count: messages, batch: 1 });
    const res = await one.result;
    perMessage.push((res.endNs! - res.startNs!) / messages);
    cpu.push(res.cpuNs! / messages);
    corrupt += res.corrupt!;
  }
  return `| no hop: write + check the 16 words in one thread | | ${fmt(median(perMessage))} ns | ${fmt(median(cpu))} ns | ${corrupt} |`;
}

async function measureRoundTrip(s: Strategy, trips: number, rounds: number): Promise<string> {
  const p50: number[] = [];
  const p99: number[] = [];
  const p999: number[] = [];
  const max: number[] = [];
  const cpu: number[] = [];
  let corrupt = 0;
  for (let r = 0; r < rounds; r++) {
    const [pinger, ponger] = await runPair('roundtrip', s.spins, trips);
    cpu.push((pinger.cpuNs! + ponger.cpuNs!) / trips / 1000);
    const t = pinger.tripsUs!;
    p50.push(pick(t, 0.5));
    p99.push(pick(t, 0.99));
    p999.push(pick(t, 0.999));
    max.push(t[t.length - 1]!);
    corrupt += pinger.corrupt!;
  }
  return `| round trip | ${s.name} | p50 ${fmt(median(p50))} µs, p99 ${fmt(median(p99))} µs, p99.9 ${fmt(median(p999))} µs, max ${fmt(median(max))} µs | ${fmt(median(cpu))} µs per trip (both threads) | ${corrupt} |`;
}

async function measureAll(title: string, rounds: number, messages: number, trips: number, oneCore: boolean): Promise<void> {
  process.stdout.write(`\n${title}\n\n| case | waiting | wall time per message (median of ${rounds} rounds, min-max) | CPU per message: producer + consumer | messages wrong |\n|---|---|--:|--:|--:|\n`);
  process.stdout.write(`${await measureAlone(messages, rounds)}\n`);
  for (const s of STRATEGIES) {
    // Two spinning threads on one CPU only move when the scheduler preempts one: far fewer messages keep it short.
    const n = oneCore && s.spins === Number.POSITIVE_INFINITY ? Math.max(1_000, Math.floor(messages / 100)) : messages;
    for (const batch of [1, 64]) process.stdout.write(`${await measureHandoff(s, n, rounds, batch)}\n`);
  }
  for (const s of STRATEGIES) {
    const n = oneCore || s.spins === 0 ? Math.max(1_000, Math.floor(trips / 10)) : trips;
    const few = oneCore && s.spins === Number.POSITIVE_INFINITY ? Math.max(100, Math.floor(trips / 1_000)) : n;
    process.stdout.write(`${await measureRoundTrip(s, few, rounds)}\n`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      messages: { type: 'string', default: '2000000' },
      trips: { type: 'string', default: '100000' },
      'one-core': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const rounds = Math.max(1, Number.parseInt(values.rounds, 10) || 5);
  const messages = Math.max(1_000, Number.parseInt(values.messages, 10) || 2_000_000);
  const trips = Math.max(1_000, Number.parseInt(values.trips, 10) || 100_000);
  if (values['one-core']) {
    await measureAll('One CPU (taskset -c 0): the two threads take turns on it', rounds, messages, trips, true);
    return;
  }
  process.stdout.write(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ring of ${RING_SLOTS} slots x 64 bytes\n`);
  await measureAll('Two CPUs (the process unpinned; other work on the machine shares them)', rounds, messages, trips, false);
  const child = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, process.argv[1]!, '--one-core', '--rounds', String(rounds), '--messages', String(messages), '--trips', String(trips)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.error) process.stdout.write(`\n(no one-CPU run: taskset: ${child.error.message})\n`);
  process.stdout.write(`\nload average ${loadavg()[0]!.toFixed(2)} at the end\n`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  runRole(workerData as RoleData);
}
