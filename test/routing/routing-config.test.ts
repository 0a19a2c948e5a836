// The `routing` section of the venue config: the demo profile loads; every mistake names the file, the key and
// what was expected.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadVenueConfig } from '../../src/config/load-config.js';

describe('routing config', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'routing-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A config file being edited by the test: any shape goes, the loader is what is under test.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = Record<string, any>;
  const demo = (): Json => {
    const c = JSON.parse(readFileSync('config/demo-routing.json', 'utf8')) as Json;
    c['fix']['dictionary'] = resolve('fix-dictionaries/FIX44.xml');
    return c;
  };
  let n = 0;
  const write = (value: unknown): string => {
    const path = join(dir, `c${++n}.json`);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const expectError = (config: Json, key: string, fragment: string): void => {
    const path = write(config);
    try {
      loadVenueConfig(path, {});
      expect.fail('loading should have failed');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const e = err as ConfigError;
      expect([e.file, e.key]).to.deep.equal([path, key]);
      expect(e.message).to.contain(fragment);
    }
  };

  it('loads the demo profile: a Binance route for BTCUSDT with defaults filled in', () => {
    const s = loadVenueConfig('config/demo-routing.json', {});
    const routing = s.routing!;
    expect(routing.instruments).to.deep.equal({ BTCUSDT: { route: 'BINANCE', fallback: null } });
    expect(routing.exDestinations['LOCAL']).to.deep.equal({ route: 'local', fallback: null });
    const route = routing.routes[0]!;
    expect(route).to.include({ type: 'binance', name: 'BINANCE', environment: 'custom', credentialsEnvPrefix: 'DEMO_BINANCE_', timeoutMs: 10_000 });
  });

  it('reads a FIX route, a fallback, and a route written on the instrument itself', () => {
    const c = demo();
    c['routing']['routes']['XV'] = { type: 'fix', host: '10.0.0.2', port: 9876, senderCompId: 'VENUE', targetCompId: 'XV', passwordEnv: 'XV_PASSWORD', tls: { servername: 'xv.example' } };
    c['routing']['instruments'] = { BTCUSDT: { route: 'BINANCE', fallback: 'XV' } };
    c['instruments'][1]['route'] = { route: 'XV', fallback: 'local' };
    const s = loadVenueConfig(write(c), {});
    expect(s.routing!.instruments).to.deep.equal({ BTCUSDT: { route: 'BINANCE', fallback: 'XV' }, ETHUSDT: { route: 'XV', fallback: 'local' } });
    const xv = s.routing!.routes.find((r) => r.name === 'XV')!;
    expect(xv).to.include({ type: 'fix', host: '10.0.0.2', passwordEnv: 'XV_PASSWORD', heartbeatSeconds: 30, reconnectMinMs: 1000 });
    expect(xv.type === 'fix' && xv.tls).to.deep.equal({ servername: 'xv.example', caFile: '', certFile: '', keyFile: '', rejectUnauthorized: true });
  });

  it('names what is wrong', () => {
    const unknownRoute = demo();
    unknownRoute['routing']['instruments'] = { BTCUSDT: 'KRAKEN' };
    expectError(unknownRoute, 'routing.instruments.BTCUSDT', '"local" or a route defined in routing.routes (BINANCE)');

    const unknownSymbol = demo();
    unknownSymbol['routing']['instruments'] = { DOGEUSDT: 'BINANCE' };
    expectError(unknownSymbol, 'routing.instruments.DOGEUSDT', 'a symbol listed in instruments');

    const sameFallback = demo();
    sameFallback['routing']['instruments'] = { BTCUSDT: { route: 'BINANCE', fallback: 'BINANCE' } };
    expectError(sameFallback, 'routing.instruments.BTCUSDT.fallback', 'a route other than the primary one');

    const customWithoutUrl = demo();
    delete customWithoutUrl['routing']['routes']['BINANCE']['wsApiUrl'];
    expectError(customWithoutUrl, 'routing.routes.BINANCE.wsApiUrl', 'required with environment "custom"');

    const badUrl = demo();
    badUrl['routing']['routes']['BINANCE']['restBaseUrl'] = 'ftp://x';
    expectError(badUrl, 'routing.routes.BINANCE.restBaseUrl', 'a http: or https: URL');

    const keyInFile = demo();
    keyInFile['routing']['routes']['BINANCE']['apiSecret'] = 'do-not';
    expectError(keyInFile, 'routing.routes.BINANCE.apiSecret', 'one of the known keys');

    const fixWithoutHost = demo();
    fixWithoutHost['routing']['routes']['XV'] = { type: 'fix', port: 1, senderCompId: 'A', targetCompId: 'B' };
    expectError(fixWithoutHost, 'routing.routes.XV.host', 'this key is required');

    const localName = demo();
    localName['routing']['routes']['local'] = { type: 'fix', host: 'h', port: 1, senderCompId: 'A', targetCompId: 'B' };
    expectError(localName, 'routing.routes.local', 'other than "local"');

    const longPrefix = demo();
    longPrefix['routing']['routes']['BINANCE']['clientOrderIdPrefix'] = 'much-too-long';
    expectError(longPrefix, 'routing.routes.BINANCE.clientOrderIdPrefix', 'at most 6 of');
  });
});
