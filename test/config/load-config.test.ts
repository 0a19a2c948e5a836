import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { StpMode } from '../../src/venue/model/enums.js';

describe('venue config', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'venue-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  /** The demo config, with its dictionary path made absolute so copies load from a temp folder. */
  const demo = (): Record<string, unknown> => {
    const c = JSON.parse(readFileSync('config/venue.json', 'utf8')) as Record<string, Record<string, unknown>>;
    c.fix!.dictionary = resolve('fix-dictionaries/FIX44.xml');
    return c;
  };

  const expectError = (path: string, key: string, fragment: string): void => {
    try {
      loadVenueConfig(path, {});
      expect.fail('loading should have failed');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.file).to.equal(path);
      expect(e.key).to.equal(key);
      expect(e.message).to.contain(fragment);
    }
  };

  it('loads the demo config with exact scaled instruments', () => {
    const s = loadVenueConfig('config/venue.json', {});
    expect(s.compId).to.equal('VENUE');
    expect(s.fix.port).to.equal(9876);
    const btc = s.instruments.find((i) => i.symbol === 'BTCUSDT')!;
    expect(btc.priceDecimals).to.equal(2);
    expect(btc.qtyDecimals).to.equal(5);
    expect(btc.tickSize).to.equal(1);
    expect(btc.lotSize).to.equal(1);
    expect(btc.referencePrice).to.equal(6_000_000);
    expect(btc.minNotional).to.equal(5 * 10 ** 7);
    expect(s.sessions.map((x) => x.id)).to.deep.equal(['BROKER1', 'BROKER2', 'COMPLIANCE', 'MDFEED']);
    expect(s.firms[1]!.stpMode).to.equal(StpMode.CancelResting);
    expect(s.firms[0]!.stpMode).to.equal(StpMode.CancelAggressing);
  });

  it('loads the bench profile and honours FIX_PORT, ADMIN_PORT and REDIS_URL', () => {
    const s = loadVenueConfig('config/bench.json', { FIX_PORT: '19876', ADMIN_PORT: '18081', REDIS_URL: 'redis://h:1' });
    expect(s.fix.port).to.equal(19876);
    expect(s.adminPort).to.equal(18081);
    expect(s.redisUrl).to.equal('redis://h:1');
    expect(s.sessions.map((x) => x.id)).to.deep.equal(['BENCH1', 'BENCH2', 'BENCH3', 'BENCH4']);
    expect(s.sessions.every((x) => x.resetOnLogon && x.password === '')).to.equal(true);
    expect(s.firms[0]!.stpMode).to.equal(StpMode.None);
  });

  it('names the file, the key and the expectation for a tick size given as a JSON number', () => {
    const c = demo();
    (c.instruments as Array<Record<string, unknown>>)[1]!.tickSize = 0.01;
    expectError(write('num-tick.json', c), 'instruments[1].tickSize', 'expected a string');
  });

  it('refuses a price that is off the tick', () => {
    const c = demo();
    (c.instruments as Array<Record<string, unknown>>)[0]!.referencePrice = '60000.005';
    expectError(write('off-tick.json', c), 'instruments[0].referencePrice', 'at most 2 decimals');
  });

  it('refuses an order-entry session for an unknown firm, and unknown keys', () => {
    const c = demo();
    (c.sessions as Array<Record<string, unknown>>)[0]!.firm = 'NOBODY';
    expectError(write('bad-firm.json', c), 'sessions[0].firm', 'configured firm');
    const d = demo();
    (d.venue as Record<string, unknown>).compID = 'X';
    expectError(write('typo.json', d), 'venue.compID', 'known keys');
  });

  it('turns the FIX message log on or off per session, the venue-wide setting deciding for the rest', () => {
    const c = demo();
    const sessions = c.sessions as Array<Record<string, unknown>>;
    sessions[0]!.messageLog = false;
    const loaded = loadVenueConfig(write('per-session-log.json', c), {});
    expect(loaded.sessions[0]!.messageLog).to.equal(false);
    expect(loaded.sessions[1]!.messageLog).to.equal(undefined);
    sessions[0]!.messageLog = 'no';
    expectError(write('bad-log.json', c), 'sessions[0].messageLog', 'true or false');
  });

  it('reports unreadable and malformed files, and bad environment overrides', () => {
    expectError(join(dir, 'missing.json'), '', 'readable config file');
    expectError(write('broken.json', '{ "venue": '), '', 'valid JSON');
    expect(() => loadVenueConfig('config/venue.json', { FIX_PORT: 'abc' })).to.throw(ConfigError, 'FIX_PORT');
  });

  it('reads venue.snapshots with defaults, and names the file and key of a bad value', () => {
    expect(loadVenueConfig('config/venue.json', {}).snapshots).to.deep.equal({ intervalSeconds: 300, keep: 3, atEndOfDay: true });
    const c = demo();
    (c.venue as Record<string, unknown>).snapshots = { intervalSeconds: 60, keep: 5, atEndOfDay: false };
    expect(loadVenueConfig(write('snapshots.json', c), {}).snapshots).to.deep.equal({ intervalSeconds: 60, keep: 5, atEndOfDay: false });
    (c.venue as Record<string, unknown>).snapshots = { intervalSeconds: 60, keep: 0 };
    expectError(write('snapshots-keep.json', c), 'venue.snapshots.keep', 'an integer from 1 to 1000');
    (c.venue as Record<string, unknown>).snapshots = { intervalSeconds: '60s' };
    expectError(write('snapshots-interval.json', c), 'venue.snapshots.intervalSeconds', 'an integer');
    (c.venue as Record<string, unknown>).snapshots = { interval: 60 };
    expectError(write('snapshots-typo.json', c), 'venue.snapshots.interval', 'known keys');
  });

  it('refuses a dictionary file that does not exist', () => {
    const c = demo();
    (c.fix as Record<string, unknown>).dictionary = '../nowhere/FIX44.xml';
    expectError(write('no-dict.json', c), 'fix.dictionary', 'an existing file');
  });

  it('binds the admin server to 127.0.0.1 unless told otherwise, and refuses an address that is not one', () => {
    expect(loadVenueConfig(write('admin-default.json', demo()), {}).adminHost).to.equal('127.0.0.1');
    const open = demo();
    (open.venue as Record<string, unknown>).adminHost = '0.0.0.0';
    expect(loadVenueConfig(write('admin-open.json', open), {}).adminHost).to.equal('0.0.0.0');
    expect(loadVenueConfig(write('admin-env.json', demo()), { ADMIN_HOST: '::' }).adminHost).to.equal('::');
    const bad = demo();
    (bad.venue as Record<string, unknown>).adminHost = '127.0.0.256';
    expectError(write('admin-bad.json', bad), 'venue.adminHost', 'an IP address to listen on');
    expect(() => loadVenueConfig(write('admin-env-bad.json', demo()), { ADMIN_HOST: 'everywhere' })).to.throw(ConfigError, 'ADMIN_HOST');
  });

  it('reads YAML too', () => {
    const c = demo();
    const s = loadVenueConfig(write('venue.yaml', toYaml(c)), {});
    expect(s.instruments).to.have.length(2);
  });
});
