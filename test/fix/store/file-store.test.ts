import { expect } from 'chai';
import { appendFile, mkdtemp, readdir, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { FileMessageStore, StoreLockedError } from '../../../src/fix/store/file-store.js';
import { StoreFailedError } from '../../../src/fix/store/message-store.js';
import {
  BATCH_ENTRY,
  BATCH_HEADER,
  MESSAGE_OVERHEAD,
  SEQNUMS_SIZE,
  putMessageRecord,
  putSeqnumsRecord,
  writeHeader,
} from '../../../src/fix/store/store-records.js';

const msg = (seq: number, body = 'x'): Buffer => Buffer.from(`8=FIX.4.4\x0135=D\x0134=${seq}\x0158=${body}\x01`, 'latin1');

describe('FileMessageStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a new store at sequence numbers 1/1', async () => {
    const store = await FileMessageStore.open(dir);
    expect(store.nextSenderSeq).to.equal(1);
    expect(store.nextTargetSeq).to.equal(1);
    await store.close();
  });

  it('resumes sequence numbers and serves stored messages after a restart (read from disk)', async () => {
    const store = await FileMessageStore.open(dir);
    for (let seq = 1; seq <= 5; seq++) store.append(seq, msg(seq), seq === 1);
    store.setNextTargetSeq(9);
    await store.flush();
    await store.close();

    const again = await FileMessageStore.open(dir);
    expect(again.nextSenderSeq).to.equal(6);
    expect(again.nextTargetSeq).to.equal(9);
    expect(again.cachedRange(2, 4), 'nothing of a fresh store is in memory').to.equal(null);
    const got = await again.range(2, 4);
    expect(got.map((m) => m.seq)).to.deep.equal([2, 3, 4]);
    expect(got[0]!.bytes.toString('latin1')).to.equal(msg(2).toString('latin1'));
    expect((await again.range(1, 1))[0]!.admin).to.equal(true);
    await again.close();
  });

  it('answers recent ranges from memory, synchronously, including what is staged but not yet flushed', async () => {
    const store = await FileMessageStore.open(dir);
    store.append(1, msg(1), true);
    store.append(2, msg(2), false);
    const got = store.cachedRange(1, 10);
    expect(got!.map((m) => m.seq)).to.deep.equal([1, 2]);
    await store.flush();
    await store.close();
  });

  it('copies appended bytes (the caller reuses its encoder buffer)', async () => {
    const store = await FileMessageStore.open(dir);
    const reused = msg(1, 'first');
    store.append(1, reused, false);
    reused.fill(0x41);
    const [first] = store.cachedRange(1, 1)!;
    expect(first!.bytes.toString('latin1')).to.contain('58=first');
    await store.flush();
    await store.close();
  });

  it('cuts off a torn tail left by a crash mid-write and keeps every complete record', async () => {
    const store = await FileMessageStore.open(dir);
    for (let seq = 1; seq <= 3; seq++) store.append(seq, msg(seq), false);
    await store.flush();
    await store.close();
    const file = join(dir, 'store.1.dat');
    const whole = (await stat(file)).size;
    // a fourth record whose write stopped half way
    await appendFile(file, Buffer.from([1, 40, 0, 0, 0, 4, 0, 0, 0, 0, 0x38, 0x3d]));

    const recovered: number[] = [];
    const again = await FileMessageStore.open(dir, { onRecovered: (i) => recovered.push(i.truncatedBytes) });
    expect(recovered).to.deep.equal([12]);
    expect((await stat(file)).size).to.equal(whole);
    expect(again.nextSenderSeq).to.equal(4);
    again.append(4, msg(4), false);
    await again.flush();
    await again.close();
    const third = await FileMessageStore.open(dir);
    expect((await third.range(1, 4)).map((m) => m.seq)).to.deep.equal([1, 2, 3, 4]);
    await third.close();
  });

  it('never hands out a sequence number of a message written after the last seqnums record (per-message records of older files)', async () => {
    // Files written before batch records hold one record per message and separate seqnums records; a crash could
    // leave messages after the last seqnums record. Build such a file: header, seqnums 1/1, messages 1 and 2.
    const header = writeHeader(1, Date.now());
    const seqnums = Buffer.alloc(SEQNUMS_SIZE);
    putSeqnumsRecord(seqnums, 0, 1, 1);
    const records = [msg(1), msg(2)].map((m, i) => {
      const r = Buffer.alloc(MESSAGE_OVERHEAD + m.length);
      putMessageRecord(r, 0, i + 1, 0, m);
      return r;
    });
    await writeFile(join(dir, 'store.1.dat'), Buffer.concat([header, seqnums, ...records]));
    const again = await FileMessageStore.open(dir);
    expect(again.nextSenderSeq).to.equal(3);
    expect((await again.range(1, 2)).map((m) => m.bytes.toString('latin1'))).to.deep.equal([msg(1), msg(2)].map((m) => m.toString('latin1')));
    await again.close();
  });

  it('writes a turn as one batch record and loses it whole when a crash tears it', async () => {
    const store = await FileMessageStore.open(dir);
    store.append(1, msg(1), false);
    await store.flush();
    store.append(2, msg(2), false);
    store.append(3, msg(3), false);
    store.setNextTargetSeq(7);
    await store.flush();
    await store.close();
    const file = join(dir, 'store.1.dat');
    const whole = (await stat(file)).size;
    // The second batch: header, two messages, two entries, CRC. Cut it anywhere past its first message.
    const second = BATCH_HEADER + msg(2).length + msg(3).length + 2 * BATCH_ENTRY + 4;
    await truncate(file, whole - second + BATCH_HEADER + msg(2).length + 3);
    const recovered: number[] = [];
    const again = await FileMessageStore.open(dir, { onRecovered: (i) => recovered.push(i.truncatedBytes) });
    expect(recovered).to.deep.equal([msg(2).length + 3 + BATCH_HEADER]);
    expect(again.nextSenderSeq, 'nothing of the torn batch survives').to.equal(2);
    expect(again.nextTargetSeq).to.equal(1);
    expect((await again.range(1, 3)).map((m) => m.seq)).to.deep.equal([1]);
    await again.close();
  });

  it('resets to 1/1 in a new epoch file and forgets the old messages, also after a restart', async () => {
    const store = await FileMessageStore.open(dir);
    for (let seq = 1; seq <= 3; seq++) store.append(seq, msg(seq), false);
    store.setNextTargetSeq(7);
    await store.flush();
    store.reset(Date.now());
    store.append(1, msg(1, 'new'), true);
    await store.flush();
    expect((await readdir(dir)).filter((f) => f !== 'lock')).to.deep.equal(['store.2.dat']);
    await store.close();
    const again = await FileMessageStore.open(dir);
    expect(again.nextSenderSeq).to.equal(2);
    expect(again.nextTargetSeq).to.equal(1);
    const got = await again.range(1, 10);
    expect(got.map((m) => m.bytes.toString('latin1'))).to.deep.equal([msg(1, 'new').toString('latin1')]);
    await again.close();
  });

  it('writes what was staged before a reset into the old epoch first', async () => {
    const store = await FileMessageStore.open(dir);
    store.append(1, msg(1), false);
    store.reset(Date.now());
    store.append(1, msg(1, 'after'), false);
    await store.flush();
    await store.close();
    const again = await FileMessageStore.open(dir);
    expect((await again.range(1, 1))[0]!.bytes.toString('latin1')).to.contain('58=after');
    await again.close();
  });

  it('a reset interrupted before its first write leaves the old store in place', async () => {
    const store = await FileMessageStore.open(dir);
    store.append(1, msg(1), false);
    store.append(2, msg(2), false);
    await store.flush();
    await store.close();
    // the crash: the new epoch file exists but its header never made it
    await writeFile(join(dir, 'store.2.dat'), Buffer.from('FIXST'));
    const again = await FileMessageStore.open(dir);
    expect(again.nextSenderSeq).to.equal(3);
    expect((await readdir(dir)).filter((f) => f !== 'lock')).to.deep.equal(['store.1.dat']);
    await again.close();
  });

  it('a reset interrupted after its first write but before the old file was deleted counts as done', async () => {
    const store = await FileMessageStore.open(dir);
    store.append(1, msg(1), false);
    await store.flush();
    await store.close();
    await writeFile(join(dir, 'store.2.dat'), writeHeader(2, Date.now()));
    const again = await FileMessageStore.open(dir);
    expect(again.nextSenderSeq).to.equal(1);
    expect((await readdir(dir)).filter((f) => f !== 'lock')).to.deep.equal(['store.2.dat']);
    await again.close();
  });

  it('a failed disk write rejects the flush with StoreFailedError, and every later flush too', async () => {
    const store = await FileMessageStore.open(dir);
    store.append(1, msg(1), false);
    await store.flush();
    // the next epoch file is the full device: the kernel answers the write with ENOSPC
    await symlink('/dev/full', join(dir, 'store.2.dat'));
    store.reset(Date.now());
    store.append(1, msg(1), true);
    const failure = await store.flush().then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).to.be.instanceOf(StoreFailedError);
    expect((failure as StoreFailedError).cause.message).to.match(/ENOSPC/);
    expect(store.failure).to.not.equal(null);
    store.append(2, msg(2), false);
    const second = await store.flush().then(
      () => null,
      (err: unknown) => err,
    );
    expect(second).to.be.instanceOf(StoreFailedError);
    await store.close();
  });

  it('with fsync on, writes and resets the same way (each flush synced)', async () => {
    const store = await FileMessageStore.open(dir, { fsync: true });
    store.append(1, msg(1), false);
    await store.flush();
    store.reset(Date.now());
    store.append(1, msg(1, 'synced'), false);
    await store.flush();
    await store.close();
    const again = await FileMessageStore.open(dir);
    expect((await again.range(1, 1))[0]!.bytes.toString('latin1')).to.contain('58=synced');
    expect(again.nextSenderSeq).to.equal(2);
    await again.close();
  });

  it('refuses a store another live process holds, and takes over one left by a dead process', async () => {
    await writeFile(join(dir, 'lock'), String(process.ppid));
    const refused = await FileMessageStore.open(dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(StoreLockedError);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(dir, 'lock'), String(dead));
    const store = await FileMessageStore.open(dir);
    expect(store.nextSenderSeq).to.equal(1);
    await store.close();
    expect(await readdir(dir)).to.not.include('lock');
  });

  it('keeps flushes in call order when they overlap', async () => {
    const store = await FileMessageStore.open(dir);
    const flushes: Promise<void>[] = [];
    for (let seq = 1; seq <= 50; seq++) {
      store.append(seq, msg(seq, 'y'.repeat(seq * 50)), false);
      flushes.push(store.flush());
    }
    await Promise.all(flushes);
    await store.close();
    const again = await FileMessageStore.open(dir, { cacheSize: 0 });
    const got = await again.range(1, 50);
    expect(got.map((m) => m.seq)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(got[49]!.bytes.length).to.equal(msg(50, 'y'.repeat(2500)).length);
    await again.close();
  });
});
