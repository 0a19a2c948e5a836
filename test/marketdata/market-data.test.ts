// Market data end to end: FIX clients (real FixEngine initiators that validate what they receive against FIX44.xml)
// talk over TCP to an acceptor whose application routes V and x to the MarketDataService, fed by a real matching core.

import { expect } from 'chai';
import type { FieldWriter } from '../../src/fix/index.js';
import { Side } from '../../src/venue/model/enums.js';
import { eventually, field, group, TestClient, type Msg } from './support/fix-client.js';
import { mdRequest, rows, securityListRequest, unsubscribe } from './support/requests.js';
import { VenueHarness } from './support/venue-harness.js';

// BTCUSDT prices have 2 decimals (10000 = 100.00), quantities 5 (100000 = 1.00000).
const PX = (p: number): number => p * 100;
const QTY = (q: number): number => Math.round(q * 100_000);

describe('market data over FIX', function () {
  let h: VenueHarness;
  let clients: TestClient[];

  async function start(md: Parameters<typeof VenueHarness.start>[0] = {}): Promise<void> {
    h = await VenueHarness.start(md);
  }

  async function connect(id = 'MD1'): Promise<TestClient> {
    const c = await TestClient.connect(h.port, id);
    clients.push(c);
    return c;
  }

  /** Subscribes and returns the snapshot(s) W, one per symbol. */
  async function subscribe(c: TestClient, spec: Parameters<typeof mdRequest>[0]): Promise<Msg[]> {
    c.send('V', mdRequest(spec));
    const out: Msg[] = [];
    for (let i = 0; i < (spec.symbols ?? ['BTCUSDT']).length; i++) out.push((await c.nextOf('W')).msg);
    return out;
  }

  /**
   * Proves that nothing else was sent before now: a snapshot request is answered after everything the venue
   * published earlier, so whatever arrives before its W was pending.
   */
  async function drain(c: TestClient): Promise<Msg[]> {
    const id = `marker-${Math.random().toString(36).slice(2)}`;
    c.send('V', mdRequest({ reqId: id, kind: '0', depth: 1 }));
    return (await c.nextOf('W', (m) => field(m, 262) === id)).skipped;
  }

  beforeEach(function () {
    clients = [];
  });

  afterEach(async function () {
    for (const c of clients) await c.stop();
    const rejects = h.clientRejects.slice();
    await h.stop();
    expect(rejects, 'clients refused what the venue sent').to.deep.equal([]);
  });

  describe('SecurityList', function () {
    it('lists every instrument with currency, lot, min quantity, tick size and status', async function () {
      await start();
      const c = await connect();
      c.send('x', securityListRequest('sl-1', 4));
      const { msg } = await c.nextOf('y');
      expect(field(msg, 320)).to.equal('sl-1');
      expect(field(msg, 322)).to.match(/^SL\d+$/);
      expect(field(msg, 560)).to.equal('0');
      expect(field(msg, 393)).to.equal('2');
      expect(field(msg, 893)).to.equal('Y');
      const list = group(msg, 146);
      expect(list.map((i) => field(i, 55))).to.deep.equal(['BTCUSDT', 'ETHUSDT']);
      const btc = list[0]!;
      expect(field(btc, 107)).to.equal('BTC/USDT');
      expect(field(btc, 15)).to.equal('USDT');
      expect(field(btc, 561)).to.equal('0.00001');
      expect(field(btc, 562)).to.equal('0.00001');
      expect(group(btc, 870).map((a) => `${field(a, 871)}:${field(a, 872)}`)).to.deep.equal([
        '99:TickSize=0.01',
        '99:MaxQty=10000000.00000',
        '99:TradingStatus=open',
      ]);
      expect(field(list[1]!, 561)).to.equal('0.0001');
    });

    it('answers one symbol, reports a halted status, and refuses unknown symbols and unsupported request types', async function () {
      await start();
      const c = await connect();
      h.halt('ETHUSDT', 'maintenance');
      c.send('x', securityListRequest('one', 0, 'ETHUSDT'));
      const one = (await c.nextOf('y')).msg;
      expect(group(one, 146).map((i) => field(i, 55))).to.deep.equal(['ETHUSDT']);
      expect(group(group(one, 146)[0]!, 870).map((a) => field(a, 872))).to.include('TradingStatus=halted');

      // SecurityList has no Text field in FIX 4.4: the result code is the whole answer.
      c.send('x', securityListRequest('unknown', 0, 'DOGEUSDT'));
      const unknown = (await c.nextOf('y')).msg;
      expect([field(unknown, 320), field(unknown, 560)]).to.deep.equal(['unknown', '2']);
      expect(unknown.groups.has(146)).to.equal(false);

      for (const [id, type, symbol, extra] of [
        ['product', 2, undefined, undefined],
        ['no-symbol', 0, undefined, undefined],
        ['subscribe', 4, undefined, (w: FieldWriter) => w.char(263, '1')],
      ] as const) {
        c.send('x', securityListRequest(id, type, symbol, extra));
        const refused = (await c.nextOf('y')).msg;
        expect([field(refused, 320), field(refused, 560), refused.groups.has(146)]).to.deep.equal([id, '1', false]);
      }
    });

    it('splits a long list into fragments', async function () {
      await start({ md: { maxEntriesPerMessage: 1 } });
      const c = await connect();
      c.send('x', securityListRequest('frag', 4));
      const first = (await c.nextOf('y')).msg;
      const second = (await c.nextOf('y')).msg;
      expect([field(first, 393), field(first, 893), group(first, 146).map((i) => field(i, 55)).join()]).to.deep.equal(['2', 'N', 'BTCUSDT']);
      expect([field(second, 393), field(second, 893), group(second, 146).map((i) => field(i, 55)).join()]).to.deep.equal(['2', 'Y', 'ETHUSDT']);
      expect(field(first, 322)).to.equal(field(second, 322));
    });
  });

  describe('snapshots', function () {
    function buildBook(): void {
      h.place({ side: Side.Buy, price: PX(100), qty: QTY(0.5) });
      h.place({ side: Side.Buy, price: PX(100), qty: QTY(0.25) });
      h.place({ side: Side.Buy, price: PX(99), qty: QTY(1) });
      h.place({ side: Side.Buy, price: PX(98), qty: QTY(2) });
      h.place({ side: Side.Sell, price: PX(101), qty: QTY(1.5) });
      h.place({ side: Side.Sell, price: PX(102), qty: QTY(0.00001) });
      h.place({ side: Side.Sell, price: PX(103), qty: QTY(3) });
    }

    it('full book, top of book and N levels, prices and sizes printed exactly', async function () {
      await start();
      buildBook();
      const c = await connect();
      const [full] = await subscribe(c, { reqId: 'full', kind: '0', depth: 0 });
      expect(field(full!, 262)).to.equal('full');
      expect(field(full!, 55)).to.equal('BTCUSDT');
      expect(rows(full!)).to.deep.equal([
        '0 100.00 0.75000 2',
        '0 99.00 1.00000 1',
        '0 98.00 2.00000 1',
        '1 101.00 1.50000 1',
        '1 102.00 0.00001 1',
        '1 103.00 3.00000 1',
      ]);
      const [top] = await subscribe(c, { reqId: 'top', kind: '0', depth: 1 });
      expect(rows(top!)).to.deep.equal(['0 100.00 0.75000 2', '1 101.00 1.50000 1']);
      const [two] = await subscribe(c, { reqId: 'two', kind: '0', depth: 2, types: ['1'] });
      expect(rows(two!)).to.deep.equal(['1 101.00 1.50000 1', '1 102.00 0.00001 1']);
      const [fifty] = await subscribe(c, { reqId: 'fifty', kind: '0', depth: 50, types: ['0'] });
      expect(rows(fifty!)).to.have.length(3);
    });

    it('an empty book has no entries; the last trade is included when trades are asked for', async function () {
      await start();
      const c = await connect();
      const [empty] = await subscribe(c, { reqId: 'empty', kind: '0', types: ['0', '1', '2'] });
      expect(field(empty!, 268)).to.equal('0');
      expect(rows(empty!)).to.deep.equal([]);

      h.place({ side: Side.Sell, price: PX(101), qty: QTY(1) });
      h.place({ side: Side.Buy, price: PX(101), qty: QTY(0.4), firm: 'F2', account: 'B1', session: 'BROKER2' });
      const [after] = await subscribe(c, { reqId: 'after', kind: '0', types: ['0', '1', '2'] });
      expect(rows(after!)).to.deep.equal(['1 101.00 0.60000 1', '2 101.00 0.40000']);
      const trade = group(after!, 268)[1]!;
      expect(field(trade, 272)).to.equal('20250304');
      expect(field(trade, 273)).to.equal(new Date(h.time).toISOString().slice(11, 23));
    });

    it('a snapshot request does not subscribe', async function () {
      await start();
      const c = await connect();
      await subscribe(c, { reqId: 'once', kind: '0' });
      h.place({ side: Side.Buy, price: PX(100), qty: QTY(1) });
      expect(await drain(c)).to.deep.equal([]);
      expect(h.md.subscriptionCount).to.equal(0);
    });
  });

  describe('incremental refresh', function () {
    it('adds, changes and deletes levels as orders rest and are cancelled', async function () {
      await start();
      const c = await connect();
      const [snap] = await subscribe(c, { reqId: 'inc', depth: 0 });
      expect(rows(snap!)).to.deep.equal([]);

      const a = h.place({ side: Side.Buy, price: PX(100), qty: QTY(1) });
      let x = (await c.nextOf('X')).msg;
      expect(field(x, 262)).to.equal('inc');
      expect(rows(x)).to.deep.equal(['0 0 BTCUSDT 100.00 1.00000 1']);

      const b = h.place({ side: Side.Buy, price: PX(100), qty: QTY(0.5) });
      x = (await c.nextOf('X')).msg;
      expect(rows(x)).to.deep.equal(['1 0 BTCUSDT 100.00 1.50000 2']);

      h.cancel(a);
      x = (await c.nextOf('X')).msg;
      expect(rows(x)).to.deep.equal(['1 0 BTCUSDT 100.00 0.50000 1']);

      h.cancel(b);
      x = (await c.nextOf('X')).msg;
      expect(rows(x)).to.deep.equal(['2 0 BTCUSDT 100.00']);
    });

    it('reports trades with the match id, size and time, and the levels they consumed', async function () {
      await start();
      const c = await connect();
      await subscribe(c, { reqId: 'trades', types: ['0', '1', '2'] });
      h.place({ side: Side.Sell, price: PX(101), qty: QTY(1) });
      await c.nextOf('X');
      h.place({ side: Side.Buy, price: PX(101), qty: QTY(0.4), firm: 'F2', account: 'B1', session: 'BROKER2' });
      const x = (await c.nextOf('X')).msg;
      const matchId = group(x, 268).find((e) => field(e, 269) === '2')!.fields.get(278);
      expect(matchId).to.match(/^\d+$/);
      expect(rows(x)).to.deep.equal(['1 1 BTCUSDT 101.00 0.60000 1', `0 2 BTCUSDT 101.00 0.40000 ${matchId}`]);
      const trade = group(x, 268)[1]!;
      expect(field(trade, 272)).to.equal('20250304');
      expect(field(trade, 273)).to.equal(new Date(h.time).toISOString().slice(11, 23));

      // A sweep through two levels in one command: two prints, one delete and one change.
      h.place({ side: Side.Sell, price: PX(102), qty: QTY(1) });
      await c.nextOf('X');
      h.place({ side: Side.Buy, price: PX(102), qty: QTY(1), firm: 'F2', account: 'B1', session: 'BROKER2' });
      const sweep = (await c.nextOf('X')).msg;
      const ids = group(sweep, 268).filter((e) => field(e, 269) === '2').map((e) => field(e, 278));
      expect(new Set(ids).size).to.equal(2);
      expect(rows(sweep)).to.deep.equal([
        '2 1 BTCUSDT 101.00',
        '1 1 BTCUSDT 102.00 0.60000 1',
        `0 2 BTCUSDT 101.00 0.60000 ${ids[0]}`,
        `0 2 BTCUSDT 102.00 0.40000 ${ids[1]}`,
      ]);
    });

    it('coalesces a turn: one entry per level with its final state', async function () {
      await start();
      h.place({ side: Side.Buy, price: PX(97), qty: QTY(1) });
      const gone = h.place({ side: Side.Buy, price: PX(96), qty: QTY(1) });
      const c = await connect();
      await subscribe(c, { reqId: 'co', depth: 0 });

      // All in one event-loop turn: dozens of deltas.
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(h.place({ side: Side.Buy, price: PX(100), qty: QTY(1) }));
      h.cancel(ids[0]!);
      h.cancel(ids[3]!);
      const flicker = h.place({ side: Side.Buy, price: PX(99), qty: QTY(1) });
      h.cancel(flicker); // appears and goes within the turn: nothing to say
      const extra = h.place({ side: Side.Buy, price: PX(97), qty: QTY(2) });
      h.cancel(extra); // back to where it started: nothing to say
      h.place({ side: Side.Buy, price: PX(97), qty: QTY(0.5) }); // 97 ends with 1.5 in 2 orders
      h.cancel(gone);
      h.place({ side: Side.Buy, price: PX(96), qty: QTY(3) }); // deleted then re-added: a change
      for (let i = 0; i < 10; i++) h.place({ side: Side.Sell, price: PX(110 + (i % 2)), qty: QTY(1) });

      const x = (await c.nextOf('X')).msg;
      expect(rows(x)).to.deep.equal([
        '0 0 BTCUSDT 100.00 3.00000 3',
        '1 0 BTCUSDT 97.00 1.50000 2',
        '1 0 BTCUSDT 96.00 3.00000 1',
        '0 1 BTCUSDT 110.00 5.00000 5',
        '0 1 BTCUSDT 111.00 5.00000 5',
      ]);
      expect(await drain(c)).to.deep.equal([]);
    });

    it('keeps a top-N window: levels entering and leaving it are new and deleted, changes below it are silent', async function () {
      await start();
      for (const p of [100, 99, 98, 97]) h.place({ side: Side.Buy, price: PX(p), qty: QTY(1) });
      const c = await connect();
      const [snap] = await subscribe(c, { reqId: 'top2', depth: 2 });
      expect(rows(snap!)).to.deep.equal(['0 100.00 1.00000 1', '0 99.00 1.00000 1']);

      const best = h.venue.liveOrders({ symbol: 'BTCUSDT' }).find((o) => o.price === PX(100))!.orderId;
      h.cancel(best);
      expect(rows((await c.nextOf('X')).msg)).to.deep.equal(['2 0 BTCUSDT 100.00', '0 0 BTCUSDT 98.00 1.00000 1']);

      h.place({ side: Side.Buy, price: PX(101), qty: QTY(2) });
      expect(rows((await c.nextOf('X')).msg)).to.deep.equal(['2 0 BTCUSDT 98.00', '0 0 BTCUSDT 101.00 2.00000 1']);

      // Below the window: nothing.
      h.place({ side: Side.Buy, price: PX(97), qty: QTY(1) });
      h.place({ side: Side.Buy, price: PX(90), qty: QTY(1) });
      expect(await drain(c)).to.deep.equal([]);

      // Inside the window: a change.
      h.place({ side: Side.Buy, price: PX(99), qty: QTY(1) });
      expect(rows((await c.nextOf('X')).msg)).to.deep.equal(['1 0 BTCUSDT 99.00 2.00000 2']);

      // A full-book subscriber on the same instrument sees every level meanwhile.
      const full = await connect('MD2');
      await subscribe(full, { reqId: 'all', depth: 0 });
      h.place({ side: Side.Buy, price: PX(95), qty: QTY(1) });
      expect(rows((await full.nextOf('X')).msg)).to.deep.equal(['0 0 BTCUSDT 95.00 1.00000 1']);
      expect(await drain(c)).to.deep.equal([]);
    });

    it('sends only the entry types asked for, and one message for several instruments', async function () {
      await start();
      const c = await connect();
      const snaps = await subscribe(c, { reqId: 'multi', symbols: ['BTCUSDT', 'ETHUSDT'], types: ['1'] });
      expect(snaps.map((s) => field(s, 55))).to.deep.equal(['BTCUSDT', 'ETHUSDT']);
      h.place({ side: Side.Buy, price: PX(100), qty: QTY(1) }); // a bid: not asked for
      expect(await drain(c)).to.deep.equal([]);
      h.place({ side: Side.Sell, price: PX(101), qty: QTY(1) });
      h.place({ side: Side.Sell, price: PX(2000), qty: 12_345, symbol: 'ETHUSDT' });
      const x = (await c.nextOf('X')).msg;
      expect(rows(x)).to.deep.equal(['0 1 BTCUSDT 101.00 1.00000 1', '0 1 ETHUSDT 2000.00 1.2345 1']);
      // A later turn touching one instrument says nothing about the other.
      h.place({ side: Side.Sell, price: PX(101), qty: QTY(1) });
      expect(rows((await c.nextOf('X')).msg)).to.deep.equal(['1 1 BTCUSDT 101.00 2.00000 2']);
    });

    it('in full refresh mode (MDUpdateType 0) every change brings a new snapshot', async function () {
      await start();
      const c = await connect();
      await subscribe(c, { reqId: 'refresh', depth: 1, updateType: 0 });
      h.place({ side: Side.Buy, price: PX(100), qty: QTY(1) });
      expect(rows((await c.nextOf('W')).msg)).to.deep.equal(['0 100.00 1.00000 1']);
      h.place({ side: Side.Buy, price: PX(99), qty: QTY(1) }); // below the top: no refresh
      h.place({ side: Side.Sell, price: PX(102), qty: QTY(1) });
      const w = (await c.nextOf('W')).msg;
      expect(field(w, 262)).to.equal('refresh');
      expect(rows(w)).to.deep.equal(['0 100.00 1.00000 1', '1 102.00 1.00000 1']);
    });

    it('splits large snapshots and updates into messages of bounded size', async function () {
      await start({ md: { maxEntriesPerMessage: 4 } });
      for (let p = 100; p < 106; p++) h.place({ side: Side.Buy, price: PX(p), qty: QTY(1) });
      const c = await connect();
      c.send('V', mdRequest({ reqId: 'big', depth: 0, types: ['0'] }));
      const w = (await c.nextOf('W')).msg;
      expect(rows(w)).to.deep.equal(['0 105.00 1.00000 1', '0 104.00 1.00000 1', '0 103.00 1.00000 1', '0 102.00 1.00000 1']);
      const rest = (await c.nextOf('X')).msg;
      expect(rows(rest)).to.deep.equal(['0 0 BTCUSDT 101.00 1.00000 1', '0 0 BTCUSDT 100.00 1.00000 1']);

      h.apply({ type: 'massCancel', time: ++h.time, requestedBy: 'ops', requestId: 'm1', firm: '', account: '', session: '', symbol: 'BTCUSDT', side: 0, reason: 'ops' });
      const first = (await c.nextOf('X')).msg;
      const second = (await c.nextOf('X')).msg;
      expect(rows(first)).to.have.length(4);
      expect(rows(second)).to.have.length(2);
      expect([...rows(first), ...rows(second)].every((r) => r.startsWith('2 0 BTCUSDT'))).to.equal(true);
    });
  });

  describe('subscriptions', function () {
    it('unsubscribing stops the updates', async function () {
      await start();
      const c = await connect();
      await subscribe(c, { reqId: 'u1' });
      expect(h.md.subscriptionCount).to.equal(1);
      c.send('V', unsubscribe('u1'));
      await eventually(() => h.md.subscriptionCount === 0, 'the unsubscribe to arrive');
      h.place({ side: Side.Buy, price: PX(100), qty: QTY(1) });
      expect(await drain(c)).to.deep.equal([]);
      // The MDReqID is free again.
      await subscribe(c, { reqId: 'u1' });
      h.place({ side: Side.Buy, price: PX(99), qty: QTY(1) });
      expect(rows((await c.nextOf('X')).msg)).to.deep.equal(['0 0 BTCUSDT 99.00 1.00000 1']);
    });

    it('a session that logs out loses its subscriptions; other sessions keep theirs', async function () {
      await start();
      const a = await connect('MD1');
      const b = await connect('MD2');
      await subscribe(a, { reqId: 's' });
      await subscribe(b, { reqId: 's' });
      expect(h.md.subscriptionCount).to.equal(2);
      await a.logout();
      await eventually(() => h.md.subscriptionCount === 1, 'the logged-out session to lose its subscription');
      h.place({ side: Side.Sell, price: PX(105), qty: QTY(1) });
      expect(rows((await b.nextOf('X')).msg)).to.deep.equal(['0 1 BTCUSDT 105.00 1.00000 1']);
    });
  });

  describe('MarketDataRequestReject', function () {
    async function expectReject(c: TestClient, reqId: string, reason: string | undefined, text: string): Promise<void> {
      const y = (await c.nextOf('Y')).msg;
      expect([field(y, 262), field(y, 281), field(y, 58)]).to.deep.equal([reqId, reason, text]);
    }

    it('answers every unsupported request with its reason and a text', async function () {
      await start({ md: { maxDepth: 50, maxSubscriptionsPerSession: 2 } });
      const c = await connect();
      c.send('V', mdRequest({ reqId: 'r0', symbols: ['BTCUSDT', 'DOGEUSDT'] }));
      await expectReject(c, 'r0', '0', 'unknown symbol DOGEUSDT');

      c.send('V', (w) => {
        mdRequest({ reqId: 'r0b', symbols: [] })(w);
        w.remove(146);
        w.group(146, 1).instance().str(48, 'XS0000000001').str(22, '4').endGroup();
      });
      await expectReject(c, 'r0b', '0', 'NoRelatedSym(146) entry 1 has no Symbol(55); instruments are identified by Symbol');

      await subscribe(c, { reqId: 'dup' });
      c.send('V', mdRequest({ reqId: 'dup', symbols: ['ETHUSDT'] }));
      await expectReject(c, 'dup', '1', 'MDReqID dup is already subscribed on this session');

      await subscribe(c, { reqId: 'second' });
      c.send('V', mdRequest({ reqId: 'third' }));
      await expectReject(c, 'third', '2', 'at most 2 market data subscriptions per session; unsubscribe one first');

      c.send('V', mdRequest({ reqId: 'deep', depth: 51, kind: '0' }));
      await expectReject(c, 'deep', '5', 'MarketDepth(264) 51 is not supported: 0 (full book), 1 (top of book) or up to 50 levels');
      c.send('V', mdRequest({ reqId: 'negative', depth: -1, kind: '0' }));
      await expectReject(c, 'negative', '5', 'MarketDepth(264) -1 is not supported: 0 (full book), 1 (top of book) or up to 50 levels');

      c.send('V', mdRequest({ reqId: 'agg', kind: '0', extra: (w) => w.bool(266, false) }));
      await expectReject(c, 'agg', '7', 'AggregatedBook(266)=N is not supported: the venue publishes price levels (aggregated book) only');

      c.send('V', mdRequest({ reqId: 'open', kind: '0', types: ['0', '4'] }));
      await expectReject(c, 'open', '8', 'MDEntryType(269) 4 (opening price) is not published; supported: 0 bid, 1 offer, 2 trade, A imbalance (indicative auction price)');

      c.send('V', mdRequest({ reqId: 'session', kind: '0', extra: (w) => w.group(386, 1).instance().str(336, 'PRE').endGroup() }));
      await expectReject(c, 'session', '9', 'TradingSessionID(336) PRE is not supported: the venue has one continuous session; leave it out');

      c.send('V', mdRequest({ reqId: 'scope', kind: '0', extra: (w) => w.str(546, '3') }));
      await expectReject(c, 'scope', 'A', 'Scope(546) 3 is not supported: only 1 (local market)');

      c.send('V', mdRequest({ reqId: 'settle', kind: '0', extra: (w) => w.str(286, '1') }));
      await expectReject(c, 'settle', 'B', 'OpenCloseSettlFlag(286) is not supported');

      c.send('V', unsubscribe('never'));
      await expectReject(c, 'never', undefined, 'no subscription with MDReqID never to unsubscribe');

      // None of these disturbed the live subscriptions.
      expect(h.md.subscriptionCount).to.equal(2);
    });
  });

  describe('halts and resumes', function () {
    it('sends SecurityStatus to the sessions subscribed to the instrument', async function () {
      await start();
      const btc = await connect('MD1');
      const eth = await connect('MD2');
      await subscribe(btc, { reqId: 'b', symbols: ['BTCUSDT'] });
      await subscribe(btc, { reqId: 'b2', symbols: ['BTCUSDT'], depth: 1 });
      await subscribe(eth, { reqId: 'e', symbols: ['ETHUSDT'] });

      h.halt('BTCUSDT', 'volatility circuit breaker');
      const halt = (await btc.nextOf('f')).msg;
      expect([field(halt, 55), field(halt, 326), field(halt, 58), field(halt, 325)]).to.deep.equal(['BTCUSDT', '2', 'volatility circuit breaker', 'Y']);
      expect(field(halt, 60)).to.equal(new Date(h.time).toISOString().replace(/-/g, '').replace('T', '-').slice(0, 21));

      h.resume('BTCUSDT', 'volatility subsided');
      const resume = (await btc.nextOf('f')).msg;
      expect([field(resume, 55), field(resume, 326), field(resume, 58)]).to.deep.equal(['BTCUSDT', '3', 'volatility subsided']);
      // One SecurityStatus per session, not per subscription; none to the ETHUSDT subscriber.
      expect((await drain(btc)).map((m) => m.msgType)).to.deep.equal([]);
      expect((await drain(eth)).map((m) => m.msgType)).to.deep.equal([]);
    });

    it('tells a new subscriber that the instrument is halted', async function () {
      await start();
      h.halt('ETHUSDT', 'listing pending');
      const c = await connect();
      c.send('V', mdRequest({ reqId: 'late', symbols: ['ETHUSDT'] }));
      const { msg, skipped } = await c.nextOf('f');
      expect(skipped.map((m) => m.msgType)).to.deep.equal(['W']);
      expect([field(msg, 55), field(msg, 326)]).to.deep.equal(['ETHUSDT', '2']);
    });
  });
});
