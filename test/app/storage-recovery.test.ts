// The storage recovery's probe and monitor on real directories: a probe is a real create + write + fdatasync +
// unlink; a directory that does not exist fails it for real, and the soak's enospc-while failpoint (a flag file)
// fails it the way a full disk does until the flag is removed.

import { expect } from 'chai';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeDirectory } from '../../src/app/disk-probe.js';
import { parseFailpoint } from '../../src/app/failpoints.js';
import { StorageRecovery } from '../../src/app/storage-recovery.js';
import { makeTempDir } from '../support/temp-dir.js';
import { WaitingLogger } from '../support/waiting-logger.js';

describe('storage recovery', () => {
  let dir: string;
  let recovery: StorageRecovery | null = null;
  beforeEach(() => {
    dir = makeTempDir('storage-recovery-');
  });
  afterEach(() => {
    recovery?.stop();
    recovery = null;
  });

  it('a probe writes, syncs and removes its file; it fails with the disk error where it cannot write', async () => {
    await probeDirectory(dir);
    expect(readdirSync(dir)).to.deep.equal([]);
    const missing = join(dir, 'gone');
    const failure = await probeDirectory(missing).then(() => null, (err: NodeJS.ErrnoException) => err);
    expect(failure?.code).to.equal('ENOENT');
  });

  it('probes a failed directory until it can be written, says so for readiness, then asks for a restart once', async () => {
    const flag = join(dir, 'disk-full');
    writeFileSync(flag, 'full');
    const storeDir = join(dir, 'FIX.4.4-VENUE-BROKER1');
    mkdirSync(storeDir);
    const logger = new WaitingLogger();
    let restarts = 0;
    let writable: () => void = () => {};
    const asked = new Promise<void>((r) => (writable = r));
    recovery = new StorageRecovery({
      logger,
      intervalMs: 30,
      failpoints: { 'fix-store': parseFailpoint(`store-write:enospc-while:${flag}`) },
      onWritable: () => {
        restarts++;
        writable();
      },
    });
    expect(recovery.status()).to.equal(null);
    const probed = logger.next('storage still cannot be written');
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    recovery.report({ kind: 'fix-store', what: 'FIX session store of BROKER1', dir: storeDir, error });
    recovery.report({ kind: 'fix-store', what: 'FIX session store of BROKER1', dir: storeDir, error });
    expect(logger.with('storage fault')).to.have.length(1);
    expect(logger.with('storage fault')[0]!.fields).to.include({ dir: storeDir, what: 'FIX session store of BROKER1' });
    expect((await probed).fields.reason).to.match(/ENOSPC.*VENUE_FAILPOINT/);
    expect(recovery.status()).to.match(new RegExp(`^probing ${storeDir} every 0.03 s .*ENOSPC.*the venue restarts itself once it can write$`));
    expect(restarts).to.equal(0);

    rmSync(flag);
    await asked;
    expect(recovery.status()).to.equal('the storage can be written again; restarting');
    expect(logger.with('storage can be written again')[0]!.fields.dirs).to.deep.equal([storeDir]);
    expect(readdirSync(storeDir), 'the probe leaves nothing behind').to.deep.equal([]);
    // Further faults (the stopping venue's) are no longer probed: one restart.
    recovery.report({ kind: 'journal', what: 'command journal', dir: join(dir, 'journal'), error });
    expect(restarts).to.equal(1);
  });

  it('waits for every failed directory: a journal whose folder is gone holds the restart until it is back', async () => {
    const logger = new WaitingLogger();
    let writable: () => void = () => {};
    const asked = new Promise<void>((r) => (writable = r));
    recovery = new StorageRecovery({ logger, intervalMs: 30, failpoints: { journal: null, 'fix-store': null }, onWritable: () => writable() });
    const journalDir = join(dir, 'journal');
    const probed = logger.next('storage still cannot be written');
    recovery.report({ kind: 'fix-store', what: 'FIX session store of BROKER2', dir, error: new Error('EIO') });
    recovery.report({ kind: 'journal', what: 'command journal', dir: journalDir, error: new Error('EIO') });
    expect((await probed).fields).to.include({ dir: journalDir });
    expect(recovery.status()).to.match(/and 1 more/);
    mkdirSync(journalDir);
    await asked;
  });
});
