// The core's side of routing: routed orders live in the order table but never in the book, and the external
// venue's outcomes (journaled RouteReportCommands) become the ordinary events, idempotently, replayably.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournaledVenue } from '../../src/venue/journal/journaled-venue.js';
import type { RouteReportCommand, VenueCommand } from '../../src/venue/model/commands.js';
import { OrderStatus, Side, TimeInForce } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { copyEvent } from '../../src/venue/event-copy.js';
import { Harness, ofType, only, spec } from '../venue/support/harness.js';

const ROUTE = 'EXT';

function report(orderId: number, kind: RouteReportCommand['kind'], o: Partial<RouteReportCommand> = {}): RouteReportCommand {
  return {
    type: 'routeReport', time: 5_000, route: ROUTE, orderId, kind, externalOrderId: '', execId: '', price: 0, qty: 0,
    cancelReason: '', text: '', baseQty: 0, ...o,
  };
}

describe('routing: routed orders in the core', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  function routedBuy(qty = 10, price = 100, o: Parameters<Harness['newOrder']>[0] = {}): number {
    const events = h.apply({ ...h.newOrder({ side: Side.Buy, price, qty, ...o }), route: ROUTE });
    const acc = only(events, 'accepted');
    expect(acc.order.status).to.equal(OrderStatus.PendingNew);
    expect(acc.order.route).to.equal(ROUTE);
    return acc.order.orderId;
  }

  it('holds a routed order in the order table, never in the book, pending new until acknowledged', () => {
    h.sell(100, 5); // local liquidity the routed order must not touch
    const id = routedBuy(10, 100);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
    expect(h.venue.liveOrders().map((o) => o.orderId)).to.include(id);
    const ack = h.apply(report(id, 'acknowledged', { externalOrderId: 'X1' }));
    const e = only(ack, 'routed');
    expect([e.kind, e.order.status]).to.deep.equal(['new', OrderStatus.New]);
    expect(h.venue.routedOrder(id)?.externalOrderId).to.equal('X1');
    expect(h.apply(report(id, 'acknowledged'))).to.deep.equal([]); // idempotent
  });

  it('applies each external fill once, one-sided, and finishes the order when filled', () => {
    const id = routedBuy(10, 100);
    const first = h.apply(report(id, 'fill', { execId: 't1', price: 99, qty: 4 }));
    // An unacknowledged order is acknowledged by its first fill: New comes before the fill.
    expect(first.map((e) => (e.type === 'routed' ? e.kind : e.type))).to.deep.equal(['new', 'fill']);
    const fill = ofType(first, 'routed')[1]!;
    expect([fill.price, fill.qty, fill.execId, fill.order.cumQty, fill.order.leavesQty, fill.order.status]).to.deep.equal([99, 4, 't1', 4, 6, OrderStatus.PartiallyFilled]);
    expect(h.apply(report(id, 'fill', { execId: 't1', price: 99, qty: 4 }))).to.deep.equal([]);
    expect(h.apply(report(id, 'fill', { execId: 't9', price: 99, qty: 7 }))).to.deep.equal([]); // more than is left: not applied
    const last = h.apply(report(id, 'fill', { execId: 't2', price: 100, qty: 6 }));
    expect(only(last, 'routed').order.status).to.equal(OrderStatus.Filled);
    expect(only(last, 'routed').order.cumNotional).to.equal(99 * 4 + 100 * 6);
    expect(h.venue.order(id)).to.equal(undefined);
    expect(h.venue.routedOrders()).to.deep.equal([]);
    expect(ofType(last, 'trade')).to.deep.equal([]);
  });

  it('passes a cancel on, refuses a second request while it is pending, and cancels on confirmation', () => {
    const id = routedBuy();
    const order = h.live(id);
    const pending = only(h.cancel(order, { clOrdId: 'cx1' }), 'routed');
    expect([pending.kind, pending.requestId, pending.order.status]).to.deep.equal(['pendingCancel', 'cx1', OrderStatus.PendingCancel]);
    const busy = only(h.cancel(h.live(id), { clOrdId: 'cx2' }), 'rejected');
    expect([busy.command, busy.cxlRejReason, busy.clOrdId]).to.deep.equal(['cancel', 3, 'cx2']);
    expect(h.apply(report(id, 'replaced'))).to.deep.equal([]); // not the pending request's answer
    const done = only(h.apply(report(id, 'cancelled')), 'cancelled');
    expect([done.reason, done.requestId, done.order.status]).to.deep.equal(['user', 'cx1', OrderStatus.Cancelled]);
    expect(h.venue.order(id)).to.equal(undefined);
  });

  it('answers a pending cancel with a refusal when the order fills first, and with a cancel reject when refused', () => {
    const a = routedBuy(10);
    h.cancel(h.live(a), { clOrdId: 'ca' });
    const filled = h.apply(report(a, 'fill', { execId: 'f', price: 100, qty: 10 }));
    expect(filled.map((e) => e.type)).to.deep.equal(['routed', 'routed', 'rejected']);
    const refused = only(filled, 'rejected');
    expect([refused.command, refused.clOrdId, refused.reason, refused.order?.status]).to.deep.equal(['cancel', 'ca', 'too-late', OrderStatus.Filled]);

    const b = routedBuy(10);
    h.apply(report(b, 'acknowledged'));
    h.cancel(h.live(b), { clOrdId: 'cb' });
    const no = only(h.apply(report(b, 'cancelRejected', { text: 'Unknown order sent.' })), 'rejected');
    expect(no.text).to.equal(`cancel refused by ${ROUTE}: Unknown order sent.`);
    expect(h.live(b).status).to.equal(OrderStatus.New);
  });

  it('replaces on confirmation: new ClOrdID, terms and incarnation; the new ClOrdID is reserved meanwhile', () => {
    const id = routedBuy(10, 100, { clOrdId: 'orig' });
    h.apply(report(id, 'acknowledged'));
    h.apply(report(id, 'fill', { execId: 'f1', price: 100, qty: 3 }));
    const pend = only(h.replace(h.live(id), { clOrdId: 'rep', qty: 20, price: 101 }), 'routed');
    expect([pend.kind, pend.requestId, pend.order.clOrdId, pend.order.qty]).to.deep.equal(['pendingReplace', 'rep', 'orig', 10]);
    const dup = only(h.submit({ clOrdId: 'rep', session: 'S1' }), 'rejected');
    expect(dup.reason).to.equal('duplicate-clordid');
    const seqOfReplace = h.venue.routedOrder(id)!.pending!.requestSeq;
    const rep = only(h.apply(report(id, 'replaced', { baseQty: 3, externalOrderId: 'X2' })), 'replaced');
    expect([rep.order.clOrdId, rep.order.origClOrdId, rep.order.qty, rep.order.leavesQty, rep.order.price]).to.deep.equal(['rep', 'orig', 20, 17, 101]);
    const view = h.venue.routedOrder(id)!;
    expect([view.incarnation, view.baseQty, view.externalOrderId]).to.deep.equal([seqOfReplace, 3, 'X2']);
    expect(h.venue.orderByClOrdId('S1', 'rep')?.orderId).to.equal(id);
  });

  it('mass cancel and end of day ask the external venue; a refused venue cancel restates the order', () => {
    const a = routedBuy(10, 100, { timeInForce: TimeInForce.Day });
    h.buy(100, 1); // a local order, cancelled at once
    const mass = h.massCancel({ requestId: 'm1' });
    expect(only(mass, 'massCancelDone').cancelled).to.equal(2);
    const pend = ofType(mass, 'routed')[0]!;
    expect([pend.kind, pend.reason, pend.requestId]).to.deep.equal(['pendingCancel', 'mass-cancel', 'm1']);
    const restated = only(h.apply(report(a, 'cancelRejected', { text: 'busy' })), 'routed');
    expect([restated.kind, restated.order.status]).to.deep.equal(['restated', OrderStatus.PendingNew]);

    const eod = h.apply({ type: 'endOfDay', time: 9_000, tradeDate: '20260101' });
    expect(only(eod, 'routed').kind).to.equal('pendingCancel');
    expect(h.apply({ type: 'endOfDay', time: 9_001, tradeDate: '20260101' })).to.deep.equal([]); // already pending
    expect(only(h.apply(report(a, 'cancelled')), 'expired').order.status).to.equal(OrderStatus.Expired);
  });

  it('a venue cancel that finds a replace pending goes out once the replace is answered', () => {
    const id = routedBuy(10, 100, { clOrdId: 'q0' });
    h.apply(report(id, 'acknowledged'));
    h.replace(h.live(id), { clOrdId: 'q1', qty: 5 });
    expect(ofType(h.massCancel({ requestId: 'k' }), 'routed')).to.deep.equal([]);
    const after = h.apply(report(id, 'replaceRejected', { text: 'no' }));
    expect(after.map((e) => (e.type === 'routed' ? e.kind : e.type))).to.deep.equal(['rejected', 'pendingCancel']);
  });

  it('an external rejection ends the order with the venue\'s words; an unsolicited cancel carries them too', () => {
    const a = routedBuy();
    const rej = only(h.apply(report(a, 'rejected', { text: 'Binance -2010: insufficient balance' })), 'routed');
    expect([rej.kind, rej.order.status, rej.text]).to.deep.equal(['rejected', OrderStatus.Rejected, 'Binance -2010: insufficient balance']);
    expect(h.venue.order(a)).to.equal(undefined);
    const b = routedBuy();
    const c = only(h.apply(report(b, 'cancelled', { cancelReason: 'ioc', text: 'EXPIRED' })), 'cancelled');
    expect([c.reason, c.text, c.requestId]).to.deep.equal(['ioc', 'EXPIRED', '']);
    expect(h.apply(report(b, 'fill', { execId: 'late', price: 1, qty: 1 }))).to.deep.equal([]);
    expect(h.apply(report(999, 'acknowledged'))).to.deep.equal([]);
    expect(h.apply({ ...report(routedBuy(), 'acknowledged'), route: 'OTHER' })).to.deep.equal([]);
  });

  describe('journal', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'routed-journal-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    async function run(cmds: VenueCommand[], snapshotAfter = -1): Promise<void> {
      const jv = new JournaledVenue({ instruments: [spec()] }, { dir, fsync: 'none', release: 'immediate' });
      await jv.open();
      cmds.forEach((c, i) => {
        jv.apply(c);
        if (i === snapshotAfter) void jv.snapshot();
      });
      await jv.commit();
      await jv.snapshot();
      await jv.close();
    }

    async function reopen(useSnapshot: boolean): Promise<{ events: VenueEvent[]; view: unknown; eventSeq: number }> {
      const jv = new JournaledVenue({ instruments: [spec()] }, { dir, fsync: 'none', release: 'immediate', useSnapshot });
      const events: VenueEvent[] = [];
      jv.subscribe((e) => events.push(copyEvent(e)), { replay: true });
      const rec = await jv.open();
      const view = jv.venue.routedOrders().map((r) => ({ ...r, order: { ...r.order } }));
      await jv.close();
      return { events, view, eventSeq: rec.eventSeq };
    }

    it('replays routed orders and their reports to the same state, with or without a snapshot', async () => {
      const cmds: VenueCommand[] = [
        { ...h.newOrder({ clOrdId: 'a', qty: 10 }), route: ROUTE },
        { ...h.newOrder({ clOrdId: 'b', qty: 10 }), route: ROUTE },
        h.newOrder({ clOrdId: 'local', qty: 1 }),
        report(1, 'acknowledged', { externalOrderId: 'E1' }),
        report(1, 'fill', { execId: 'x', price: 100, qty: 2 }),
        { type: 'replace', time: 2, session: 'S1', firm: 'F1', account: 'A', clOrdId: 'a2', origClOrdId: 'a', orderId: 0, symbol: 'ABC',
          side: Side.Buy, ordType: 2, timeInForce: TimeInForce.GTC, price: 100, stopPx: 0, qty: 8, maxFloor: 0, expireTime: 0 },
        { type: 'cancel', time: 3, session: 'S1', firm: 'F1', account: 'A', clOrdId: 'bx', origClOrdId: 'b', orderId: 0, symbol: 'ABC', side: Side.Buy },
        report(1, 'fill', { execId: 'y', price: 100, qty: 1 }),
      ];
      await run(cmds);
      const full = await reopen(false);
      const fromSnapshot = await reopen(true);
      expect(full.view).to.deep.equal(fromSnapshot.view);
      expect(full.eventSeq).to.equal(fromSnapshot.eventSeq);
      const views = full.view as Array<{ order: { orderId: number; cumQty: number; status: string }; pending: { kind: string } | null; execIds: string[] }>;
      expect(views.map((v) => [v.order.orderId, v.order.cumQty, v.order.status, v.pending?.kind ?? null, v.execIds.length])).to.deep.equal([
        [1, 3, OrderStatus.PendingReplace, 'replace', 2],
        [2, 0, OrderStatus.PendingCancel, 'cancel', 0],
      ]);
      const kinds = full.events.filter((e) => e.type === 'routed').map((e) => (e as { kind: string }).kind);
      expect(kinds).to.deep.equal(['new', 'fill', 'pendingReplace', 'pendingCancel', 'fill']);
    });
  });
});
