import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { RiskCore } from '../../src/risk/core/risk-core.js';
import { newOrder, qty, RecordingActions } from './support/fixtures.js';

describe('risk: the config section', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'risk-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const demoWith = (risk: unknown): string => {
    const c = JSON.parse(readFileSync('config/venue.json', 'utf8')) as Record<string, Record<string, unknown>>;
    c.fix!.dictionary = resolve('fix-dictionaries/FIX44.xml');
    if (risk === undefined) delete c.risk;
    else c.risk = risk as Record<string, unknown>;
    const path = join(dir, `venue-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(c));
    return path;
  };
  const failure = (risk: unknown): ConfigError => {
    try {
      loadVenueConfig(demoWith(risk), {});
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error('loading should have failed');
  };

  it('loads the demo and bench profiles, and their limits work in a risk core', () => {
    const s = loadVenueConfig('config/venue.json', {});
    expect(s.risk.keyPrefix).to.equal('risk:');
    expect(s.risk.writeBehind).to.deep.equal({ intervalMs: 50, maxChanges: 1000, maxPendingAudit: 10000, auditMaxLen: 100000 });
    expect(s.risk.limits.map((l) => l.scope)).to.deep.equal([
      { level: 'firm', firm: 'BROKER1' }, { level: 'firm', firm: 'BROKER2' }, { level: 'account', account: 'B1-ALGO' },
      { level: 'instrument', account: 'B1-ALGO', symbol: 'BTCUSDT' },
    ]);
    expect(s.risk.circuitBreakers.instruments.BTCUSDT).to.deep.equal({ movePercent: '7.5', windowSeconds: 30, haltSeconds: 120 });
    const core = new RiskCore({ instruments: s.instruments, firms: s.firms, actions: new RecordingActions(), circuitBreakers: s.risk.circuitBreakers });
    for (const l of s.risk.limits) core.setLimits(l.scope, l.values as Record<string, string>, 'config');
    const order = newOrder({ firm: 'BROKER1', account: 'B1-ALGO', session: 'BROKER1', qty: qty('5.00001') });
    expect(core.check(order)?.text).to.equal('max order qty exceeded: 5.00001 > 5 (account B1-ALGO, BTCUSDT)');

    // The bench profile never refuses a limit order of 1 at 100.00.
    const b = loadVenueConfig('config/bench.json', {});
    const bench = new RiskCore({ instruments: b.instruments, firms: b.firms, actions: new RecordingActions() });
    for (const l of b.risk.limits) bench.setLimits(l.scope, l.values as Record<string, string>, 'config');
    for (const side of [1, 2] as const) {
      expect(bench.check(newOrder({ firm: 'BENCH', account: 'BENCH', session: 'BENCH1', side, price: 10_000, qty: 100_000 }))).to.equal(null);
    }
  });

  it('defaults to no limits and no breakers without a risk section', () => {
    const s = loadVenueConfig(demoWith(undefined), {});
    expect(s.risk).to.deep.include({ keyPrefix: 'risk:', limits: [], circuitBreakers: { default: null, instruments: {} } });
  });

  it('names the key and the expectation for every mistake', () => {
    let e = failure({ limits: { firms: { NOPE: { maxOrderQty: '1' } } } });
    expect([e.key, e.message]).to.satisfy(([k, m]: [string, string]) => k === 'risk.limits.firms.NOPE' && m.includes('configured firm ids (BROKER1, BROKER2)'));
    e = failure({ limits: { firms: { BROKER1: { maxOrderQty: 5 } } } });
    expect(e.key).to.equal('risk.limits.firms.BROKER1.maxOrderQty');
    expect(e.message).to.contain('numbers are refused');
    e = failure({ limits: { accounts: { 'B1-MAIN': { lossLimit: '5' } } } });
    expect(e.key).to.equal('risk.limits.accounts.B1-MAIN.lossLimit');
    e = failure({ limits: { accountInstruments: { 'B1-MAIN': { DOGEUSDT: { maxOrderQty: '1' } } } } });
    expect(e.key).to.equal('risk.limits.accountInstruments.B1-MAIN.DOGEUSDT');
    e = failure({ limits: { accounts: { 'B1-MAIN': { priceBandPercent: '150' } } } });
    expect(e.message).to.contain('a percentage from "0" to "100"');
    e = failure({ circuitBreakers: { default: { movePercent: '0', windowSeconds: 60, haltSeconds: 60 } } });
    expect(e.key).to.equal('risk.circuitBreakers.default.movePercent');
    e = failure({ circuitBreakers: { default: { movePercent: '5', windowSeconds: 0, haltSeconds: 60 } } });
    expect(e.key).to.equal('risk.circuitBreakers.default.windowSeconds');
    e = failure({ writeBehind: { intervalMs: 0 } });
    expect(e.key).to.equal('risk.writeBehind.intervalMs');
    e = failure({ limitz: {} });
    expect(e.key).to.equal('risk.limitz');
  });
});
