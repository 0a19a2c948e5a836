import { expect } from 'chai';
import fs from 'node:fs';
import { join } from 'node:path';
import { WriteThread, type WriteDone } from '../../src/io/write-thread.js';
import { makeTempDir } from '../support/temp-dir.js';

describe('write thread', () => {
  let dir: string;
  let thread: WriteThread;
  const fds: number[] = [];

  beforeEach(() => {
    dir = makeTempDir('write-thread-');
  });
  afterEach(async () => {
    await thread.stop();
    for (const fd of fds.splice(0)) fs.closeSync(fd);
  });

  const openFile = (name: string): number => {
    const fd = fs.openSync(join(dir, name), 'w+');
    fds.push(fd);
    return fd;
  };
  /** A done callback and the promise of its outcome (null = written). */
  const outcome = (): [WriteDone, Promise<Error | null>] => {
    let done!: WriteDone;
    const p = new Promise<Error | null>((resolve) => (done = resolve));
    return [done, p];
  };

  it('writes at the given positions, in queue order, and tells each writer once it is on disk', async () => {
    thread = new WriteThread();
    const a = openFile('a');
    const b = openFile('b');
    const sa = thread.openStream('a');
    const sb = thread.openStream('b');
    const order: string[] = [];
    const results: Promise<Error | null>[] = [];
    for (let i = 0; i < 50; i++) {
      for (const [fd, stream, name] of [[a, sa, 'a'], [b, sb, 'b']] as const) {
        const [done, p] = outcome();
        const buf = Buffer.from(`${name}${String(i).padStart(3, '0')}\n`);
        thread.write(stream, fd, buf, 0, buf.length, i * 5, {}, (e) => {
          order.push(`${name}${i}`);
          done(e);
        });
        buf.fill(0); // the bytes were copied when queued
        results.push(p);
      }
    }
    expect(await Promise.all(results)).to.satisfy((r: (Error | null)[]) => r.every((e) => e === null));
    expect(order).to.deep.equal(Array.from({ length: 50 }, (_, i) => [`a${i}`, `b${i}`]).flat());
    const expected = (name: string): string => Array.from({ length: 50 }, (_, i) => `${name}${String(i).padStart(3, '0')}\n`).join('');
    expect(fs.readFileSync(join(dir, 'a'), 'utf8')).to.equal(expected('a'));
    expect(fs.readFileSync(join(dir, 'b'), 'utf8')).to.equal(expected('b'));
  });

  it('fails a stream for good after a failed write, and withholds (and fails) the streams that depend on it', async () => {
    thread = new WriteThread();
    const full = fs.openSync('/dev/full', 'w');
    fds.push(full);
    const good = openFile('store');
    const other = openFile('other');
    const journal = thread.openStream('journal');
    const store = thread.openStream('store');
    const unrelated = thread.openStream('other');
    const [d1, first] = outcome();
    const j1 = thread.write(journal, full, Buffer.from('batch 1'), 0, 7, 0, {}, d1);
    const [d2, dependent] = outcome();
    thread.write(store, good, Buffer.from('reports of batch 1'), 0, 18, 0, { dependsOn: j1 }, d2);
    const [d3, later] = outcome();
    thread.write(journal, good, Buffer.from('batch 2'), 0, 7, 100, {}, d3);
    const [d4, storeLater] = outcome();
    thread.write(store, good, Buffer.from('a logon'), 0, 7, 0, {}, d4);
    const [d5, independent] = outcome();
    thread.write(unrelated, other, Buffer.from('fine'), 0, 4, 0, {}, d5);

    const error = (await first) as NodeJS.ErrnoException;
    expect(error.code).to.equal('ENOSPC');
    expect(error.message).to.equal('ENOSPC: no space left on device, write');
    const withheld = await dependent;
    expect(withheld?.message).to.equal('withheld: the write it waits for (journal) failed: ENOSPC: no space left on device, write');
    expect(await later).to.equal(error); // the journal is not written after its hole
    expect(await storeLater).to.equal(withheld); // nor the store after what it withheld
    expect(await independent).to.equal(null);
    expect(fs.readFileSync(join(dir, 'store'), 'utf8')).to.equal('');
    expect(fs.readFileSync(join(dir, 'other'), 'utf8')).to.equal('fine');
    expect(thread.streamError(journal)).to.equal(error);
    expect(thread.streamError(store)).to.equal(withheld);
    expect(thread.streamError(unrelated)).to.equal(null);
  });

  it('depends only on writes up to the one named: a later failure of that stream does not withhold it', async () => {
    thread = new WriteThread();
    const fd = openFile('f');
    const full = fs.openSync('/dev/full', 'w');
    fds.push(full);
    const journal = thread.openStream('journal');
    const store = thread.openStream('store');
    const j1 = thread.write(journal, fd, Buffer.from('ok'), 0, 2, 0, {}, () => {});
    const [d, stored] = outcome();
    thread.write(store, fd, Buffer.from('rep'), 0, 3, 10, { dependsOn: j1 }, d);
    const [df, failed] = outcome();
    thread.write(journal, full, Buffer.from('x'), 0, 1, 0, {}, df);
    expect(await stored).to.equal(null);
    expect((await failed as NodeJS.ErrnoException).code).to.equal('ENOSPC');
  });

  it('fail() marks a stream failed at its place in the queue', async () => {
    thread = new WriteThread();
    const fd = openFile('f');
    const journal = thread.openStream('journal');
    const store = thread.openStream('store');
    const [d0, before] = outcome();
    thread.write(journal, fd, Buffer.from('one'), 0, 3, 0, {}, d0);
    const [dm, markerDone] = outcome();
    const marker = thread.fail(journal, new Error('disk full (injected)'), dm);
    const [d1, dependent] = outcome();
    thread.write(store, fd, Buffer.from('two'), 0, 3, 3, { dependsOn: marker }, d1);
    const [d2, after] = outcome();
    thread.write(journal, fd, Buffer.from('three'), 0, 5, 6, {}, d2);
    expect(await before).to.equal(null);
    expect((await markerDone)?.message).to.equal('disk full (injected)');
    expect((await dependent)?.message).to.equal('withheld: the write it waits for (journal) failed: disk full (injected)');
    expect((await after)?.message).to.equal('disk full (injected)');
    expect(fs.readFileSync(join(dir, 'f'), 'utf8')).to.equal('one');
  });

  it('takes writes larger than its shared memory in pieces, and queues what does not fit until there is room', async () => {
    thread = new WriteThread({ dataBytes: 4096, slots: 4 });
    const fd = openFile('big');
    const stream = thread.openStream('big');
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const [d, whole] = outcome();
    thread.write(stream, fd, big, 0, big.length, 0, {}, d);
    const small: Promise<Error | null>[] = [];
    for (let i = 0; i < 20; i++) {
      const [ds, p] = outcome();
      thread.write(stream, fd, Buffer.from([i]), 0, 1, big.length + i, {}, ds);
      small.push(p);
    }
    expect(await whole).to.equal(null);
    expect(await Promise.all(small)).to.deep.equal(new Array(20).fill(null));
    const onDisk = fs.readFileSync(join(dir, 'big'));
    expect(onDisk.subarray(0, big.length).equals(big)).to.equal(true);
    expect([...onDisk.subarray(big.length)]).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
  });

  it('lets the process exit when idle (a child that writes and returns ends by itself)', async () => {
    const script = `
      import { WriteThread } from ${JSON.stringify(new URL('../../src/io/write-thread.ts', import.meta.url).href)};
      import fs from 'node:fs';
      const t = WriteThread.shared();
      const fd = fs.openSync(process.env.WRITE_THREAD_OUT, 'w');
      t.write(t.openStream('f'), fd, Buffer.from('written'), 0, 7, 0, {}, (e) => { if (e) throw e; });
    `;
    const file = join(dir, 'child-out');
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, WRITE_THREAD_OUT: file } });
    expect(r.status, r.stderr).to.equal(0);
    expect(fs.readFileSync(file, 'utf8')).to.equal('written');
  });
});
