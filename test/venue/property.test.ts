// Property-based tests: random command streams through the core and through the naive reference model
// (test/venue/reference) must give the same log of events and the same final books, and the core must
// keep its invariants after every command. VENUE_PROPERTY_RUNS=2000 runs more cases (default 150).

import { expect } from 'chai';
import fc from 'fast-check';
import { Venue } from '../../src/venue/core/venue.js';
import type { Order } from '../../src/venue/core/order.js';
import type { VenueCommand } from '../../src/venue/model/commands.js';
import { OrderStatus, Side, type StpMode } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { ReferenceVenue, type LogEntry } from './reference/reference-venue.js';
import { spec } from './support/harness.js';

const RUNS = Number(process.env.VENUE_PROPERTY_RUNS ?? 150);
const LOT = 2;
const SPEC = spec({ lotSize: LOT, minQty: LOT, maxQty: 40, priceBandPercent: 5, referencePrice: 100, minNotional: 0 });

// ------------------------------------------------------------------ generated operations

type Op =
  | { k: 'new'; s: number; a: number; side: Side; type: number; tif: number; px: number; stop: number; qty: number; floor: number; minQty: number; post: boolean; ttl: number }
  | { k: 'cancel'; ref: number; byId: number }
  | { k: 'replace'; ref: number; dpx: number; qty: number; floor: number; tif: number; dstop: number }
  | { k: 'mass'; filter: number; s: number; a: number; side: number }
  | { k: 'halt' | 'resume' | 'eod' }
  | { k: 'time'; dt: number }
  | { k: 'stp'; a: number; mode: number }
  | { k: 'refuse'; ref: number; amend: boolean };

const qtyArb = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => n * LOT) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 17 }) });

const newArb: fc.Arbitrary<Op> = fc.record({
  k: fc.constant('new' as const),
  s: fc.integer({ min: 0, max: 1 }),
  a: fc.integer({ min: 0, max: 2 }),
  side: fc.constantFrom(Side.Buy, Side.Sell),
  type: fc.constantFrom(2, 2, 2, 2, 2, 1, 3, 4),
  tif: fc.constantFrom(1, 1, 1, 0, 3, 4, 6),
  // Mostly a few ticks around 100 so that orders meet at the same levels; sometimes far (band rejects).
  px: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -12, max: 12 }) }),
  stop: fc.integer({ min: -6, max: 6 }),
  qty: qtyArb,
  floor: fc.constantFrom(0, 0, 0, 0, LOT, 2 * LOT),
  minQty: fc.constantFrom(0, 0, 0, 0, 0, LOT, 3 * LOT),
  post: fc.constantFrom(false, false, false, false, true),
  ttl: fc.integer({ min: 1, max: 30 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: newArb },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('cancel' as const), ref: fc.nat(), byId: fc.integer({ min: 0, max: 4 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('replace' as const), ref: fc.nat(), dpx: fc.integer({ min: -3, max: 3 }), qty: qtyArb,
      floor: fc.constantFrom(0, 0, LOT, 3 * LOT), tif: fc.constantFrom(1, 1, 0, 6, 3), dstop: fc.integer({ min: -2, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('mass' as const), filter: fc.integer({ min: 0, max: 4 }), s: fc.integer({ min: 0, max: 1 }), a: fc.integer({ min: 0, max: 2 }), side: fc.constantFrom(0, 1, 2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('halt' as const, 'resume' as const, 'eod' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('time' as const), dt: fc.integer({ min: 1, max: 25 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('stp' as const), a: fc.integer({ min: 0, max: 2 }), mode: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('refuse' as const), ref: fc.nat(), amend: fc.boolean() }) },
);

const ACCOUNTS = ['A0', 'A1', 'A2'];
const FIRMS = ['F1', 'F1', 'F2'];

/** Turns abstract operations into concrete commands (deterministically, without looking at any venue). */
function materialize(ops: Op[]): VenueCommand[] {
  const sent: Array<{ session: string; account: string; firm: string; clOrdId: string; side: Side; type: number; price: number; stopPx: number; qty: number }> = [];
  const cmds: VenueCommand[] = [];
  let time = 1000;
  let n = 0;
  for (const op of ops) {
    time += 1;
    switch (op.k) {
      case 'new': {
        const session = `S${op.s}`;
        const clOrdId = `c${n++}`;
        const price = op.type === 2 || op.type === 4 ? 100 + op.px : 0;
        const stopPx = op.type === 3 || op.type === 4 ? 100 + op.stop : 0;
        sent.push({ session, account: ACCOUNTS[op.a]!, firm: FIRMS[op.a]!, clOrdId, side: op.side, type: op.type, price, stopPx, qty: op.qty });
        cmds.push({
          type: 'new', time, session, firm: FIRMS[op.a]!, account: ACCOUNTS[op.a]!, clOrdId, symbol: 'ABC', side: op.side,
          ordType: op.type as 1, timeInForce: op.tif as 1, price, stopPx, qty: op.qty, minQty: op.minQty, maxFloor: op.floor,
          postOnly: op.post, expireTime: op.tif === 6 ? time + op.ttl : 0, exDestination: '',
        });
        break;
      }
      case 'cancel':
      case 'replace': {
        if (sent.length === 0) break;
        const o = sent[op.ref % sent.length]!;
        const byId = op.k === 'cancel' && op.byId === 0 ? 1 + (op.ref % (n + 1)) : 0;
        const clOrdId = `${op.k === 'cancel' ? 'x' : 'r'}${n++}`;
        if (op.k === 'cancel') {
          cmds.push({ type: 'cancel', time, session: o.session, firm: o.firm, account: o.account, clOrdId, origClOrdId: o.clOrdId, orderId: byId, symbol: 'ABC', side: o.side });
        } else {
          const price = o.type === 2 || o.type === 4 ? o.price + op.dpx : 0;
          const stopPx = o.type === 3 || o.type === 4 ? o.stopPx + op.dstop : 0;
          cmds.push({
            type: 'replace', time, session: o.session, firm: o.firm, account: o.account, clOrdId, origClOrdId: o.clOrdId, orderId: 0,
            symbol: 'ABC', side: o.side, ordType: o.type as 2, timeInForce: op.tif as 1, price, stopPx, qty: op.qty, maxFloor: op.floor,
            expireTime: op.tif === 6 ? time + 10 : 0,
          });
          sent.push({ ...o, clOrdId, price, stopPx, qty: op.qty });
        }
        break;
      }
      case 'mass': {
        const f = op.filter;
        cmds.push({
          type: 'massCancel', time, requestedBy: 'S0', requestId: `m${n++}`, firm: f === 0 ? FIRMS[op.a]! : '',
          account: f === 1 ? ACCOUNTS[op.a]! : '', session: f === 2 ? `S${op.s}` : '', symbol: f === 3 ? 'ABC' : '',
          side: f === 4 ? (op.side as 0) : 0, reason: 'user',
        });
        break;
      }
      case 'halt':
      case 'resume':
        cmds.push({ type: op.k, time, symbol: 'ABC', reason: 'test' });
        break;
      case 'eod':
        cmds.push({ type: 'endOfDay', time, tradeDate: '20240101' });
        break;
      case 'time':
        time += op.dt;
        cmds.push({ type: 'time', time });
        break;
      case 'stp':
        cmds.push({ type: 'setStp', time, account: ACCOUNTS[op.a]!, mode: op.mode as StpMode });
        break;
      case 'refuse': {
        // A refusal decided before the book (risk, gateway): journaled, reported, changes nothing.
        const o = sent.length > 0 ? sent[op.ref % sent.length]! : undefined;
        cmds.push({
          type: 'reject', time, session: o?.session ?? 'S0', firm: o?.firm ?? 'F1', account: o?.account ?? 'A0',
          command: op.amend && o ? 'replace' : 'new', clOrdId: `q${n++}`, origClOrdId: op.amend && o ? o.clOrdId : '',
          symbol: 'ABC', side: o?.side ?? Side.Buy, sideCode: '', reason: 'risk-limit', text: 'limit', ordRejReason: 3, cxlRejReason: 99,
        });
        break;
      }
    }
  }
  return cmds;
}

// ------------------------------------------------------------------ the core's side

function normalise(e: VenueEvent): LogEntry | null {
  switch (e.type) {
    case 'accepted': return ['accepted', e.order.orderId, e.order.clOrdId];
    case 'rejected':
      return e.command === 'new' || e.command === 'cancel' || e.command === 'replace'
        ? ['rejected', e.command, e.reason, e.clOrdId]
        : ['rejected', e.command, e.reason];
    case 'trade': return ['trade', e.matchId, e.price, e.qty, e.maker.orderId, e.taker.orderId, e.maker.leavesQty, e.taker.leavesQty];
    case 'cancelled': return ['cancelled', e.order.orderId, e.reason, e.order.cumQty, e.order.qty, e.requestId];
    case 'expired': return ['expired', e.order.orderId, e.order.cumQty, e.order.qty];
    case 'triggered': return ['triggered', e.order.orderId];
    case 'restated': return ['restated', e.order.orderId, e.reason, e.order.qty, e.order.leavesQty];
    case 'replaced': return ['replaced', e.order.orderId, e.keptPriority, e.order.qty, e.order.leavesQty, e.order.price];
    case 'massCancelDone': return ['massCancelDone', e.cancelled];
    case 'tradingStatus': return ['tradingStatus', e.status];
    case 'bookDelta':
    case 'phase':
    case 'indicative': return null;
    case 'routed': return ['routed', e.kind, e.order.orderId];
  }
}

interface Tracked {
  ordered: number;
  filled: number;
  side: Side;
}

/** Runs the core, checking invariants after every command. Returns its log. */
function runCore(cmds: VenueCommand[], stpMode: number, firmScope: boolean): { log: LogEntry[]; venue: Venue } {
  const venue = new Venue({ instruments: [SPEC], stp: { defaultMode: stpMode as StpMode, scope: firmScope ? 'firm' : 'account' } });
  const log: LogEntry[] = [];
  const tracked = new Map<number, Tracked>();
  const md = new Map<string, [number, number]>(); // market data rebuilt from book deltas
  let lastSeq = 0;
  let commandSeq = 0;
  const fail = (msg: string): never => {
    throw new Error(`after command ${commandSeq}: ${msg}`);
  };
  venue.subscribe((e) => {
    if (e.seq !== lastSeq + 1) fail(`event seq ${e.seq} follows ${lastSeq}`);
    lastSeq = e.seq;
    if (e.commandSeq !== commandSeq) fail(`event stamped with command ${e.commandSeq}`);
    const entry = normalise(e);
    if (entry) log.push(entry);
    switch (e.type) {
      case 'accepted':
        tracked.set(e.order.orderId, { ordered: e.order.qty, filled: 0, side: e.order.side });
        break;
      case 'trade': {
        if (e.qty <= 0 || e.qty % LOT !== 0) fail(`trade qty ${e.qty}`);
        if (e.maker.side === e.taker.side) fail('trade between two orders of one side');
        for (const o of [e.maker, e.taker]) {
          const t = tracked.get(o.orderId)!;
          t.filled += e.qty;
          if (o.cumQty !== t.filled) fail(`order ${o.orderId} cumQty ${o.cumQty} but trades sum to ${t.filled}`);
          if (o.cumQty + o.leavesQty !== t.ordered) fail(`order ${o.orderId}: filled + leaves != ordered`);
        }
        break;
      }
      case 'restated':
        if (e.reason === 'self-trade-decrement') tracked.get(e.order.orderId)!.ordered = e.order.qty;
        break;
      case 'replaced': {
        const t = tracked.get(e.order.orderId)!;
        t.ordered = e.order.qty;
        if (e.order.cumQty + e.order.leavesQty !== e.order.qty) fail(`replaced order ${e.order.orderId} does not add up`);
        break;
      }
      case 'cancelled':
      case 'expired': {
        const t = tracked.get(e.order.orderId)!;
        const cancelled = t.ordered - t.filled;
        if (cancelled < 0 || e.order.cumQty !== t.filled || e.order.leavesQty !== 0) fail(`order ${e.order.orderId} ends inconsistent`);
        break;
      }
      case 'bookDelta': {
        const key = `${e.side}:${e.price}`;
        if (e.orderCount === 0) md.delete(key);
        else md.set(key, [e.qty, e.orderCount]);
        break;
      }
      default:
        break;
    }
  });
  for (const cmd of cmds) {
    commandSeq++;
    venue.apply(cmd);
    checkBook(venue, md, fail);
  }
  return { log, venue };
}

function checkBook(venue: Venue, md: Map<string, [number, number]>, fail: (m: string) => never): void {
  const snap = venue.book('ABC')!;
  if (snap.bids.length > 0 && snap.asks.length > 0 && snap.bids[0]!.price >= snap.asks[0]!.price) fail('book crossed');
  let levels = 0;
  for (const side of [Side.Buy, Side.Sell]) {
    const rows = venue.levelOrders('ABC', side);
    const views = side === Side.Buy ? snap.bids : snap.asks;
    rows.forEach((row, i) => {
      levels++;
      const view = views[i]!;
      if (row.length === 0) fail('empty level left in the book');
      if (view.orderCount !== row.length) fail('level order count');
      let visible = 0;
      let prio = -1;
      for (const o of row) {
        const order = o as Order;
        if (order.price !== view.price) fail('order in the wrong level');
        if (order.priority <= prio) fail(`time priority broken at ${view.price}`);
        prio = order.priority;
        if (o.leavesQty <= 0 || o.leavesQty % LOT !== 0 || o.visibleQty <= 0 || o.visibleQty > o.leavesQty || o.visibleQty % LOT !== 0) fail(`bad quantities on order ${o.orderId}`);
        if (o.cumQty + o.leavesQty !== o.qty) fail(`order ${o.orderId}: cum + leaves != qty`);
        if (o.status !== OrderStatus.New && o.status !== OrderStatus.PartiallyFilled) fail(`resting order with status ${o.status}`);
        visible += o.visibleQty;
      }
      if (visible !== view.qty) fail('level visible quantity');
      const fromMd = md.get(`${side}:${view.price}`);
      if (!fromMd || fromMd[0] !== view.qty || fromMd[1] !== view.orderCount) fail(`book deltas disagree at ${side}:${view.price}`);
      if (i > 0 && (side === Side.Buy ? views[i - 1]!.price <= view.price : views[i - 1]!.price >= view.price)) fail('levels out of order');
    });
  }
  if (md.size !== levels) fail('book deltas show levels that are gone');
}

function coreBook(venue: Venue, side: Side): Array<[number, Array<[number, number, number]>]> {
  return venue.levelOrders('ABC', side).map((row) => [row[0]!.price, row.map((o) => [o.orderId, o.leavesQty, o.visibleQty] as [number, number, number])]);
}

describe('venue core: property tests against a naive reference model', function () {
  this.timeout(120_000);

  it(`same events and books as the reference, with invariants after every command (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 160, size: 'max' }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (ops, stpMode, firmScope) => {
          const cmds = materialize(ops);
          const core = runCore(cmds, stpMode, firmScope);
          const ref = new ReferenceVenue({ spec: SPEC, stpDefault: stpMode, stpFirmScope: firmScope });
          for (const c of cmds) ref.apply(c);
          expect(core.log).to.deep.equal(ref.log);
          expect(coreBook(core.venue, Side.Buy)).to.deep.equal(ref.book(Side.Buy));
          expect(coreBook(core.venue, Side.Sell)).to.deep.equal(ref.book(Side.Sell));
          expect(core.venue.pendingStops('ABC').map((o) => o.orderId).sort((a, b) => a - b)).to.deep.equal(ref.pendingStopIds());
          expect(core.venue.instrument('ABC')!.lastPrice).to.equal(ref.lastPrice);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the generator reaches every kind of event (so the comparison above is not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 50, maxLength: 160, size: 'max' }), fc.integer({ min: 0, max: 4 }), (ops, mode) => {
        for (const entry of runCore(materialize(ops), mode, false).log) seen.add(`${entry[0]}${entry[0] === 'restated' || entry[0] === 'cancelled' ? `:${entry[2]}` : ''}`);
      }),
      { numRuns: 60, seed: 1234 },
    );
    for (const kind of ['accepted', 'rejected', 'trade', 'cancelled:user', 'cancelled:ioc', 'cancelled:fok', 'cancelled:self-trade',
      'cancelled:mass-cancel', 'cancelled:price-band', 'cancelled:market-no-liquidity', 'expired', 'triggered', 'restated:iceberg-refresh', 'restated:self-trade-decrement', 'replaced',
      'massCancelDone', 'tradingStatus']) {
      expect(seen, kind).to.include(kind);
    }
  });
});
