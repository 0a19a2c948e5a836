// npm run bench:codec — codec throughput on one core, against jspurefix parsing the same bytes in the same run.
//
// Cases, each for a realistic NewOrderSingle (with a two-party NoPartyIDs group) and ExecutionReport:
//   stream parse      FixStreamReader.push() of a buffer holding many messages: framing + parse (+ groups)
//   stream parse+val  the same, plus FixValidator.validate() on every message
//   parse             FixParser.parse() of one framed message
//   encode            FixEncoder: header + body from values, finish() (BodyLength, CheckSum)
//   jspurefix parse   jspurefix AsciiParser.parseBuffer() of the same multi-message buffer (its "view" depth:
//                     tokenise, structure, view — what a session needs before reading fields). It runs in a
//                     child process started by this script, in step with the other cases, so neither
//                     library's heap and JIT state disturb the other's numbers.
// Every round runs each case once (interleaved, so machine noise hits all alike). Rates are per second of CPU
// time used by this process (process.cpuUsage: user + system), which is what "per core" means on a shared
// machine where the process also waits for a core; wall-clock rates are shown beside them. The table shows
// medians of the rounds and the ratio to jspurefix. Use --rounds, --ops, --warmup to change the defaults.

import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { FixEncoder } from '../src/fix/codec/encoder.js';
import { FixParser, ParseStatus } from '../src/fix/codec/parser.js';
import { FixStreamReader } from '../src/fix/codec/stream-reader.js';
import type { FixMessageView } from '../src/fix/codec/message-view.js';
import { loadDictionary } from '../src/fix/dictionary/loader.js';
import type { FixDictionary } from '../src/fix/dictionary/model.js';
import { FixValidator } from '../src/fix/validation/validator.js';

interface Options {
  rounds: number;
  ops: number;
  warmup: number;
}

function parseArgs(): Options {
  const options: Options = { rounds: 9, ops: 200_000, warmup: 300_000 };
  for (const arg of process.argv.slice(2)) {
    if (arg === '--jspurefix-worker') continue;
    const m = /^--(rounds|ops|warmup)=(\d+)$/.exec(arg);
    if (m === null) throw new Error(`unknown argument ${arg} (use --rounds=N --ops=N --warmup=N)`);
    options[m[1] as keyof Options] = Number(m[2]);
  }
  return options;
}

const SENT = Date.UTC(2024, 4, 17, 13, 45, 12, 345);

function newOrderSingle(enc: FixEncoder, seq: number): Buffer {
  return enc
    .begin('FIX.4.4', 'D')
    .int(34, seq)
    .str(49, 'BROKER1')
    .str(50, 'DESK7')
    .timestamp(52, SENT)
    .str(56, 'VENUE')
    .str(1, 'ACC-001234')
    .str(11, 'CLORD-20240517-000123')
    .char(21, '1')
    .decimal(38, 2500, 0)
    .char(40, '2')
    .decimal(44, 1234550, 4)
    .char(54, '1')
    .str(55, 'AAPL')
    .char(59, '0')
    .timestamp(60, SENT)
    .group(453, 2)
    .instance()
    .str(448, 'TRADER-42')
    .char(447, 'D')
    .int(452, 11)
    .instance()
    .str(448, 'FIRM-7')
    .char(447, 'D')
    .int(452, 1)
    .endGroup()
    .finish();
}

function executionReport(enc: FixEncoder, seq: number): Buffer {
  return enc
    .begin('FIX.4.4', '8')
    .int(34, seq)
    .str(49, 'VENUE')
    .timestamp(52, SENT)
    .str(56, 'BROKER1')
    .str(57, 'DESK7')
    .str(1, 'ACC-001234')
    .decimal(6, 1234550, 4)
    .str(11, 'CLORD-20240517-000123')
    .decimal(14, 1000, 0)
    .str(17, 'EXEC-000000987654')
    .decimal(31, 1234550, 4)
    .decimal(32, 1000, 0)
    .str(37, 'ORD-000000456789')
    .decimal(38, 2500, 0)
    .char(39, '1')
    .char(40, '2')
    .decimal(44, 1234550, 4)
    .char(54, '1')
    .str(55, 'AAPL')
    .char(59, '0')
    .timestamp(60, SENT)
    .char(150, 'F')
    .decimal(151, 1500, 0)
    .finish();
}

interface Case {
  name: string;
  /** Runs `ops` operations; returns a checksum of work done so the optimiser cannot drop it. */
  run(ops: number): number;
}

/** Messages per second of CPU time and of wall-clock time for one measured run. */
interface Sample {
  cpu: number;
  wall: number;
}

interface Measured {
  name: string;
  warm(ops: number): Promise<void>;
  measure(ops: number): Promise<Sample>;
}

let sink = 0;

function measureHere(c: Case, gc: () => void, ops: number): Sample {
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  sink += c.run(ops);
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (ops * 1e6) / (cpu.user + cpu.system), wall: (ops * 1e9) / ns };
}

function local(c: Case, gc: () => void): Measured {
  return {
    name: c.name,
    warm: async (ops) => {
      sink += c.run(ops);
    },
    measure: async (ops) => measureHere(c, gc, ops),
  };
}

const BATCH = 100; // messages per stream buffer

function repeatBuffer(message: Buffer, times: number): Buffer {
  return Buffer.concat(Array.from({ length: times }, () => message));
}

function ourCases(label: string, message: Buffer, dict: FixDictionary, build: (enc: FixEncoder, seq: number) => Buffer): Case[] {
  const stream = repeatBuffer(message, BATCH);
  const validator = new FixValidator(dict);
  let seen = 0;
  let failures = 0;
  const count = {
    onMessage(view: FixMessageView): void {
      seen += view.fieldCount;
    },
    onDrop(): void {
      failures++;
    },
  };
  const countAndValidate = {
    onMessage(view: FixMessageView): void {
      seen += view.fieldCount;
      if (validator.validate(view) !== null) failures++;
    },
    onDrop(): void {
      failures++;
    },
  };
  const reader = new FixStreamReader(count, { dictionary: dict });
  const validatingReader = new FixStreamReader(countAndValidate, { dictionary: dict });
  const parser = new FixParser({ dictionary: dict });
  const encoder = new FixEncoder({ dictionary: dict });
  const check = (): number => {
    if (failures > 0) throw new Error(`${label}: ${failures} message(s) failed to parse or validate`);
    return seen;
  };
  return [
    {
      name: `${label} stream parse`,
      run(ops) {
        for (let i = 0; i < ops / BATCH; i++) reader.push(stream);
        return check();
      },
    },
    {
      name: `${label} stream parse+validate`,
      run(ops) {
        for (let i = 0; i < ops / BATCH; i++) validatingReader.push(stream);
        return check();
      },
    },
    {
      name: `${label} parse`,
      run(ops) {
        let fields = 0;
        for (let i = 0; i < ops; i++) {
          if (parser.parse(message) !== ParseStatus.Ok) failures++;
          fields += parser.view.fieldCount;
        }
        check();
        return fields;
      },
    },
    {
      name: `${label} encode`,
      run(ops) {
        let bytes = 0;
        for (let i = 0; i < ops; i++) bytes += build(encoder, 1000 + (i & 1023)).length;
        return bytes;
      },
    },
  ];
}

interface JspurefixModules {
  SessionContainer: new () => { registerGlobal(level: string): void; makeSystem(d: unknown): Promise<{ resolve(t: unknown): unknown }> };
  DITokens: Record<string, unknown>;
  makeSessionScope(config: unknown): { sessionContainer: { resolve(t: unknown): unknown } };
  AsciiParser: new (config: unknown, stream: null, buffer: unknown, max: unknown) => JspurefixParser;
  DefinitionFactory: new () => { getDefinitions(name: string): Promise<unknown> };
}

interface JspurefixParser {
  on(event: 'msg', cb: (msgType: string, view: { structure: unknown }) => void): void;
  parseBuffer(buf: Buffer): void;
}

async function jspurefixCase(label: string, message: Buffer): Promise<Case> {
  // jspurefix is CommonJS and builds its parser through its DI container, as its own bench does.
  const require = createRequire(import.meta.url);
  require('reflect-metadata');
  const root = 'jspurefix/dist';
  const m: JspurefixModules = {
    ...require(`${root}/runtime/index.js`),
    ...require(`${root}/runtime/di-tokens.js`),
    ...require(`${root}/runtime/session-scope.js`),
    ...require(`${root}/buffer/ascii/ascii-parser.js`),
    ...require(`${root}/util/index.js`),
  };
  const system = new m.SessionContainer();
  system.registerGlobal('error');
  const container = await system.makeSystem({
    application: { type: 'acceptor', name: 'bench', tcp: { host: 'localhost', port: 1 }, protocol: 'ascii', dictionary: 'qf44' },
    SenderCompId: 'VENUE',
    TargetCompID: 'BROKER1',
    BeginString: 'FIX.4.4',
    HeartBtInt: 30,
  });
  const config = container.resolve(m.DITokens['IJsFixConfig']) as { definitions: unknown; delimiter: number };
  config.definitions = await new m.DefinitionFactory().getDefinitions('qf44'); // its copy of QuickFIX's FIX44.xml
  config.delimiter = 1;
  const scoped = m.makeSessionScope(config);
  const parser = new m.AsciiParser(
    scoped,
    null,
    scoped.sessionContainer.resolve(m.DITokens['ParseBuffer']),
    scoped.sessionContainer.resolve(m.DITokens['maxMessageLen']),
  );
  let seen = 0;
  parser.on('msg', (_type, view) => {
    if (view.structure !== null) seen++;
  });
  const stream = repeatBuffer(message, BATCH);
  parser.parseBuffer(stream);
  if (seen !== BATCH) throw new Error(`jspurefix parsed ${seen} of ${BATCH} ${label} messages`);
  return {
    name: `${label} jspurefix parse`,
    run(ops) {
      for (let i = 0; i < ops / BATCH; i++) parser.parseBuffer(stream);
      return seen;
    },
  };
}

/**
 * A full garbage collection before each measured run, so garbage one case leaves behind (jspurefix allocates
 * per message) is not collected on the next case's CPU time.
 */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return gc ?? ((): void => undefined);
}

interface WorkerRequest {
  id: number;
  kind: 'init' | 'warm' | 'measure';
  label?: string;
  ops?: number;
  messages?: Record<string, string>;
}

interface WorkerReply {
  id: number;
  sample?: Sample;
  error?: string;
}

/** Child-process side: jspurefix parsers for the messages the parent sends, measured on request. */
async function runJspurefixWorker(): Promise<void> {
  const gc = collectGarbage();
  const cases = new Map<string, Case>();
  process.on('message', (raw) => {
    const request = raw as WorkerRequest;
    const reply = (r: Omit<WorkerReply, 'id'>): void => {
      process.send!({ id: request.id, ...r });
    };
    void (async () => {
      try {
        if (request.kind === 'init') {
          for (const [label, base64] of Object.entries(request.messages!)) {
            cases.set(label, await jspurefixCase(label, Buffer.from(base64, 'base64')));
          }
          reply({});
        } else if (request.kind === 'warm') {
          sink += cases.get(request.label!)!.run(request.ops!);
          reply({});
        } else {
          reply({ sample: measureHere(cases.get(request.label!)!, gc, request.ops!) });
        }
      } catch (error) {
        reply({ error: String((error as Error).stack ?? error) });
      }
    })();
  });
  process.send!({ id: -1 });
}

/** Parent side: a handle on the jspurefix child process. */
async function startJspurefixWorker(messages: Record<string, Buffer>): Promise<{ cases: Map<string, Measured>; stop(): void }> {
  const child = fork(fileURLToPath(import.meta.url), ['--jspurefix-worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, (reply: WorkerReply) => void>();
  let nextId = 0;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.on('message', (raw) => {
    const reply = raw as WorkerReply;
    if (reply.id === -1) return ready();
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const call = (request: Omit<WorkerRequest, 'id'>): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (reply) => (reply.error !== undefined ? reject(new Error(reply.error)) : resolve(reply)));
      child.send({ id, ...request });
    });
  await started;
  const encoded: Record<string, string> = {};
  for (const [label, buf] of Object.entries(messages)) encoded[label] = buf.toString('base64');
  await call({ kind: 'init', messages: encoded });
  const cases = new Map<string, Measured>();
  for (const label of Object.keys(messages)) {
    cases.set(label, {
      name: `${label} jspurefix parse`,
      warm: async (ops) => {
        await call({ kind: 'warm', label, ops });
      },
      measure: async (ops) => (await call({ kind: 'measure', label, ops })).sample!,
    });
  }
  return { cases, stop: () => child.kill() };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function rate(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M/s` : `${(value / 1e3).toFixed(0)} k/s`;
}

async function main(): Promise<void> {
  const options = parseArgs();
  const dict = loadDictionary('fix-dictionaries/FIX44.xml');
  const enc = new FixEncoder({ dictionary: dict });
  const nos = Buffer.from(newOrderSingle(enc, 1000));
  const er = Buffer.from(executionReport(enc, 1000));
  const gc = collectGarbage();
  const worker = await startJspurefixWorker({ D: nos, '8': er });
  const groups: { label: string; cases: Measured[] }[] = [
    { label: 'NewOrderSingle', cases: [...ourCases('D', nos, dict, newOrderSingle).map((c) => local(c, gc)), worker.cases.get('D')!] },
    { label: 'ExecutionReport', cases: [...ourCases('8', er, dict, executionReport).map((c) => local(c, gc)), worker.cases.get('8')!] },
  ];
  const all = groups.flatMap((g) => g.cases);
  console.log(
    `node ${process.version}, ${options.rounds} rounds x ${options.ops} msgs per case, warm-up ${options.warmup}, ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  console.log(`NewOrderSingle ${nos.length} bytes: ${nos.toString('latin1').replace(/\x01/g, '|')}`);
  console.log(`ExecutionReport ${er.length} bytes: ${er.toString('latin1').replace(/\x01/g, '|')}`);

  try {
    for (const c of all) await c.warm(options.warmup - (options.warmup % BATCH));
    const samples = new Map<string, Sample[]>(all.map((c) => [c.name, []]));
    const ops = options.ops - (options.ops % BATCH);
    for (let r = 0; r < options.rounds; r++) {
      for (const c of all) samples.get(c.name)!.push(await c.measure(ops));
    }
    printTable(groups, samples);
  } finally {
    worker.stop();
  }
  console.log(`load average ${os.loadavg()[0]!.toFixed(1)} at the end`);
  if (sink === -1) console.log(sink); // keeps the work observable
}

function printTable(groups: { cases: Measured[] }[], samples: Map<string, Sample[]>): void {
  console.log();
  const header = ['case', 'median (CPU)', 'min', 'max', 'vs jspurefix parse', 'median (wall)'];
  const rows: string[][] = [];
  for (const g of groups) {
    const base = median(samples.get(g.cases[g.cases.length - 1]!.name)!.map((x) => x.cpu));
    for (const c of g.cases) {
      const cpu = samples.get(c.name)!.map((x) => x.cpu);
      const m = median(cpu);
      const wall = median(samples.get(c.name)!.map((x) => x.wall));
      rows.push([c.name, rate(m), rate(Math.min(...cpu)), rate(Math.max(...cpu)), `${(m / base).toFixed(2)}x`, rate(wall)]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

if (process.argv.includes('--jspurefix-worker')) await runJspurefixWorker();
else await main();
