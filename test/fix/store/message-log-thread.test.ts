// The message log renders and writes on the write thread: a batch larger than the thread takes in one piece goes in
// pieces of whole lines, and a line too large for any piece is dropped and counted.

import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteThread } from '../../../src/io/write-thread.js';
import { MessageLog } from '../../../src/fix/store/message-log.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('MessageLog on the write thread', () => {
  let thread: WriteThread;
  afterEach(async () => {
    await thread.stop();
  });

  it('writes a batch larger than one piece as whole lines, in order', async () => {
    thread = new WriteThread({ dataBytes: 4096 }); // pieces of at most 1 KiB
    const dir = makeTempDir('fix-log-');
    const log = new MessageLog(dir, { thread, flushIntervalMs: 60_000 });
    const now = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const msg = Buffer.from(`8=FIX.4.4\x0135=8\x0111=order-${i}\x0158=${'x'.repeat(i % 50)}\x01`);
      log.outgoing(msg, 0, msg.length, now);
      expected.push(`20240102-03:04:05.006 OUT ${msg.toString('latin1').replaceAll('\x01', '|')}`);
    }
    await log.close();
    const text = await readFile(join(dir, 'messages.log'), 'latin1');
    expect(text.length).to.be.greaterThan(4 * 1024);
    expect(text.split('\n').slice(0, -1)).to.deep.equal(expected);
  });

  it('drops (and counts) a line larger than the write thread takes at once', async () => {
    thread = new WriteThread({ dataBytes: 4096 });
    const dir = makeTempDir('fix-log-');
    const log = new MessageLog(dir, { thread });
    const huge = Buffer.from(`8=FIX.4.4\x0158=${'y'.repeat(2000)}\x01`);
    const small = Buffer.from('8=FIX.4.4\x0135=0\x01');
    log.incoming(huge, 0, huge.length, Date.UTC(2024, 0, 1));
    log.incoming(small, 0, small.length, Date.UTC(2024, 0, 1));
    await log.close();
    expect(log.dropped).to.equal(1);
    expect(await readFile(join(dir, 'messages.log'), 'latin1')).to.equal('20240101-00:00:00.000 IN  8=FIX.4.4|35=0|\n');
  });
});
