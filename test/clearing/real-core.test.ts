// The real matching core behind its journal, feeding the execution record and clearing the way main.ts
// will wire them: settlement must match an independent computation from the core's own trade events,
// and a restart (journal replay into the record) must add nothing to the record or the queue.

import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { ClearingService } from '../../src/clearing/clearing-service.js';
import type { ExecutionRecord } from '../../src/records/execution-record.js';
import { copyEvent } from '../../src/venue/event-copy.js';
import { JournaledVenue } from '../../src/venue/journal/journaled-venue.js';
import type { NewOrderCommand } from '../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../src/venue/model/enums.js';
import type { TradeEvent, VenueEvent } from '../../src/venue/model/events.js';
import { INSTRUMENTS, T0 } from '../records/support/events.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { ClearingWatch, FIRMS, clearingSettings, openRecord, tempDir } from './support/harness.js';

const DATE = '2025-03-04';
const ACCOUNTS = [
  { firm: 'F1', account: 'A1' },
  { firm: 'F1', account: 'A2' },
  { firm: 'F2', account: 'B1' },
];

/** A seeded stream of limit and IOC orders around a mid price on both instruments: many crossing. */
function* orders(n: number): Generator<NewOrderCommand> {
  let s = 12345;
  const rnd = (k: number): number => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return (s >>> 8) % k;
  };
  for (let i = 0; i < n; i++) {
    const who = ACCOUNTS[rnd(3)]!;
    const btc = rnd(3) > 0;
    const side = rnd(2) === 0 ? Side.Buy : Side.Sell;
    const price = btc ? 6_000_000 + (rnd(9) - 4) * 100 : 300_000 + (rnd(9) - 4) * 5;
    yield {
      type: 'new', time: T0 + i, session: who.firm, firm: who.firm, account: who.account, clOrdId: `c${i}`,
      symbol: btc ? 'BTCUSDT' : 'ETHUSDT', side, ordType: OrdType.Limit, timeInForce: rnd(5) === 0 ? TimeInForce.IOC : TimeInForce.GTC,
      price, stopPx: 0, qty: btc ? 1 + rnd(30_000) : 1 + rnd(50_000), minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0, exDestination: '',
    };
  }
}

/** Positions computed straight from the core's trade events (not through the record): the reference. */
function expectedPositions(trades: TradeEvent[]): Map<string, bigint> {
  const rates: Record<string, { maker: bigint; taker: bigint }> = { F1: { maker: 10_000n, taker: 50_000n }, F2: { maker: -2_000n, taker: 40_000n } };
  const ceil = (n: bigint): bigint => (n > 0n ? (n + 99_999_999n) / 100_000_000n : n / 100_000_000n);
  const out = new Map<string, bigint>();
  const add = (firm: string, account: string, asset: string, c: string, v: bigint): void => {
    const k = JSON.stringify([firm, account, asset, c]);
    out.set(k, (out.get(k) ?? 0n) + v);
  };
  for (const t of trades) {
    const btc = t.symbol === 'BTCUSDT';
    const notional = BigInt(t.price) * BigInt(t.qty) * (btc ? 1n : 10n); // USDT settles at 7 decimals
    const buy = t.maker.side === Side.Buy ? t.maker : t.taker;
    const sell = t.maker.side === Side.Buy ? t.taker : t.maker;
    const fee = (o: typeof buy): bigint => ceil(notional * rates[o.firm]![o === t.maker ? 'maker' : 'taker']);
    add(buy.firm, buy.account, btc ? 'BTC' : 'ETH', 'received', BigInt(t.qty));
    add(buy.firm, buy.account, 'USDT', 'delivered', notional);
    add(buy.firm, buy.account, 'USDT', 'fees', fee(buy));
    add(sell.firm, sell.account, btc ? 'BTC' : 'ETH', 'delivered', BigInt(t.qty));
    add(sell.firm, sell.account, 'USDT', 'received', notional);
    add(sell.firm, sell.account, 'USDT', 'fees', fee(sell));
  }
  for (const [k, v] of out) if (v === 0n) out.delete(k);
  return out;
}

describe('clearing: fed by the real matching core through its journal', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  before(async () => {
    redis = await startTestRedis();
    dir = tempDir('venue-clearing-core-');
  });
  after(async () => {
    await redis.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // As the venue app wires it: events released at once ('immediate'), the record writing only what the
  // journal has committed (beforeWrite).
  let journal: JournaledVenue | null = null;
  const openGatedRecord = (): Promise<ExecutionRecord> => openRecord(path.join(dir, 'records'), { beforeWrite: () => journal!.commit() });

  let watch = new ClearingWatch();

  async function start(record: ExecutionRecord, trades: TradeEvent[]): Promise<{ jv: JournaledVenue; clearing: ClearingService }> {
    const jv = new JournaledVenue(
      { instruments: INSTRUMENTS, stp: { defaultMode: StpMode.None, scope: 'account' } },
      { dir: path.join(dir, 'journal'), fsync: 'none', release: 'immediate' },
    );
    journal = jv;
    jv.subscribe(record.onEvent, { replay: true });
    jv.subscribe((e: VenueEvent) => {
      if (e.type === 'trade') trades.push(copyEvent(e) as TradeEvent); // live objects: copy to keep
    });
    await jv.open();
    await record.flush();
    const clearing = new ClearingService({
      settings: clearingSettings(path.join(dir, 'reports'), { batch: { maxTrades: 50, maxDelayMs: 10 } }), redisUrl: redis.url, record,
      instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE', registry: new Registry(), observer: (watch = new ClearingWatch()),
    });
    await clearing.start();
    return { jv, clearing };
  }

  it('settles exactly what the core traded, and a restart replays into the record without adding anything', async () => {
    let record = await openGatedRecord();
    const trades: TradeEvent[] = [];
    let { jv, clearing } = await start(record, trades);
    for (const cmd of orders(3000)) jv.apply(cmd);
    await jv.commit();
    expect(trades.length).to.be.greaterThan(300);
    // Settled and enqueue committed (a job can settle before its enqueue commits the cursor read below).
    await watch.settledThrough(trades.length, trades[trades.length - 1]!.seq);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: trades.length, settled: trades.length });

    const positions = new Map<string, bigint>();
    for (const p of await clearing.positions(DATE)) {
      for (const c of ['received', 'delivered', 'fees'] as const) if (p[c] !== 0n) positions.set(JSON.stringify([p.firm, p.account, p.asset, c]), p[c]);
    }
    expect(positions).to.deep.equal(expectedPositions(trades));
    const recorded = await record.eventsBetween({ from: T0, to: T0 + 3000 });
    expect(recorded.filter((e) => e.type === 'trade').map((e) => e.seq)).to.deep.equal(trades.map((t) => t.seq));
    expect(recorded.filter((e) => e.type === 'accepted' || e.type === 'rejected')).to.have.length(3000);

    // Restart: the journal replays every event into the reopened record, which already holds them all.
    const lastSeq = record.lastSeq;
    const enqueued = clearing.lastEnqueued;
    await clearing.stop();
    await jv.close();
    await record.close();
    record = await openGatedRecord();
    expect(record.lastSeq).to.equal(lastSeq);
    const replayed: TradeEvent[] = [];
    ({ jv, clearing } = await start(record, replayed));
    expect(record.lastSeq).to.equal(lastSeq);
    expect(record.skippedEvents).to.equal(recorded.length);
    expect(clearing.lastEnqueued).to.equal(enqueued);
    expect(await clearing.dayStatus(DATE)).to.deep.equal({ enqueued: trades.length, settled: trades.length });
    await clearing.stop();
    await jv.close();
    await record.close();
    const admin = new Redis(redis.url);
    expect(await admin.hlen(`clearing:day:{${DATE}}:batches`)).to.be.greaterThan(0);
    admin.disconnect();
  });
});
