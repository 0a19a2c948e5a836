// A flush barrier whose durable part is a write on the write thread (as the venue journal's is): the stores' batches
// of the turn are queued right behind that write instead of waiting for the barrier's promise, and the write thread
// holds them back when that write fails.

import { expect } from 'chai';
import fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteThread, type PendingDurability, type WriteDone } from '../../../src/io/write-thread.js';
import { RawFixClient } from './support/raw-fix-client.js';
import { sessionConfig, startTestEngine, type TestEngine } from './support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };

async function storeText(t: TestEngine): Promise<string> {
  const dir = join(t.dir, 'FIX.4.4-VENUE-BROKER');
  const file = (await readdir(dir)).find((f) => f.startsWith('store.'))!;
  return (await readFile(join(dir, file))).toString('latin1');
}

/** A journal stand-in: each call writes a line to `fd` through the shared write thread and returns it queued. */
function queuedBarrier(fd: number, log: string[]): () => PendingDurability {
  const thread = WriteThread.shared();
  const stream = thread.openStream('the test journal');
  let position = 0;
  return () => {
    const line = Buffer.from(`batch ${log.length}\n`);
    let settle!: WriteDone;
    const done = new Promise<void>((resolve, reject) => {
      settle = (e) => {
        log.push(e === null ? 'journal written' : `journal failed: ${e.message}`);
        if (e === null) resolve();
        else reject(e);
      };
    });
    const write = thread.write(stream, fd, line, 0, line.length, position, {}, settle);
    position += line.length;
    return { done, write };
  };
}

describe('FIX engine: a barrier queued on the write thread', () => {
  let t: TestEngine | null = null;
  const fds: number[] = [];
  afterEach(async () => {
    await t?.stop();
    t = null;
    for (const fd of fds.splice(0)) fs.closeSync(fd);
  });

  it('stores and sends a turn once the journal write it follows is on disk', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const journalFile = join(t.dir, 'journal.txt');
    const fd = fs.openSync(journalFile, 'w+');
    fds.push(fd);
    const log: string[] = [];
    t.engine.addFlushBarrier(queuedBarrier(fd, log));
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    c.send('1', [[112, 'AFTER-JOURNAL']]);
    const hb = await c.next();
    expect([hb.msgType, hb.get(112)]).to.deep.equal(['0', 'AFTER-JOURNAL']);
    expect(await storeText(t)).to.include('112=AFTER-JOURNAL');
    expect(log.length).to.be.greaterThan(0);
    expect(new Set(log)).to.deep.equal(new Set(['journal written']));
    expect(fs.readFileSync(journalFile, 'utf8')).to.match(/^batch 0\n/);
    c.close();
  });

  it('withholds (never stores, never sends) a turn whose journal write fails, and disconnects', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    const full = fs.openSync('/dev/full', 'w');
    fds.push(full);
    const log: string[] = [];
    t.engine.addFlushBarrier(queuedBarrier(full, log));
    c.send('1', [[112, 'NEVER-ACKED']]);
    await c.closedByPeer();
    expect(c.pending()).to.deep.equal([]);
    expect(log[0]).to.equal('journal failed: ENOSPC: no space left on device, write');
    expect(await storeText(t), 'the withheld turn is never stored').to.not.include('112=NEVER-ACKED');
    expect(t.app.calls.at(-1)).to.equal('logout FIX.4.4:VENUE->BROKER durability barrier failed: ENOSPC: no space left on device, write');
    // The store failed too (its memory holds a message its file never will): it is reopened from disk on the next logon.
    expect(t.engine.sessions().find((s) => s.key === 'FIX.4.4:VENUE->BROKER')?.storeFailure).to.equal(
      'withheld: the write it waits for (the test journal) failed: ENOSPC: no space left on device, write',
    );
  });
});
