// Redis is off the venue's hot path: while it is down the record keeps every trade and the venue's event
// listener never waits; the enqueuer reports the failures and, once Redis answers again, enqueues what
// piled up. (The test Redis keeps nothing on disk, so it comes back empty: the enqueuer then enqueues the
// trades it had enqueued before the outage again as well; redis-empty.test.ts goes into that.)

import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { ClearingService } from '../../src/clearing/clearing-service.js';
import { parseSettlementTrade } from '../../src/records/record-parser.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import { INSTRUMENTS } from '../records/support/events.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { ClearingWatch, FIRMS, clearingSettings, openRecord, tempDir } from './support/harness.js';
import { tradeStream } from './support/trade-stream.js';

const DATE = '2025-03-04';

describe('clearing: a Redis outage', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  let record: ExecutionRecord;
  let clearing: ClearingService;

  before(async () => {
    redis = await startTestRedis();
    dir = tempDir('venue-clearing-outage-');
    record = await openRecord(path.join(dir, 'records'));
  });
  after(async () => {
    await clearing?.stop();
    await record.close();
    await redis.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never blocks the event listener; the backlog is enqueued and settled when Redis is back', async () => {
    let connectionLost: () => void = () => {};
    const lost = new Promise<void>((resolve) => (connectionLost = resolve));
    const watch = new ClearingWatch();
    clearing = new ClearingService({
      settings: clearingSettings(path.join(dir, 'reports'), { batch: { maxTrades: 5, maxDelayMs: 5 } }), redisUrl: redis.url, record,
      instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry(), observer: watch,
      onError: (e) => {
        if (/ECONNREFUSED|Connection is closed/.test(e.message)) connectionLost();
      },
    });
    await clearing.start();
    const trades = tradeStream(60);
    for (const e of trades.slice(0, 20)) record.onEvent(e);
    await watch.settledThrough(20, trades[19]!.seq);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: 20, settled: 20 });

    await redis.stop(true);
    const started = performance.now();
    for (const e of trades.slice(20)) record.onEvent(e);
    expect(performance.now() - started).to.be.lessThan(250); // synchronous, no Redis round trip
    await record.flush();
    expect(record.durableSeq).to.equal(trades[59]!.seq);
    await lost;

    await redis.restart();
    // The new Redis is empty, so the first 20 are enqueued and settled again: 20 + 60 applied settlements.
    await watch.settledThrough(80, trades[59]!.seq);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: 60, settled: 60 });
    expect(clearing.lastEnqueued).to.equal(trades[59]!.seq);
  });

  it('stops in bounded time while Redis is down, and the next start enqueues what was left', async () => {
    const trades = tradeStream(70);
    await redis.stop(true);
    for (const e of trades.slice(60)) record.onEvent(e);
    await record.flush();
    const t0 = performance.now();
    await clearing.stop(2_000);
    expect(performance.now() - t0).to.be.lessThan(6_000);
    await redis.restart();
    const watch = new ClearingWatch();
    clearing = new ClearingService({
      settings: clearingSettings(path.join(dir, 'reports'), { batch: { maxTrades: 5, maxDelayMs: 5 } }), redisUrl: redis.url, record,
      instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry(), observer: watch,
    });
    await clearing.start();
    // Redis lost everything (no persistence): the cursor is 0 again, so the whole record is enqueued anew.
    await watch.settledThrough(70, trades[69]!.seq);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: 70, settled: 70 });
  });

  it('refuses malformed trade lines in a batch, saying what is wrong', () => {
    expect(() => parseSettlementTrade('trade\t1\t1\t2025-03-04T10:00:00.000Z\tBTCUSDT')).to.throw(/not a trade line with 27 fields/);
    const ok = record.tradesAfter(0, 1);
    return ok.then(async () => {
      const [line] = await record.tradeLinesAfter(0, 1, record.lastSeq);
      const good = line!.line.slice(0, -1);
      expect(parseSettlementTrade(good)).to.deep.include({ seq: 1000, symbol: 'BTCUSDT', price: '60000.00', qty: '0.50000' });
      expect(() => parseSettlementTrade(good + '\textra')).to.throw(/27 fields/);
      expect(() => parseSettlementTrade(good.replace('\tmaker\t', '\tboss\t'))).to.throw(/role is not maker or taker: "boss"/);
      expect(() => parseSettlementTrade(good.replace(/^trade\t1000/, 'trade\tx'))).to.throw(/seq is not an integer/);
    });
  });
});
