import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageLog } from '../../../src/fix/store/message-log.js';

describe('MessageLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes both directions and events as readable lines with | for SOH', async () => {
    const log = new MessageLog(dir);
    const now = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
    const inbound = Buffer.from('xx8=FIX.4.4\x0135=A\x01yy');
    log.incoming(inbound, 2, inbound.length - 2, now);
    const outbound = Buffer.from('8=FIX.4.4\x0135=0\x01');
    log.outgoing(outbound, 0, outbound.length, now);
    log.event('Logon accepted', now);
    await log.close();
    const text = await readFile(join(dir, 'messages.log'), 'latin1');
    expect(text).to.equal(
      '20240102-03:04:05.006 IN  8=FIX.4.4|35=A|\n' +
        '20240102-03:04:05.006 OUT 8=FIX.4.4|35=0|\n' +
        '20240102-03:04:05.006 EVT Logon accepted\n',
    );
  });

  it('keeps a message with a newline in it on one line', async () => {
    const log = new MessageLog(dir);
    const raw = Buffer.from('8=FIX.4.4\x0158=two\nlines\x01');
    log.incoming(raw, 0, raw.length, Date.UTC(2024, 0, 1));
    await log.close();
    expect(await readFile(join(dir, 'messages.log'), 'latin1')).to.equal('20240101-00:00:00.000 IN  8=FIX.4.4|58=two lines|\n');
  });

  it('rotates by size and keeps the configured number of old files', async () => {
    const log = new MessageLog(dir, { maxFileBytes: 200, keepFiles: 2 });
    for (let i = 0; i < 12; i++) {
      const line = Buffer.from(`8=FIX.4.4\x0158=${'m'.repeat(60)}${i}\x01`);
      log.incoming(line, 0, line.length, Date.now());
      await log.flush();
    }
    await log.close();
    const files = (await readdir(dir)).sort();
    expect(files).to.deep.equal(['messages.log', 'messages.log.1', 'messages.log.2']);
    const newest = await readFile(join(dir, 'messages.log'), 'latin1');
    expect(newest).to.contain(`${'m'.repeat(60)}11|`);
  });

  it('rotates at each new UTC day, also inside one batch, and keeps a file from earlier today on a restart', async () => {
    const day = (d: number, h: number): number => Date.UTC(2024, 0, d, h);
    const msg = (text: string): Buffer => Buffer.from(`8=FIX.4.4\x0158=${text}\x01`);
    const first = new MessageLog(dir, { keepFiles: 5 });
    first.incoming(msg('mon-1'), 0, msg('mon-1').length, day(1, 22));
    first.incoming(msg('tue-1'), 0, msg('tue-1').length, day(2, 0)); // same batch, past midnight
    await first.close();
    // A restart the same day appends; the next day's first line starts a new file.
    const second = new MessageLog(dir, { keepFiles: 5 });
    const today = Date.UTC(2024, 0, 2, 1);
    const tomorrow = Date.UTC(2024, 0, 3, 1);
    // The kept file's day comes from when it was last written: make that "today" for the check.
    const { utimes } = await import('node:fs/promises');
    await utimes(join(dir, 'messages.log'), today / 1000, today / 1000);
    second.incoming(msg('tue-2'), 0, msg('tue-2').length, today);
    await second.flush();
    second.incoming(msg('wed-1'), 0, msg('wed-1').length, tomorrow);
    await second.close();
    const read = (name: string): Promise<string> => readFile(join(dir, name), 'latin1');
    expect((await readdir(dir)).sort()).to.deep.equal(['messages.log', 'messages.log.1', 'messages.log.2']);
    expect(await read('messages.log.2')).to.contain('58=mon-1|').and.not.contain('tue');
    const tuesday = await read('messages.log.1');
    expect(tuesday).to.contain('58=tue-1|').and.contain('58=tue-2|').and.not.contain('wed');
    expect(await read('messages.log')).to.contain('58=wed-1|').and.not.contain('tue');
  });

  it('drops and counts lines instead of holding more than maxPendingBytes', async () => {
    const log = new MessageLog(dir, { maxPendingBytes: 100, flushIntervalMs: 10_000 });
    const line = Buffer.from('x'.repeat(40));
    for (let i = 0; i < 10; i++) log.incoming(line, 0, line.length, Date.now());
    expect(log.dropped).to.be.greaterThan(0);
    await log.close();
    const text = await readFile(join(dir, 'messages.log'), 'latin1');
    expect(text.split('\n').filter(Boolean).length).to.equal(10 - log.dropped);
  });
});
