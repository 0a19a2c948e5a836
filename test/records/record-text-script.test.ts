import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ExecutionRecord } from '../../src/records/execution-record.js';
import { fileHeader } from '../../src/records/record-format.js';
import { INSTRUMENTS, oneOfEach } from './support/events.js';

const run = promisify(execFile);
const SCRIPT = path.resolve('scripts/record-text.ts');

describe('record:text (a binary day file printed as text)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'venue-record-text-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the v1 header and every event line, the same lines the record renders', async () => {
    const r = new ExecutionRecord({ dir, instruments: INSTRUMENTS, fsync: false });
    await r.open();
    for (const e of oneOfEach(1)) r.onEvent(e);
    await r.flush();
    const expected: string[] = [];
    await r.renderDay('2025-03-04', (l) => expected.push(l));
    await r.close();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, dir, '2025-03-04']);
    expect(stdout).to.equal(fileHeader('2025-03-04') + expected.join(''));
    expect(expected).to.have.length(10);
  });

  it('answers a bad date or a folder without that day with a message and exit code 1', async () => {
    for (const args of [[dir, '2025-02-30'], [dir, '2025-03-04'], [path.join(dir, 'nope'), '2025-03-04']]) {
      const failed = await run(process.execPath, ['--import', 'tsx', SCRIPT, ...args]).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).to.equal(1);
      expect(failed?.stderr).to.match(/trade date|no day file|not a folder/);
    }
  });
});
