import { expect } from 'chai';
import { Side } from '../../src/venue/model/enums.js';
import type { AuditEntry } from '../../src/risk/model/audit.js';
import { RiskInputError } from '../../src/risk/core/risk-core.js';
import { newOrder, px, qty } from './support/fixtures.js';
import { coreRig } from './support/core-setup.js';

const T0 = 1_700_000_000_000;

describe('risk: kill switches', () => {
  it('on: asks for a mass cancel of the scope and refuses its orders until released', async () => {
    const { core, actions } = coreRig();
    const audits: AuditEntry[] = [];
    core.on('audit', (e: AuditEntry) => audits.push(e));

    expect(core.killSwitchOn({ kind: 'account', id: 'ACC1' }, 'alice', 'runaway algo')).to.equal(true);
    expect(actions.massCancels).to.deep.equal([]); // requested after the current call stack, never inside it
    await actions.until(() => actions.massCancels.length === 1);
    expect(actions.massCancels[0]).to.deep.equal({ scope: { kind: 'account', id: 'ACC1' }, reason: 'kill switch: runaway algo' });
    expect(core.check(newOrder())).to.deep.equal({
      reason: 'kill-switch', ordRejReason: 99, cxlRejReason: 99, limit: 'kill-switch', text: 'kill switch on (account ACC1): runaway algo',
    });
    expect(core.check(newOrder({ account: 'ACC2' }))).to.equal(null);
    expect(core.killSwitchOn({ kind: 'account', id: 'ACC1' }, 'bob', 'again')).to.equal(false);

    expect(core.killSwitchOff({ kind: 'account', id: 'ACC1' }, 'alice', 'fixed')).to.equal(true);
    expect(core.check(newOrder())).to.equal(null);
    expect(core.killSwitchOff({ kind: 'account', id: 'ACC1' }, 'alice', 'fixed')).to.equal(false);
    expect(audits.map((a) => [a.action, a.scope, a.by, a.reason])).to.deep.equal([
      ['kill-on', 'account:ACC1', 'alice', 'runaway algo'],
      ['kill-off', 'account:ACC1', 'alice', 'fixed'],
    ]);
  });

  it('covers firm and session scopes, and refuses unknown scopes', async () => {
    const { core, actions } = coreRig();
    core.killSwitchOn({ kind: 'session', id: 'S-ACC2' }, 'ops', 'session misbehaves');
    core.killSwitchOn({ kind: 'firm', id: 'F2' }, 'ops', 'margin call');
    await actions.until(() => actions.massCancels.length === 2);
    expect(core.check(newOrder({ account: 'ACC2' }))?.text).to.equal('kill switch on (session S-ACC2): session misbehaves');
    expect(core.check(newOrder({ account: 'ACC3' }))?.text).to.equal('kill switch on (firm F2): margin call');
    expect(core.check(newOrder({ account: 'ACC1' }))).to.equal(null);
    expect(core.killSwitches().map((k) => `${k.scope.kind}:${k.scope.id}`).sort()).to.deep.equal(['firm:F2', 'session:S-ACC2']);
    expect(() => core.killSwitchOn({ kind: 'firm', id: 'NOPE' }, 'ops', 'x')).to.throw(RiskInputError, 'unknown firm NOPE');
    expect(() => core.killSwitchOn({ kind: 'desk' as 'firm', id: 'X' }, 'ops', 'x')).to.throw(RiskInputError);
  });

  it('switches a firm off automatically when realised plus unrealised P&L breaches its loss limit', async () => {
    const { core, feed, actions } = coreRig();
    core.setLimits({ level: 'firm', firm: 'F1' }, { lossLimit: '1000' }, 'ops');
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1')); // F1 long 1 at 60000
    feed.cross('ACC3', Side.Sell, 'ACC3', px('59000'), qty('0.1')); // marks BTC at 59000: exactly -1000, not beyond
    expect(core.killSwitches()).to.deep.equal([]);
    feed.cross('ACC3', Side.Sell, 'ACC3', px('58999.99'), qty('0.1')); // -1000.01
    await actions.until(() => actions.massCancels.length === 1);
    const reason = 'loss limit breached: P&L -1000.01 < -1000 USDT (realised + unrealised at last price; firm F1)';
    expect(actions.massCancels[0]).to.deep.equal({ scope: { kind: 'firm', id: 'F1' }, reason: `kill switch: ${reason}` });
    expect(core.check(newOrder({ account: 'ACC2' }))?.text).to.equal(`kill switch on (firm F1): ${reason}`);
    expect(core.killSwitches()[0]!.by).to.equal('risk-engine');
    // F2 (the winner) is not affected; further trades do not switch F1 on twice.
    feed.cross('ACC3', Side.Sell, 'ACC3', px('50000'), qty('0.1'));
    await Promise.resolve();
    expect(actions.massCancels.length).to.equal(1);
    expect(core.check(newOrder({ account: 'ACC3' }))).to.equal(null);
  });

  it('while recovering: replayed trades trigger nothing, admin actions wait for goLive', async () => {
    const { core, feed, actions } = coreRig();
    core.setLimits({ level: 'firm', firm: 'F1' }, { lossLimit: '1000' }, 'ops');
    core.beginRecovery();
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    feed.cross('ACC3', Side.Sell, 'ACC3', px('50000'), qty('0.1'));
    core.killSwitchOn({ kind: 'account', id: 'ACC2' }, 'ops', 'test');
    await Promise.resolve();
    expect(actions.massCancels).to.deep.equal([]);
    expect(core.killSwitches().map((k) => k.scope.id)).to.deep.equal(['ACC2']);
    core.goLive(); // now: the waiting mass cancel, and the loss check on the rebuilt positions
    await actions.until(() => actions.massCancels.length === 2);
    expect(actions.massCancels.map((m) => m.scope.id).sort()).to.deep.equal(['ACC2', 'F1']);
  });
});

describe('risk: circuit breakers', () => {
  const breakers = { default: null, instruments: { BTCUSDT: { movePercent: '5', windowSeconds: 10, haltSeconds: 0.2 } } };

  it('halts when the price moves more than X% within Y seconds, and resumes after Z seconds', async () => {
    const { core, feed, actions } = coreRig({ circuitBreakers: breakers });
    const audits: AuditEntry[] = [];
    core.on('audit', (e: AuditEntry) => audits.push(e));
    const trade = (dt: number, price: string): void => {
      feed.time = T0 + dt;
      feed.cross('ACC3', Side.Sell, 'ACC3', px(price), qty('0.01'));
    };
    trade(0, '60000');
    trade(1000, '61000');
    trade(5000, '63000'); // exactly 5% above the window's low: not more
    trade(10_500, '57000'); // the 60000 trade has left the window; 57000 is 9.52% below its high of 63000
    await actions.until(() => actions.halts.length === 1);
    const started = Date.now();
    expect(actions.halts[0]!.symbol).to.equal('BTCUSDT');
    expect(actions.halts[0]!.reason).to.equal('circuit breaker: BTCUSDT moved 9.52% (63000 -> 57000) within 10s, more than 5%; halted for 0.2s');
    expect(core.breakerHalts().map((h) => h.symbol)).to.deep.equal(['BTCUSDT']);
    await actions.until(() => actions.resumes.length === 1);
    expect(Date.now() - started).to.be.greaterThan(150);
    expect(actions.resumes[0]).to.deep.equal({ symbol: 'BTCUSDT', reason: 'circuit breaker: halt of 0.2s over' });
    expect(core.breakerHalts()).to.deep.equal([]);
    expect(audits.map((a) => a.action)).to.deep.equal(['breaker-trip', 'breaker-resume']);
  });

  it('forgets prices older than the window, and starts afresh after a halt', async () => {
    const { core, feed, actions } = coreRig({ circuitBreakers: breakers });
    const trade = (dt: number, price: string): void => {
      feed.time = T0 + dt;
      feed.cross('ACC3', Side.Sell, 'ACC3', px(price), qty('0.01'));
    };
    trade(0, '60000');
    trade(10_000, '63001'); // the 60000 trade is exactly 10 s old: out of the window
    trade(10_001, '63001');
    await Promise.resolve();
    expect(actions.halts).to.deep.equal([]);
    trade(12_000, '66151.06'); // 5.00001% above 63001
    await actions.until(() => actions.halts.length === 1);
    // Ops resume by hand: the breaker's timer is cancelled and the window starts empty.
    core.resumeInstrument('BTCUSDT', 'alice', 'checked the news');
    await actions.until(() => actions.resumes.length === 1);
    expect(actions.resumes[0]).to.deep.equal({ symbol: 'BTCUSDT', reason: 'ops: checked the news' });
    trade(12_100, '60000');
    await new Promise((r) => setTimeout(r, 300)); // longer than the halt: the cancelled timer must not fire
    expect(actions.resumes.length).to.equal(1);
    expect(actions.halts.length).to.equal(1);
  });

  it('ops halt and resume by hand, audited', async () => {
    const { core, actions } = coreRig();
    const audits: AuditEntry[] = [];
    core.on('audit', (e: AuditEntry) => audits.push(e));
    core.haltInstrument('ETHUSDT', 'alice', 'exchange incident');
    await actions.until(() => actions.halts.length === 1);
    expect(actions.halts[0]).to.deep.equal({ symbol: 'ETHUSDT', reason: 'ops: exchange incident' });
    expect(() => core.haltInstrument('NOPE', 'alice', 'x')).to.throw(RiskInputError, 'unknown symbol NOPE');
    expect(audits.map((a) => [a.action, a.scope, a.by])).to.deep.equal([['halt', 'ETHUSDT', 'alice']]);
  });
});
