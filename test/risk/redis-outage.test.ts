import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { Side } from '../../src/venue/model/enums.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { EventFeed, eventually, newOrder, px, qty } from './support/fixtures.js';
import { engineRig, inspector, uniquePrefix } from './support/engine-setup.js';

interface Fill {
  account: string;
  side: Side;
  price: number;
  qty: number;
}

describe('risk: Redis outage under a flow of trades', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let client: Redis;
  before(async () => {
    redis = await startTestRedis();
    client = inspector(redis.url);
    client.on('error', () => {});
  });
  after(async () => {
    client.disconnect();
    await redis.dispose();
  });

  it('keeps trading on memory, reports degraded, logs once, and writes the whole backlog when Redis returns', async () => {
    const keyPrefix = uniquePrefix();
    const { engine, logger } = engineRig(redis.url, { keyPrefix, writeBehind: { intervalMs: 10, maxChanges: 1000, maxPendingAudit: 1000, auditMaxLen: 10_000 } });
    await engine.start();
    engine.goLive();
    const feed = new EventFeed(engine.onEvent);
    const fills: Fill[] = [];
    let n = 0;
    const tradeOnce = (): void => {
      const account = n % 3 === 0 ? 'ACC2' : 'ACC1';
      const side = n % 2 === 0 ? Side.Buy : Side.Sell;
      const price = px('60000') + (n % 17) * 100;
      const q = qty('0.001') * (1 + (n % 5));
      feed.cross('ACC3', side === Side.Buy ? Side.Sell : Side.Buy, account, price, q);
      fills.push({ account, side, price, qty: q });
      n++;
    };
    const flow = setInterval(tradeOnce, 2);
    try {
      await eventually(() => engine.status().flushes >= 3 && n >= 30, 5000, 'flushes while Redis is up');

      await redis.stop(true);
      await eventually(() => engine.status().redis === 'degraded', 5000, 'the outage to be noticed');
      const atOutage = n;
      expect(engine.status().reason).to.match(/^redis unreachable since \d{4}-/);
      engine.killSwitchOn({ kind: 'account', id: 'ACC2' }, 'alice', 'during the outage'); // audited into the backlog
      await eventually(() => n >= atOutage + 100, 5000, 'trades during the outage');
      const during = engine.status();
      expect(during.redis).to.equal('degraded');
      expect(during.pendingWrites).to.be.greaterThan(0);
      expect(during.lagMs).to.be.greaterThan(0);
      expect(engine.check(newOrder({ qty: qty('0.001') }))).to.equal(null); // checks never need Redis

      await redis.restart(); // an empty Redis: no persistence in the test server
      await eventually(() => engine.status().redis === 'up' && engine.status().pendingWrites === 0, 10_000, 'the backlog to be written');
      await eventually(() => n >= atOutage + 150, 5000, 'trades after the outage');
    } finally {
      clearInterval(flow);
    }
    await engine.flush();

    // Positions in Redis equal the sum of the trades, computed here independently.
    const expected = new Map<string, { net: bigint; volume: bigint }>();
    const add = (key: string, net: bigint, volume: bigint): void => {
      const e = expected.get(key) ?? { net: 0n, volume: 0n };
      e.net += net;
      e.volume += volume;
      expected.set(key, e);
    };
    for (const f of fills) {
      const signed = f.side === Side.Buy ? BigInt(f.qty) : -BigInt(f.qty);
      const notional = BigInt(f.qty) * BigInt(f.price); // qty 5 decimals × price 2 = USDT at 7
      add(`${f.account}:BTC`, signed, BigInt(f.qty));
      add(`${f.account}:USDT`, -signed * BigInt(f.price), notional);
      add('ACC3:BTC', -signed, BigInt(f.qty));
      add('ACC3:USDT', signed * BigInt(f.price), notional);
    }
    const decimal = (v: bigint, scale: number): string => {
      const neg = v < 0n;
      const s = (neg ? -v : v).toString().padStart(scale + 1, '0');
      const frac = s.slice(s.length - scale).replace(/0+$/, '');
      return `${neg ? '-' : ''}${s.slice(0, s.length - scale)}${frac ? `.${frac}` : ''}`;
    };
    for (const [key, e] of expected) {
      const [account, asset] = key.split(':') as [string, string];
      const stored = await client.hgetall(`${keyPrefix}pos:${account}:${asset}`);
      const scale = asset === 'BTC' ? 5 : 7;
      expect(stored.net, key).to.equal(decimal(e.net, scale));
      expect(stored.volume, key).to.equal(decimal(e.volume, scale));
      expect(Number(stored.lastSeq), key).to.be.at.most(feed.seq);
    }
    expect(await client.scard(`${keyPrefix}positions`)).to.equal(expected.size);
    expect(JSON.parse((await client.hget(`${keyPrefix}kill`, 'account:ACC2'))!)).to.include({ by: 'alice' });
    expect((await engine.auditLog()).map((a) => a.action)).to.deep.equal(['kill-on']);
    expect(logger.count('redis unreachable')).to.equal(1);
    expect(logger.count('redis reachable again')).to.equal(1);
    expect(logger.count('came back without risk state')).to.equal(1);
    await engine.stop();
  });
});
