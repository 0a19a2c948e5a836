import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadVenueConfig } from '../../src/config/load-config.js';

describe('config: records and clearing sections', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'venue-clearing-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The demo config with the given records/clearing sections (undefined removes a section). */
  const write = (name: string, sections: Record<string, unknown>): string => {
    const c = JSON.parse(readFileSync('config/venue.json', 'utf8')) as Record<string, unknown> & { fix: Record<string, unknown> };
    c.fix.dictionary = resolve('fix-dictionaries/FIX44.xml');
    for (const [k, v] of Object.entries(sections)) {
      if (v === undefined) delete c[k];
      else c[k] = v;
    }
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(c));
    return path;
  };

  const expectError = (path: string, key: string, fragment: string): void => {
    try {
      loadVenueConfig(path, {});
      expect.fail('loading should have failed');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).key).to.equal(key);
      expect((err as ConfigError).message).to.contain(fragment);
    }
  };

  it('reads the demo sections: exact fee rates, per-firm overrides, end-of-day time', () => {
    const s = loadVenueConfig('config/venue.json', {});
    expect(s.clearing.fees.default).to.deep.equal({ maker: 10_000, taker: 50_000 });
    expect(s.clearing.fees.firms.BROKER2).to.deep.equal({ maker: -2_000, taker: 40_000 });
    expect(s.clearing.endOfDay).to.deep.equal({ hour: 0, minute: 10 });
    expect(s.clearing.reportsDir).to.equal(resolve('var/demo/reports'));
    expect(s.records.dir).to.equal(resolve('var/demo/records'));
    expect(s.records.fsync).to.equal(true);
  });

  it('defaults everything when the sections are absent', () => {
    const s = loadVenueConfig(write('none.json', { records: undefined, clearing: undefined }), {});
    expect(s.clearing).to.deep.include({ enabled: true, queue: 'clearing', keepCompletedJobs: 1000, assetDecimals: {} });
    expect(s.clearing.batch).to.deep.equal({ maxTrades: 1000, maxDelayMs: 50 });
    expect(s.clearing.fees).to.deep.equal({ default: { maker: 0, taker: 0 }, firms: {} });
    expect(s.records).to.deep.equal({ dir: join(s.dataDir, 'records'), fsync: true, memoryTrades: 200_000, flushIntervalMs: 10 });
    expect(s.clearing.retentionDays).to.equal(30);
  });

  it('takes a settlement scale finer than exactness needs', () => {
    const s = loadVenueConfig(write('fine-scale.json', { clearing: { assetDecimals: { USDT: 8 } } }), {});
    expect(s.clearing.assetDecimals).to.deep.equal({ USDT: 8 });
  });

  it('a firm override keeps the default rate it does not name', () => {
    const s = loadVenueConfig(write('partial.json', { clearing: { fees: { default: { maker: '0.0001', taker: '0.0003' }, firms: { BROKER1: { taker: '0.00025' } } } } }), {});
    expect(s.clearing.fees.firms.BROKER1).to.deep.equal({ maker: 10_000, taker: 25_000 });
  });

  it('refuses bad values, naming the key', () => {
    expectError(write('float.json', { clearing: { fees: { default: { taker: 0.0005 } } } }), 'clearing.fees.default.taker', 'a string');
    expectError(write('neg.json', { clearing: { fees: { default: { taker: '-0.001' } } } }), 'clearing.fees.default.taker', 'fee rate');
    expectError(write('fine.json', { clearing: { fees: { default: { maker: '0.000000001' } } } }), 'clearing.fees.default.maker', 'at most 8 decimals');
    expectError(write('firm.json', { clearing: { fees: { firms: { NOBODY: { taker: '0.001' } } } } }), 'clearing.fees.firms.NOBODY', 'configured firm');
    expectError(write('time.json', { clearing: { endOfDay: { time: '24:00' } } }), 'clearing.endOfDay.time', 'HH:MM');
    expectError(write('queue.json', { clearing: { queue: 'a:b' } }), 'clearing.queue', 'no ":"');
    expectError(write('batch.json', { clearing: { batch: { maxTrades: 0 } } }), 'clearing.batch.maxTrades', 'from 1');
    expectError(write('typo.json', { clearing: { batches: {} } }), 'clearing.batches', 'known keys');
    expectError(write('rec.json', { records: { memoryTrades: -1 } }), 'records.memoryTrades', 'from 1');
    expectError(write('scale.json', { clearing: { assetDecimals: { USDT: 6 } } }), 'clearing.assetDecimals.USDT', 'from 7 to 15');
    expectError(write('asset.json', { clearing: { assetDecimals: { DOGE: 8 } } }), 'clearing.assetDecimals.DOGE', 'an asset some instrument trades');
  });
});
