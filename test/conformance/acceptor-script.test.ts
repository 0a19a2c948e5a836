// `npm run conformance:acceptor -- --port N`: the reference-configured engine as a standalone process, checked the
// way an outside runner would use it.

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFieldPatterns } from './runner/comparator.js';
import { formatFailure, runDefinition } from './runner/run-definition.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/conformance/fixtures');

describe('conformance:acceptor script', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = null;
  });

  it('serves the suite on the given port until SIGTERM, then exits cleanly', async function () {
    this.timeout(40_000);
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/conformance-acceptor.ts', '--port', '0', '--host', '127.0.0.1'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      proc.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /listening on port (\d+)/.exec(output);
        if (m) resolve(Number(m[1]));
      });
      proc.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
    });
    const patterns = loadFieldPatterns(join(FIXTURES, 'fields.fmt'));
    for (const file of ['fix44/1a_ValidLogonWithCorrectMsgSeqNum.def', 'fix44/14e_IncorrectEnumValue.def', 'validate/CheckFieldsHaveValues.def']) {
      const result = await runDefinition(join(FIXTURES, file), { host: '127.0.0.1', port, patterns, readTimeoutMs: 10_000 });
      expect(result.passed, result.passed ? '' : `${file}\n${formatFailure(result.failure)}`).to.equal(true);
    }
    const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exit).to.equal(0);
    expect(output).to.contain('SIGTERM: stopping');
  });
});
