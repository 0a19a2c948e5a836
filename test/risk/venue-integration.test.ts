// The risk engine against the real matching core: its events drive the reservations and positions, and
// its mass cancel / halt / resume commands carry out what risk asks for.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { Venue } from '../../src/venue/core/venue.js';
import { JournaledVenue } from '../../src/venue/journal/journaled-venue.js';
import type { NewOrderCommand, ReplaceCommand, VenueCommand } from '../../src/venue/model/commands.js';
import { OrdType, RejectReason, Side, StpMode } from '../../src/venue/model/enums.js';
import type { OrderView, RejectedEvent, VenueEvent } from '../../src/venue/model/events.js';
import { RiskCore } from '../../src/risk/core/risk-core.js';
import type { RiskRefusal } from '../../src/risk/model/refusal.js';
import type { KillScope } from '../../src/risk/model/scopes.js';
import type { RiskActions } from '../../src/risk/risk-actions.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { FIRMS, INSTRUMENTS, eventually, newOrder, px, qty, replaceOf } from './support/fixtures.js';
import { engineRig, inspector, uniquePrefix } from './support/engine-setup.js';

const STP = { defaultMode: StpMode.None, scope: 'account' as const };

/** Wires risk in front of a venue the way the gateway will: check, then apply; risk actions become commands. */
class RiskedVenue implements RiskActions {
  readonly rejects: RejectedEvent[] = [];
  time = 1_700_000_000_000;
  private requests = 0;
  private applyCommand: (cmd: VenueCommand) => void = () => {};

  constructor(private readonly check: (cmd: NewOrderCommand | ReplaceCommand, current: OrderView | null) => RiskRefusal | null) {}

  /** The live order a replace targets, as the gateway finds it. */
  current: (cmd: ReplaceCommand) => OrderView | null = () => null;

  attach(apply: (cmd: VenueCommand) => void, subscribe: (l: (e: VenueEvent) => void) => void): void {
    this.applyCommand = apply;
    subscribe((e) => {
      if (e.type === 'rejected') this.rejects.push({ ...e });
    });
  }

  submit(cmd: NewOrderCommand | ReplaceCommand): RiskRefusal | null {
    const refusal = this.check(cmd, cmd.type === 'replace' ? this.current(cmd) : null);
    if (refusal === null) this.applyCommand(cmd);
    return refusal;
  }

  massCancel(scope: KillScope, _reason: string): void {
    this.applyCommand({
      type: 'massCancel', time: this.time, requestedBy: 'risk', requestId: `risk-${++this.requests}`,
      firm: scope.kind === 'firm' ? scope.id : '', account: scope.kind === 'account' ? scope.id : '',
      session: scope.kind === 'session' ? scope.id : '', symbol: '', side: 0, reason: 'kill-switch',
    });
  }

  halt(symbol: string, reason: string): void {
    this.applyCommand({ type: 'halt', time: this.time, symbol, reason });
  }

  resume(symbol: string, reason: string): void {
    this.applyCommand({ type: 'resume', time: this.time, symbol, reason });
  }
}

describe('risk: with the real matching core', function () {
  this.timeout(20_000);

  it('reserves, fills, kills and halts through real core events and commands', async () => {
    let risked!: RiskedVenue;
    const core = new RiskCore({
      instruments: INSTRUMENTS, firms: FIRMS,
      actions: { massCancel: (s, r) => risked.massCancel(s, r), halt: (s, r) => risked.halt(s, r), resume: (s, r) => risked.resume(s, r) },
      circuitBreakers: { default: null, instruments: { BTCUSDT: { movePercent: '5', windowSeconds: 60, haltSeconds: 0.1 } } },
    });
    risked = new RiskedVenue((cmd, current) => (cmd.type === 'new' ? core.check(cmd) : core.check(cmd, current)));
    const venue = new Venue({ instruments: INSTRUMENTS, stp: STP });
    risked.current = (cmd) => venue.orderByClOrdId(cmd.session, cmd.origClOrdId) ?? null;
    venue.subscribe(core.onEvent);
    risked.attach((cmd) => venue.apply(cmd), (l) => venue.subscribe(l));
    core.setLimits({ level: 'account', account: 'ACC1' }, { creditLimit: '200000' }, 'ops');

    // Three resting buys of ACC1: the third would pass 200000 in total and is refused before the book.
    expect(risked.submit(newOrder({ qty: qty('1'), price: px('60000') }))).to.equal(null);
    expect(risked.submit(newOrder({ qty: qty('1.5'), price: px('59000') }))).to.equal(null);
    expect(risked.submit(newOrder({ qty: qty('1'), price: px('58000') }))?.text).to.equal('credit limit exceeded: 206500 > 200000 (account ACC1)');
    expect(venue.liveOrders({ account: 'ACC1' }).length).to.equal(2);
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(148_500 * 1e7);
    // A replace is checked against the order the venue finds for it: raising 1 to 1.9 at 60000 is too much.
    const first = venue.liveOrders({ account: 'ACC1' })[0]!;
    const replace = { ...replaceOf(first, { qty: qty('1.9') }), time: risked.time };
    expect(risked.submit(replace)?.text).to.equal('credit limit exceeded: 202500 > 200000 (account ACC1)');
    expect(risked.submit({ ...replace, qty: qty('1.8') })).to.equal(null);
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(196_500 * 1e7);
    expect(risked.submit({ ...replace, clOrdId: 'back', origClOrdId: replace.clOrdId, qty: qty('1') })).to.equal(null);
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(148_500 * 1e7);

    // ACC3 sells 2 at market: fills 1 at 60000 and 1 at 59000 against ACC1's orders.
    expect(risked.submit(newOrder({ account: 'ACC3', side: Side.Sell, ordType: OrdType.Market, price: 0, qty: qty('2'), timeInForce: 3 }))).to.equal(null);
    expect(core.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')).to.include({ net: '2', avgCost: '59500', cost: '119000' });
    expect(core.positions({ account: 'ACC3' }).find((p) => p.asset === 'USDT')).to.include({ net: '119000' });
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(29_500 * 1e7); // 0.5 left at 59000
    expect(core.books.accountCredit('ACC1', 'USDT').filled).to.equal(119_000 * 1e7);

    // Kill switch: the core cancels ACC1's last order, and the reservation goes with it.
    core.killSwitchOn({ kind: 'account', id: 'ACC1' }, 'ops', 'test');
    await eventually(() => venue.liveOrders({ account: 'ACC1' }).length === 0, 2000, 'the mass cancel');
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(0);
    expect(core.orders.size).to.equal(0);
    expect(risked.submit(newOrder({ qty: qty('0.1') }))?.reason).to.equal(RejectReason.KillSwitch);
    core.killSwitchOff({ kind: 'account', id: 'ACC1' }, 'ops', 'done');

    // A 6% move trips the breaker: the core halts BTCUSDT and rejects new orders itself, then resumes.
    expect(risked.submit(newOrder({ account: 'ACC2', side: Side.Sell, qty: qty('0.1'), price: px('63000') }))).to.equal(null);
    expect(risked.submit(newOrder({ account: 'ACC3', side: Side.Buy, qty: qty('0.1'), price: px('63000') }))).to.equal(null);
    await eventually(() => venue.instrument('BTCUSDT')!.status === 'halted', 2000, 'the halt');
    expect(risked.submit(newOrder({ account: 'ACC2', qty: qty('0.1'), price: px('63000') }))).to.equal(null);
    expect(risked.rejects.at(-1)!.reason).to.equal(RejectReason.InstrumentHalted);
    await eventually(() => venue.instrument('BTCUSDT')!.status === 'open', 2000, 'the resume');
    expect(core.breakerHalts()).to.deep.equal([]);
    core.dispose();
  });

  it('resyncs reservations and last prices from a venue it did not see the events of (a snapshot start)', () => {
    const venue = new Venue({ instruments: INSTRUMENTS, stp: STP });
    venue.apply(newOrder({ account: 'ACC3', side: Side.Sell, qty: qty('0.5'), price: px('61000') }));
    venue.apply(newOrder({ account: 'ACC1', qty: qty('0.2'), price: px('61000') })); // trades: last price 61000
    venue.apply(newOrder({ account: 'ACC1', qty: qty('1'), price: px('60000') }));
    venue.apply(newOrder({ account: 'ACC2', side: Side.Sell, qty: qty('2'), price: px('62000') }));
    const core = new RiskCore({ instruments: INSTRUMENTS, firms: FIRMS, actions: new RiskedVenue(() => null) });
    core.resync(venue);
    expect(core.orders.size).to.equal(3);
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(60_000 * 1e7);
    expect(core.books.firmCredit('F1', 'USDT').open).to.equal(184_000 * 1e7);
    expect(core.books.accountCredit('ACC3', 'USDT').open).to.equal(18_300 * 1e7); // 0.3 left at 61000
    expect(core.instruments.get('BTCUSDT')!.lastPrice).to.equal(px('61000'));
    core.setLimits({ level: 'account', account: 'ACC1' }, { priceBandPercent: '1' }, 'ops');
    expect(core.check(newOrder({ price: px('61610.01') }))?.text).to.contain('reference 61000');
  });

  describe('after a crash of the journaled venue', () => {
    let redis: TestRedis;
    let client: Redis;
    let dir: string;
    before(async () => {
      redis = await startTestRedis();
      client = inspector(redis.url);
      dir = mkdtempSync(join(tmpdir(), 'risk-journal-'));
    });
    after(async () => {
      client.disconnect();
      await redis.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('rebuilds positions from Redis plus the journal replay, with no trade lost or counted twice', async () => {
      const keyPrefix = uniquePrefix();
      const config = { instruments: INSTRUMENTS, stp: STP };
      const a = engineRig(redis.url, { keyPrefix, writeBehind: { intervalMs: 60_000, maxChanges: 1_000_000, maxPendingAudit: 100, auditMaxLen: 1000 } });
      await a.engine.start({ journalId: 'journal-1' });
      const j1 = new JournaledVenue(config, { dir, fsync: 'none', release: 'immediate' });
      j1.subscribe(a.engine.onEvent, { replay: true });
      await j1.open();
      a.engine.goLive({ eventSeq: j1.venue.eventSeq });
      const trade = (buyer: string, seller: string, price: string, q: string): void => {
        j1.apply(newOrder({ account: seller, side: Side.Sell, price: px(price), qty: qty(q) }));
        j1.apply(newOrder({ account: buyer, side: Side.Buy, price: px(price), qty: qty(q) }));
      };
      trade('ACC1', 'ACC3', '60000', '1');
      trade('ACC1', 'ACC2', '60500', '0.5');
      await j1.commit();
      await a.engine.flush(); // Redis holds the first two trades
      trade('ACC3', 'ACC1', '61000', '0.75');
      trade('ACC2', 'ACC3', '59000', '2');
      j1.apply(newOrder({ account: 'ACC1', qty: qty('0.2'), price: px('50000') })); // rests
      await j1.commit();
      const expected = a.engine.positions();
      expect(expected.find((p) => p.account === 'ACC1' && p.asset === 'BTC')).to.include({ net: '0.75', realisedPnl: '625' }); // bought 1.5 for 90250, sold half of it (45125) for 45750
      a.engine.abandon(); // killed: the last two trades never reached Redis
      expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'net')).to.equal('1.5');

      const b = engineRig(redis.url, { keyPrefix, limits: [{ scope: { level: 'account', account: 'ACC1' }, values: { creditLimit: '1' } }] });
      await b.engine.start({ journalId: 'journal-1' });
      const j2 = new JournaledVenue(config, { dir, fsync: 'none', release: 'immediate' });
      j2.subscribe(b.engine.onEvent, { replay: true });
      const rec = await j2.open();
      b.engine.goLive({ eventSeq: rec.eventSeq });
      expect(rec.replayedCommands).to.equal(9);
      expect(b.engine.positions()).to.deep.equal(expected);
      expect(b.logger.count('hold trades the venue journal does not')).to.equal(0);
      // The resting order's reservation was rebuilt from the replay too.
      expect(b.engine.core.books.accountCredit('ACC1', 'USDT').open).to.equal(10_000 * 1e7);
      await b.engine.flush();
      expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'net')).to.equal('0.75');
      expect(await client.hget(`${keyPrefix}pos:ACC1:BTC`, 'realisedPnl')).to.equal('625');
      await j2.close();
      await b.engine.stop();
    });
  });
});
