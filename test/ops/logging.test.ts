// Logs: the venue logger writes JSON lines (production) or readable lines (development) with correlation
// fields; the config switches the per-session FIX message logs and sets their rotation; the dashboard's log
// tap sees warnings and errors only.

import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { createLogger } from '../../src/shared/logger.js';
import { tapLogs, type TappedLine } from '../../src/ops/log-tap.js';
import { startTestVenue } from '../support/test-venue.js';
import { eventually } from './support/ops-harness.js';

function collect(stream: PassThrough): () => string[] {
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== '')));
  return () => lines;
}

describe('ops logging', function () {
  this.timeout(30_000);

  it('writes JSON lines with session, ClOrdID and order id as fields', async () => {
    const stream = new PassThrough();
    const lines = collect(stream);
    const logger = createLogger({ level: 'info', format: 'json', stream });
    logger.child({ session: 'BROKER1' }).info('order accepted', { clOrdId: 'C-1', orderId: 42 });
    logger.debug('not at this level');
    await eventually(() => lines().length === 1, 'one line');
    const line = JSON.parse(lines()[0]!) as Record<string, unknown>;
    expect(line).to.include({ level: 'info', message: 'order accepted', session: 'BROKER1', clOrdId: 'C-1', orderId: 42 });
    expect(line.timestamp).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes readable lines in development', async () => {
    const stream = new PassThrough();
    const lines = collect(stream);
    createLogger({ level: 'debug', format: 'text', stream }).warn('session logged out', { session: 'BROKER2', reason: 'counterparty logged out' });
    await eventually(() => lines().length === 1, 'one line');
    expect(lines()[0]).to.match(/^\S+ WARN  session logged out {2}session=BROKER2 reason=counterparty logged out$/);
  });

  it('taps warnings and errors for the dashboard, not info, until removed', async () => {
    const logger = createLogger({ level: 'info', format: 'json', stream: new PassThrough() });
    const seen: TappedLine[] = [];
    const untap = tapLogs(logger, (l) => seen.push(l));
    logger.info('routine');
    logger.warn('store slow', { session: 'BROKER1' });
    logger.error('journal failed', { reason: 'EIO' });
    await eventually(() => seen.length === 2, 'two tapped lines');
    expect(seen.map((l) => [l.level, l.message, l.fields.session ?? l.fields.reason])).to.deep.equal([
      ['warn', 'store slow', 'BROKER1'],
      ['error', 'journal failed', 'EIO'],
    ]);
    untap();
    logger.error('after untap');
    await new Promise((r) => setImmediate(r));
    expect(seen).to.have.length(2);
  });

  describe('config', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ops-log-config-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const configWith = (log: unknown): string => {
      const base = JSON.parse(readFileSync('config/venue.json', 'utf8')) as { venue: Record<string, unknown>; fix: Record<string, unknown> };
      base.venue.log = log;
      base.fix.dictionary = join(process.cwd(), 'fix-dictionaries/FIX44.xml');
      const file = join(dir, `venue-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(base));
      return file;
    };

    it('reads level, format and FIX message log settings, with JSON the default in production', () => {
      const file = configWith({ level: 'warn', fixMessages: { enabled: false, maxFileBytes: 1048576, keepFiles: 3 } });
      const dev = loadVenueConfig(file, {});
      expect(dev.logLevel).to.equal('warn');
      expect(dev.logFormat).to.equal('text');
      expect(dev.fixMessageLog).to.deep.equal({ enabled: false, maxFileBytes: 1048576, keepFiles: 3 });
      expect(loadVenueConfig(file, { NODE_ENV: 'production' }).logFormat).to.equal('json');
      expect(loadVenueConfig(file, { NODE_ENV: 'production', LOG_FORMAT: 'text' }).logFormat).to.equal('text');
      expect(loadVenueConfig(configWith({ format: 'text' }), { NODE_ENV: 'production' }).logFormat).to.equal('text');
      expect(loadVenueConfig(configWith({}), {}).fixMessageLog).to.deep.equal({ enabled: true, maxFileBytes: 64 * 1024 * 1024, keepFiles: 5 });
    });

    it('refuses bad values naming the key', () => {
      expect(() => loadVenueConfig(configWith({ fixMessages: { keepFiles: -1 } }), {})).to.throw(ConfigError, /venue\.log\.fixMessages\.keepFiles/);
      expect(() => loadVenueConfig(configWith({ fixMessages: { rotate: true } }), {})).to.throw(ConfigError, /rotate/);
      expect(() => loadVenueConfig(configWith({}), { LOG_FORMAT: 'xml' })).to.throw(ConfigError, /LOG_FORMAT/);
    });
  });

  it('the venue writes per-session FIX logs under sessions/, rotated by the configured size, or none when switched off', async () => {
    const on = await startTestVenue({ adjust: (s) => (s.fixMessageLog = { enabled: true, maxFileBytes: 4096, keepFiles: 2 }) });
    try {
      const client = await on.logon('BROKER1');
      const folder = join(on.dir, 'sessions', 'FIX.4.4-VENUE-BROKER1');
      // The log is written in batches (a timer): several rounds of traffic, each waited for on disk, so that
      // batches overflow the 4 KiB limit again and again.
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 15; i++) client.send('1', `112=ROTATE-${round}-${i}\x01`);
        await client.next((m) => m.type === '0' && m.get(112) === `ROTATE-${round}-14`);
        await eventually(() => readFileSync(join(folder, 'messages.log'), 'utf8').includes(`112=ROTATE-${round}-14|`), `round ${round} on disk`);
      }
      await eventually(() => readdirSync(folder).includes('messages.log.2'), 'two rotations');
      const files = readdirSync(folder).filter((f) => f.startsWith('messages.log')).sort();
      expect(files).to.deep.equal(['messages.log', 'messages.log.1', 'messages.log.2']);
      const older = readFileSync(join(folder, 'messages.log.2'), 'utf8');
      expect(older).to.match(/^\d{8}-\d\d:\d\d:\d\d\.\d{3} IN {2}8=FIX\.4\.4\|9=\d+\|35=1\|.*\|112=ROTATE-\d-\d+\|10=\d{3}\|$/m);
      expect(older).to.match(/^\d{8}-\d\d:\d\d:\d\d\.\d{3} OUT 8=FIX\.4\.4\|9=\d+\|35=0\|.*\|112=ROTATE-\d-\d+\|10=\d{3}\|$/m);
      expect(older).to.not.include('\x01');
      client.close();
    } finally {
      await on.dispose();
    }
    const off = await startTestVenue({ adjust: (s) => (s.fixMessageLog = { enabled: false, maxFileBytes: 4096, keepFiles: 2 }) });
    try {
      const client = await off.logon('BROKER1');
      await client.logout();
      await off.app.stop();
      const folder = join(off.dir, 'sessions', 'FIX.4.4-VENUE-BROKER1');
      expect(existsSync(folder)).to.equal(true);
      expect(readdirSync(folder).filter((f) => f.startsWith('messages.log'))).to.deep.equal([]);
    } finally {
      await off.dispose();
    }
  });
});
