// QuickFIX's FIX 4.4 server acceptance suite (59 definitions + the validate set) against our engine configured
// like QuickFIX's reference acceptor. Every definition is its own test; the runner follows QuickFIX's Runner.rb
// rules (see runner/). Definitions run one after another against one acceptor, in shell-glob order, as the
// reference run does; the two whose point is waiting for heartbeat timers (4a: ~12 s, 6: ~34 s) each get an
// acceptor of their own and run in the background meanwhile, since they share nothing with the others but the
// session, which ResetOnLogon resets at every logon anyway.

import { expect } from 'chai';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixEngine } from '../../src/fix/index.js';
import { startReferenceAcceptor } from './reference-acceptor.js';
import { loadFieldPatterns } from './runner/comparator.js';
import { formatFailure, runDefinition, type DefinitionResult } from './runner/run-definition.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TIMER_DEFINITIONS = new Set(['4a_NoDataSentDuringHeartBtInt.def', '6_SendTestRequest.def']);
const patterns = loadFieldPatterns(join(FIXTURES, 'fields.fmt'));

/** Shell-glob order (byte order, as in the C locale). */
async function definitions(folder: string): Promise<string[]> {
  return (await readdir(join(FIXTURES, folder))).filter((f) => f.endsWith('.def')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Runs one definition as Runner.rb would, with a read timeout so a missing reply fails instead of hanging. */
function run(folder: string, file: string, port: number, readTimeoutMs: number): Promise<DefinitionResult> {
  return runDefinition(join(FIXTURES, folder, file), { host: '127.0.0.1', port, patterns, readTimeoutMs });
}

const fix44 = await definitions('fix44');
const validate = await definitions('validate');

describe('QuickFIX FIX 4.4 acceptance suite (server)', function () {
  let dir: string;
  let engine: FixEngine;
  const background = new Map<string, { engine: FixEngine; result: Promise<DefinitionResult> }>();
  let passed = 0;
  let failed = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-conformance-'));
    engine = await startReferenceAcceptor({ port: 0, host: '127.0.0.1', sessionsDir: join(dir, 'main') });
    for (const file of fix44.filter((f) => TIMER_DEFINITIONS.has(f))) {
      const own = await startReferenceAcceptor({ port: 0, host: '127.0.0.1', sessionsDir: join(dir, file) });
      background.set(file, { engine: own, result: run('fix44', file, own.acceptorPorts[0]!, 30_000) });
    }
  });

  after(async () => {
    await Promise.all([engine, ...[...background.values()].map((b) => b.engine)].map((e) => e?.stop(0)));
    await rm(dir, { recursive: true, force: true });
    // The reference runner's last line.
    const total = passed + failed;
    console.log(failed === 0 ? `      ${total} tests passed` : `      FAILED ${failed} out of ${total} tests`);
  });

  const check = (result: DefinitionResult): void => {
    if (result.passed) passed++;
    else failed++;
    expect(result.passed, result.passed ? '' : `\n${formatFailure(result.failure)}`).to.equal(true);
  };

  for (const file of fix44) {
    if (TIMER_DEFINITIONS.has(file)) {
      it(`fix44/${file} (heartbeat timers, own acceptor)`, async function () {
        this.timeout(90_000);
        check(await background.get(file)!.result);
      });
    } else {
      it(`fix44/${file}`, async function () {
        this.timeout(30_000);
        check(await run('fix44', file, engine.acceptorPorts[0]!, 15_000));
      });
    }
  }

  for (const file of validate) {
    it(`validate/${file}`, async function () {
      this.timeout(30_000);
      check(await run('validate', file, engine.acceptorPorts[0]!, 15_000));
    });
  }
});
