import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RawFixClient } from './support/raw-fix-client.js';
import { eventually, sessionConfig, startTestEngine, type TestEngine } from './support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };

async function storeText(t: TestEngine): Promise<string> {
  const dir = join(t.dir, 'FIX.4.4-VENUE-BROKER');
  const { readdir } = await import('node:fs/promises');
  const file = (await readdir(dir)).find((f) => f.startsWith('store.'))!;
  return (await readFile(join(dir, file))).toString('latin1');
}

describe('FIX engine: durability barrier', () => {
  let t: TestEngine | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it('holds a turn\'s store write and socket writes until the barrier resolves', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();

    let release: (() => void) | null = null;
    let calls = 0;
    const remove = t.engine.addFlushBarrier(() => {
      calls++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    c.send('1', [[112, 'HELD-BY-BARRIER']]);
    await eventually(() => release !== null, 'the flush called the barrier');
    // While the barrier (the venue's journal) is pending, neither the store nor the socket has the turn's output:
    // a crash now must not leave a stored report of something the journal may not hold.
    await new Promise((r) => setTimeout(r, 50));
    expect(await storeText(t!)).to.not.include('112=HELD-BY-BARRIER');
    expect(c.pending()).to.deep.equal([]);
    expect(calls).to.equal(1);
    release!();
    const hb = await c.next();
    expect([hb.msgType, hb.get(112)]).to.deep.equal(['0', 'HELD-BY-BARRIER']);
    expect(await storeText(t!)).to.include('112=HELD-BY-BARRIER');
    remove();
    c.send('1', [[112, 'NO-BARRIER']]);
    expect((await c.next()).get(112)).to.equal('NO-BARRIER');
    expect(calls, 'a removed barrier is not called again').to.equal(1);
    c.close();
  });

  it('keeps socket writes in turn order even when a later turn\'s barrier resolves first', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    const pending: (() => void)[] = [];
    const remove = t.engine.addFlushBarrier(() => new Promise<void>((resolve) => pending.push(resolve)));
    c.send('1', [[112, 'FIRST']]);
    await eventually(() => pending.length === 1, 'first turn flushing');
    c.send('1', [[112, 'SECOND']]);
    await eventually(() => pending.length === 2, 'second turn flushing');
    pending[1]!();
    await new Promise((r) => setTimeout(r, 50));
    // Stores are written in turn order too: the second waits for the first turn's barrier.
    expect(await storeText(t!)).to.not.include('112=SECOND');
    expect(c.pending()).to.deep.equal([]);
    pending[0]!();
    expect((await c.next()).get(112)).to.equal('FIRST');
    expect((await c.next()).get(112)).to.equal('SECOND');
    remove();
    for (const resolve of pending) resolve();
    c.close();
  });

  it('withholds the output of a turn whose barrier fails and disconnects the session', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    const errors: string[] = [];
    t.engine.events.on('flushBarrierError', (e) => errors.push(e.message));
    t.engine.addFlushBarrier(() => Promise.reject(new Error('journal disk full')));
    c.send('1', [[112, 'NEVER-ACKED']]);
    await c.closedByPeer();
    expect(c.pending()).to.deep.equal([]);
    expect(await storeText(t!), 'the withheld turn is never stored').to.not.include('112=NEVER-ACKED');
    expect(errors.length).to.be.greaterThan(0);
    expect(new Set(errors)).to.deep.equal(new Set(['journal disk full']));
    expect(t.app.calls.at(-1)).to.equal('logout FIX.4.4:VENUE->BROKER durability barrier failed: journal disk full');
  });
});
