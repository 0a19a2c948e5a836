// At the fsync level the journal writer hands its batches to the write thread: in order, one write per commit, poisoned by a failure,
// and what depends on a failed batch (a FIX store's batch of the same turn) is never written.

import { expect } from 'chai';
import fs from 'node:fs';
import { join } from 'node:path';
import { WriteThread } from '../../src/io/write-thread.js';
import { JournalWriter } from '../../src/venue/journal/journal-writer.js';
import { Side } from '../../src/venue/model/enums.js';
import type { VenueCommand } from '../../src/venue/model/commands.js';
import { makeTempDir } from '../support/temp-dir.js';

const cancel = (n: number): VenueCommand => ({
  type: 'cancel', time: 1_700_000_000_000 + n, session: 'S', firm: 'F', account: 'A', clOrdId: `c${n}`, origClOrdId: `o${n}`,
  orderId: n, symbol: 'BTCUSDT', side: Side.Buy,
});

describe('journal writer on the write thread (fsync level)', () => {
  const fds: number[] = [];
  afterEach(() => {
    for (const fd of fds.splice(0)) fs.closeSync(fd);
  });

  it('writes each commit as one batch at the end of the file, in order, while later batches are already queued', async () => {
    const file = join(makeTempDir('journal-writer-'), 'journal.bin');
    const fd = fs.openSync(file, 'w+');
    fds.push(fd);
    const w = new JournalWriter(fd, 0, 'batch');
    const commits: Promise<void>[] = [];
    const sizes: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 10; i++) w.append(batch * 10 + i + 1, cancel(batch * 10 + i));
      sizes.push(w.pendingBytes);
      commits.push(w.commit());
      expect(w.pendingBytes).to.equal(0);
    }
    await Promise.all(commits);
    expect(fs.statSync(file).size).to.equal(sizes.reduce((a, b) => a + b, 0));
    expect(w.nextRecordOffset).to.equal(fs.statSync(file).size);
    await w.close();
  });

  it('fails for good on a disk error: later commits reject with it, and writes queued behind it are withheld', async () => {
    const full = fs.openSync('/dev/full', 'w');
    fds.push(full);
    const w = new JournalWriter(full, 0, 'batch');
    w.append(1, cancel(1));
    const first = w.commit();
    const thread = WriteThread.shared();
    const store = thread.openStream('a store');
    const storeFile = join(makeTempDir('journal-writer-'), 'store');
    const storeFd = fs.openSync(storeFile, 'w+');
    fds.push(storeFd);
    const withheld = new Promise<Error | null>((resolve) =>
      thread.write(store, storeFd, Buffer.from('reports'), 0, 7, 0, { dependsOn: w.queuedWrite }, resolve),
    );
    w.append(2, cancel(2));
    const second = w.commit();
    const error = await first.then(() => null, (e: NodeJS.ErrnoException) => e);
    expect(error?.code).to.equal('ENOSPC');
    expect(await second.then(() => null, (e: Error) => e)).to.equal(error);
    expect(w.error).to.equal(error);
    expect((await withheld)?.message).to.equal('withheld: the write it waits for (the command journal) failed: ENOSPC: no space left on device, write');
    expect(fs.readFileSync(storeFile, 'utf8')).to.equal('');
    w.append(3, cancel(3));
    expect(await w.commit().then(() => null, (e: Error) => e)).to.equal(error);
    thread.closeStream(store);
  });
});

describe('journal writer at the page-cache level', () => {
  it('writes each commit synchronously: the bytes are in the file when commit() returns', () => {
    const file = join(makeTempDir('journal-writer-'), 'journal.bin');
    const fd = fs.openSync(file, 'w+');
    try {
      const w = new JournalWriter(fd, 0, 'none');
      let total = 0;
      for (let batch = 0; batch < 3; batch++) {
        for (let i = 0; i < 10; i++) w.append(batch * 10 + i + 1, cancel(batch * 10 + i));
        total += w.pendingBytes;
        expect(w.writeNow()).to.equal(null);
        expect(fs.fstatSync(fd).size).to.equal(total);
      }
      expect(w.nextRecordOffset).to.equal(total);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('fails for good on a disk error, synchronously: this commit and every later one', async () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const w = new JournalWriter(full, 0, 'none');
      w.append(1, cancel(1));
      const error = w.writeNow() as NodeJS.ErrnoException | null;
      expect(error?.code).to.equal('ENOSPC');
      expect(w.error).to.equal(error);
      w.append(2, cancel(2));
      expect(await w.commit().then(() => null, (e: Error) => e)).to.equal(error);
      expect(w.pendingBytes, 'a refused batch is dropped').to.equal(0);
    } finally {
      fs.closeSync(full);
    }
  });
});
