import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { Side } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import type { AuditEntry } from '../../src/risk/model/audit.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { EventFeed, eventually, newOrder, px, qty } from './support/fixtures.js';
import { engineRig, execCalls, inspector, uniquePrefix } from './support/engine-setup.js';

describe('risk: Redis persistence', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let client: Redis;
  before(async () => {
    redis = await startTestRedis();
    client = inspector(redis.url);
  });
  after(async () => {
    client.disconnect();
    await redis.dispose();
  });

  it('writes the config defaults on the first start only; later starts load limits, kill switches and positions from Redis', async () => {
    const keyPrefix = uniquePrefix();
    const a = engineRig(redis.url, { keyPrefix, limits: [{ scope: { level: 'firm', firm: 'F1' }, values: { maxOrderQty: '10' } }] });
    const first = await a.engine.start();
    a.engine.goLive();
    expect(first.firstStart).to.equal(true);
    expect(await client.hgetall(`${keyPrefix}limits:firm:F1`)).to.deep.equal({ maxOrderQty: '10' });
    expect(await client.smembers(`${keyPrefix}limits`)).to.deep.equal(['firm:F1']);
    expect(await client.hget(`${keyPrefix}meta`, 'seededAt')).to.match(/^\d{4}-\d\d-\d\dT/);
    const seedAudit = await a.engine.auditLog();
    expect(seedAudit.map((e) => [e.action, e.scope, e.name, e.old, e.new, e.by])).to.deep.equal([['set-limit', 'firm:F1', 'maxOrderQty', '', '10', 'config']]);

    const feed = new EventFeed(a.engine.onEvent);
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1.5'));
    a.engine.killSwitchOn({ kind: 'account', id: 'ACC2' }, 'alice', 'testing');
    a.engine.setLimits({ level: 'account', account: 'ACC1' }, { maxOrderQty: '3' }, 'alice', 'tighter');
    const positions = a.engine.positions();
    await a.engine.stop();
    expect(await client.hgetall(`${keyPrefix}pos:ACC1:BTC`)).to.include({
      firm: 'F1', account: 'ACC1', asset: 'BTC', net: '1.5', cost: '90000', avgCost: '60000', realisedPnl: '0', volume: '1.5', lastSeq: String(feed.seq),
    });

    // Second start, with different config defaults: Redis wins.
    const b = engineRig(redis.url, { keyPrefix, limits: [{ scope: { level: 'firm', firm: 'F1' }, values: { maxOrderQty: '99' } }] });
    const second = await b.engine.start();
    b.engine.goLive();
    expect(second).to.include({ firstStart: false, limitScopes: 2, killSwitches: 1, positions: 4 });
    expect(b.engine.effectiveLimits('F1', 'ACC2', 'BTCUSDT').maxOrderQty).to.deep.equal({ value: '10', level: 'firm' });
    expect(b.engine.check(newOrder({ qty: qty('3.1') }))?.text).to.equal('max order qty exceeded: 3.1 > 3 (account ACC1)');
    expect(b.engine.check(newOrder({ account: 'ACC2' }))?.text).to.equal('kill switch on (account ACC2): testing');
    expect(b.engine.positions()).to.deep.equal(positions);
    await b.engine.stop();
  });

  it('writes behind in batches: one MULTI/EXEC per flush, positions coalesced, lag reported', async () => {
    let now = 1_000_000;
    const keyPrefix = uniquePrefix();
    const { engine } = engineRig(redis.url, { keyPrefix, writeBehind: { intervalMs: 100, maxChanges: 1_000_000, maxPendingAudit: 100, auditMaxLen: 1000 } }, { clock: () => now });
    await engine.start();
    engine.goLive();
    const feed = new EventFeed(engine.onEvent);
    const execBefore = await execCalls(client);
    const flushesBefore = engine.status().flushes;
    for (let i = 0; i < 500; i++) feed.cross('ACC3', i % 2 ? Side.Sell : Side.Buy, 'ACC1', px('60000') + i, qty('0.01'));
    // Nothing written yet: 2000 position changes wait as 4 coalesced writes (2 accounts × BTC, USDT).
    expect(engine.status()).to.include({ redis: 'up', pendingWrites: 4, lagMs: 0 });
    now += 40;
    expect(engine.status().lagMs).to.equal(40);
    await eventually(() => engine.status().pendingWrites === 0, 5000, 'the timed flush');
    expect(engine.status().flushes - flushesBefore).to.equal(1);
    expect(await execCalls(client)).to.equal(execBefore + 1);
    expect(engine.status().lagMs).to.equal(0);
    const acc1 = engine.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!;
    expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'net')).to.equal(acc1.net);
    expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'volume')).to.equal('5');
    expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'lastSeq')).to.equal(String(feed.seq));
    await engine.stop();
  });

  it('flushes at once when maxChanges changes pile up, and never writes a position ahead of the journal', async () => {
    const keyPrefix = uniquePrefix();
    let durable = 0;
    const { engine } = engineRig(redis.url, { keyPrefix, writeBehind: { intervalMs: 60_000, maxChanges: 8, maxPendingAudit: 100, auditMaxLen: 1000 } }, { durableEventSeq: () => durable });
    await engine.start();
    engine.goLive();
    const feed = new EventFeed(engine.onEvent);
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1')); // 8 changes: flush due at once (not in 60 s)
    const tradeSeq = feed.seq;
    await eventually(() => engine.status().flushes >= 1, 5000, 'a flush');
    // The journal has not made those trades durable yet: the positions wait.
    expect(await client.exists(`${keyPrefix}pos:ACC1:BTC`)).to.equal(0);
    expect(engine.status().pendingWrites).to.equal(4);
    durable = tradeSeq;
    await engine.flush();
    expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'net')).to.equal('2');
    await engine.stop();
  });

  it('rebuilds positions after a crash from Redis plus the replayed events, counting no trade twice', async () => {
    const keyPrefix = uniquePrefix();
    const events: VenueEvent[] = [];
    const a = engineRig(redis.url, { keyPrefix, writeBehind: { intervalMs: 60_000, maxChanges: 1_000_000, maxPendingAudit: 100, auditMaxLen: 1000 } });
    await a.engine.start();
    a.engine.goLive();
    const feed = new EventFeed((e) => {
      events.push(structuredClone(e));
      a.engine.onEvent(e);
    });
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    feed.cross('ACC3', Side.Sell, 'ACC2', px('61000'), qty('2'));
    await a.engine.flush(); // Redis now holds these two trades
    feed.cross('ACC3', Side.Buy, 'ACC1', px('62000'), qty('0.4'));
    feed.cross('ACC2', Side.Sell, 'ACC1', px('63000'), qty('0.1'));
    const expected = a.engine.positions();
    a.engine.abandon(); // as a SIGKILL would: the last two trades never reached Redis
    expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'net')).to.equal('1');

    const b = engineRig(redis.url, { keyPrefix });
    await b.engine.start();
    for (const e of events) b.engine.onEvent(e); // the journal replay: every event from the start
    b.engine.goLive({ eventSeq: feed.seq });
    expect(b.engine.positions()).to.deep.equal(expected);
    expect(b.logger.count('hold trades the venue journal does not')).to.equal(0);
    await b.engine.flush();
    expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'net')).to.equal('0.7');
    expect(await client.hget(`${keyPrefix}pos:ACC1:USDT`, 'net')).to.equal(String(-60000 + 24800 - 6300));
    await b.engine.stop();
  });

  it('carries positions over to a new journal (its seqs start again) and flags Redis ahead of the journal', async () => {
    const keyPrefix = uniquePrefix();
    const a = engineRig(redis.url, { keyPrefix });
    await a.engine.start({ journalId: 'J1' });
    a.engine.goLive();
    const f1 = new EventFeed(a.engine.onEvent);
    for (let i = 0; i < 5; i++) f1.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    await a.engine.stop();

    const b = engineRig(redis.url, { keyPrefix });
    const report = await b.engine.start({ journalId: 'J2' });
    expect(report.journalChanged).to.equal(true);
    const f2 = new EventFeed(b.engine.onEvent); // seqs start at 1 again
    f2.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    b.engine.goLive({ eventSeq: f2.seq });
    expect(b.engine.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!.net).to.equal('6');
    await b.engine.stop();

    // Same journal id, but the journal holds fewer events than Redis has seen: logged loudly.
    const c = engineRig(redis.url, { keyPrefix });
    await c.engine.start({ journalId: 'J2' });
    c.engine.goLive({ eventSeq: 1 });
    expect(c.logger.count('hold trades the venue journal does not')).to.equal(1);
    await c.engine.stop();
  });

  it('applies a limit change from the API at once and from a raw PUBLISH within 100 ms, auditing both', async () => {
    const keyPrefix = uniquePrefix();
    const { engine, logger } = engineRig(redis.url, { keyPrefix, limits: [{ scope: { level: 'account', account: 'ACC1' }, values: { maxOrderQty: '10' } }] });
    await engine.start();
    engine.goLive();

    const changes = engine.setLimits({ level: 'account', account: 'ACC1' }, { maxOrderQty: '5', creditLimit: '100000' }, 'alice', 'fat-finger guard');
    expect(changes.map((c) => [c.name, c.old, c.new])).to.deep.equal([['maxOrderQty', '10', '5'], ['creditLimit', '', '100000']]);
    expect(engine.check(newOrder({ qty: qty('6') }))?.text).to.equal('max order qty exceeded: 6 > 5 (account ACC1)');
    expect(logger.count('risk set-limit account:ACC1 maxOrderQty: 10 -> 5 by alice (fat-finger guard)')).to.equal(1);

    const publisher = inspector(redis.url);
    const applied = new Promise<AuditEntry>((resolve) => {
      const off = engine.onAudit((e) => {
        off();
        resolve(e);
      });
    });
    const started = performance.now();
    await publisher.publish(`${keyPrefix}control`, JSON.stringify({
      op: 'set-limits', scope: 'account:ACC1', limits: { maxOrderQty: '2', creditLimit: null }, by: 'bob', reason: 'desk request',
    }));
    const entry = await applied;
    const elapsed = performance.now() - started;
    expect(elapsed).to.be.lessThan(100);
    expect(entry).to.include({ action: 'set-limit', scope: 'account:ACC1', name: 'maxOrderQty', old: '5', new: '2', by: 'bob' });
    expect(engine.check(newOrder({ qty: qty('3') }))?.text).to.equal('max order qty exceeded: 3 > 2 (account ACC1)');
    expect(engine.effectiveLimits('F1', 'ACC1', 'BTCUSDT').creditLimit).to.equal(null);

    // A malformed message is refused in the log and changes nothing.
    await publisher.publish(`${keyPrefix}control`, JSON.stringify({ op: 'set-limits', scope: 'account:ACC1', limits: { maxOrderQty: 'lots' }, by: 'eve' }));
    await publisher.publish(`${keyPrefix}control`, '{not json');
    await eventually(() => logger.count('control message refused') === 2, 2000, 'the refusals');
    expect(engine.effectiveLimits('F1', 'ACC1', 'BTCUSDT').maxOrderQty?.value).to.equal('2');

    await engine.flush();
    expect(await client.hgetall(`${keyPrefix}limits:account:ACC1`)).to.deep.equal({ maxOrderQty: '2' });
    const audit = await engine.auditLog(10);
    expect(audit.map((e) => [e.by, e.action, e.name, e.old, e.new])).to.deep.equal([
      ['bob', 'clear-limit', 'creditLimit', '100000', ''],
      ['bob', 'set-limit', 'maxOrderQty', '5', '2'],
      ['alice', 'set-limit', 'creditLimit', '', '100000'],
      ['alice', 'set-limit', 'maxOrderQty', '10', '5'],
      ['config', 'set-limit', 'maxOrderQty', '', '10'],
    ]);
    publisher.disconnect();
    await engine.stop();
  });

  it('persists kill switches and breaker halts, switching from the control channel too; a restored halt resumes after start', async () => {
    const keyPrefix = uniquePrefix();
    const breakers = { default: null, instruments: { BTCUSDT: { movePercent: '5', windowSeconds: 10, haltSeconds: 0.3 } } };
    const a = engineRig(redis.url, { keyPrefix, circuitBreakers: breakers });
    await a.engine.start();
    a.engine.goLive();
    const publisher = inspector(redis.url);
    await publisher.publish(`${keyPrefix}control`, JSON.stringify({ op: 'kill', scope: 'firm:F2', by: 'carol', reason: 'limit breach' }));
    await a.actions.until(() => a.actions.massCancels.length === 1);
    const feed = new EventFeed(a.engine.onEvent);
    feed.cross('ACC1', Side.Sell, 'ACC2', px('60000'), qty('0.1'));
    feed.cross('ACC1', Side.Sell, 'ACC2', px('66000'), qty('0.1'));
    await a.actions.until(() => a.actions.halts.length === 1);
    await a.engine.flush();
    expect(JSON.parse((await client.hget(`${keyPrefix}kill`, 'firm:F2'))!)).to.include({ by: 'carol', reason: 'limit breach' });
    expect(JSON.parse((await client.hget(`${keyPrefix}breakers`, 'BTCUSDT'))!).reason).to.contain('circuit breaker: BTCUSDT moved 10.00%');
    a.engine.abandon(); // dies while halted

    const b = engineRig(redis.url, { keyPrefix, circuitBreakers: breakers });
    await b.engine.start();
    expect(b.engine.breakerHalts().map((h) => h.symbol)).to.deep.equal(['BTCUSDT']);
    expect(b.engine.check(newOrder({ account: 'ACC3' }))?.text).to.equal('kill switch on (firm F2): limit breach');
    b.engine.goLive();
    await b.actions.until(() => b.actions.resumes.length === 1);
    expect(b.actions.resumes[0]!.reason).to.equal('circuit breaker: halt of 0.3s over');
    await publisher.publish(`${keyPrefix}control`, JSON.stringify({ op: 'release', scope: 'firm:F2', by: 'carol', reason: 'cleared' }));
    await eventually(() => b.engine.killSwitches().length === 0, 2000, 'the release');
    await b.engine.flush();
    expect(await client.hgetall(`${keyPrefix}kill`)).to.deep.equal({});
    expect(await client.hgetall(`${keyPrefix}breakers`)).to.deep.equal({});
    publisher.disconnect();
    await b.engine.stop();
  });

  it('refuses to start on bad stored state or an unreachable Redis, naming the problem', async () => {
    const keyPrefix = uniquePrefix();
    await client.hset(`${keyPrefix}meta`, 'seededAt', 'x');
    await client.sadd(`${keyPrefix}limits`, 'account:ACC1');
    await client.hset(`${keyPrefix}limits:account:ACC1`, 'maxOrderQty', 'lots');
    const a = engineRig(redis.url, { keyPrefix });
    let message = '';
    await a.engine.start().catch((err: Error) => {
      message = err.message;
    });
    expect(message).to.contain(`Redis ${keyPrefix}limits:account:ACC1`);
    expect(message).to.contain('maxOrderQty: expected a non-negative decimal string');
    expect(a.engine.status().redis).to.equal('down'); // it closed its connections

    const b = engineRig(redis.url, { keyPrefix: uniquePrefix() }, { redisUrl: 'redis://127.0.0.1:1' });
    message = '';
    await b.engine.start().catch((err: Error) => {
      message = err.message;
    });
    expect(message).to.contain('cannot reach Redis at redis://127.0.0.1:1 to load limits and positions');
    expect(b.engine.status().redis).to.equal('down');
  });
});
