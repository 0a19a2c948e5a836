// The invariants a soak run must keep, each a function from what the members saw and what the venue holds
// (VenueTruth) to a list of violations. A violation names the order, ExecID or key concerned, so a failing run
// says what was lost or doubled, not just that something was.

import { parseDecimal } from '../../../src/venue/model/decimal.js';
import { OrderStatus, Side } from '../../../src/venue/model/enums.js';
import type { VenueEvent } from '../../../src/venue/model/events.js';
import type { InstrumentSpec } from '../../../src/venue/model/instrument.js';
import type { TradeEntry } from '../../../src/records/record-entries.js';
import type { OrderFlow } from './order-flow.js';
import type { SoakFixClient } from './soak-client.js';
import type { VenueTruth } from './venue-truth.js';

export interface CheckResult {
  /** Acknowledged orders the venue no longer has, and executions a member or the drop copy never received. */
  lost: number;
  /** Executions received twice, ExecIDs reused, trades settled twice. */
  duplicates: number;
  violations: string[];
}

export function emptyResult(): CheckResult {
  return { lost: 0, duplicates: 0, violations: [] };
}

export function merge(into: CheckResult, more: CheckResult): CheckResult {
  into.lost += more.lost;
  into.duplicates += more.duplicates;
  into.violations.push(...more.violations);
  return into;
}

const MAX_LISTED = 20;
/** ExecIDs that derive from a venue event's seq (others: status answers, refusals outside the journal). */
const EVENT_EXEC_ID = /^\d+[BS]?$/;
function note(r: CheckResult, text: string): void {
  if (r.violations.length < MAX_LISTED * 8) r.violations.push(text);
}

/** ExecIDs the venue's reports carry for an event, with the session that owns each (see report-publisher.ts). */
export function expectedReports(e: VenueEvent): Array<{ execId: string; session: string }> {
  switch (e.type) {
    case 'accepted':
    case 'cancelled':
    case 'replaced':
    case 'expired':
    case 'triggered':
      return [{ execId: String(e.seq), session: e.order.session }];
    case 'restated':
      return e.reason === 'self-trade-decrement' ? [{ execId: String(e.seq), session: e.order.session }] : [];
    case 'trade':
      return [e.maker, e.taker].map((o) => ({ execId: `${e.seq}${o.side === Side.Buy ? 'B' : 'S'}`, session: o.session }));
    case 'rejected':
      return e.command === 'new' ? [{ execId: String(e.seq), session: e.session }] : [];
    case 'routed':
      return [{ execId: String(e.seq), session: e.order.session }];
    default:
      return [];
  }
}

/** Orders that ended (filled, cancelled, expired) in the journal's history. */
function endedOrders(events: readonly VenueEvent[]): Map<number, string> {
  const ended = new Map<number, string>();
  for (const e of events) {
    if (e.type === 'trade') {
      if (e.maker.status === OrderStatus.Filled) ended.set(e.maker.orderId, 'filled');
      if (e.taker.status === OrderStatus.Filled) ended.set(e.taker.orderId, 'filled');
    } else if (e.type === 'cancelled') ended.set(e.order.orderId, 'cancelled');
    else if (e.type === 'expired') ended.set(e.order.orderId, 'expired');
    else if (e.type === 'replaced' && e.order.status === OrderStatus.Filled) ended.set(e.order.orderId, 'filled');
    else if (e.type === 'routed' && e.kind === 'fill' && e.order.status === OrderStatus.Filled) ended.set(e.order.orderId, 'filled at its route');
    else if (e.type === 'routed' && e.kind === 'rejected') ended.set(e.order.orderId, 'rejected by its route');
  }
  return ended;
}

/**
 * Every order a member was told about (any report but a reject) is live in the venue or ended in its history,
 * the member's last word on it agrees with the venue, and every report the journal implies for the member's
 * session reached it exactly once (and nothing else did).
 */
export function checkMembers(flows: readonly OrderFlow[], truth: VenueTruth): CheckResult {
  const r = emptyResult();
  const ended = endedOrders(truth.events);
  const expectedBySession = new Map<string, Set<string>>();
  for (const e of truth.events) {
    for (const x of expectedReports(e)) {
      let set = expectedBySession.get(x.session);
      if (set === undefined) expectedBySession.set(x.session, (set = new Set()));
      set.add(x.execId);
    }
  }
  const specs = new Map(truth.settings.instruments.map((i) => [i.symbol, i]));
  for (const flow of flows) {
    const session = flow.client.id;
    for (const o of flow.orders.values()) {
      const id = Number(o.orderId);
      const live = truth.core.order(id) ?? truth.core.routedOrder(id)?.order;
      const end = ended.get(id);
      if (live === undefined && end === undefined) {
        r.lost++;
        note(r, `${session}: order ${o.orderId} (${o.clOrdId}) was acknowledged but is neither live nor ended at the venue`);
        continue;
      }
      const memberDone = o.status === '2' || o.status === '4' || o.status === 'C' || o.status === '8';
      if (live !== undefined && memberDone) note(r, `${session}: order ${o.orderId} is live at the venue but the member was told status ${o.status}`);
      if (live === undefined && !memberDone) note(r, `${session}: order ${o.orderId} ${end} at the venue but the member's last report says status ${o.status}`);
      if (live !== undefined) {
        const spec = specs.get(live.symbol)!;
        if (parseDecimal(o.cumQty, spec.qtyDecimals) !== live.cumQty) note(r, `${session}: order ${o.orderId} cumQty ${o.cumQty} at the member, ${live.cumQty} (scaled) at the venue`);
      }
    }
    const got = new Set<string>();
    for (const o of flow.orders.values()) for (const x of o.execIds) got.add(x);
    const expected = expectedBySession.get(session) ?? new Set<string>();
    const rejectIds = new Set<string>();
    let missing = 0;
    for (const x of expected) {
      if (!got.has(x) && !flow.rejectExecIds.has(x)) {
        missing++;
        if (missing <= MAX_LISTED) note(r, `${session}: execution ${x} is in the journal but was never reported to the member`);
      }
    }
    // Refusals outside the sequenced stream (the journal unavailable) carry ExecIDs of their own: no event behind them.
    for (const x of flow.rejectExecIds) if (EVENT_EXEC_ID.test(x)) rejectIds.add(x);
    let phantom = 0;
    for (const x of [...got, ...rejectIds]) {
      if (!expected.has(x)) {
        phantom++;
        if (phantom <= MAX_LISTED) note(r, `${session}: the member received execution ${x}, which the journal does not hold`);
      }
    }
    r.lost += missing + phantom;
    r.duplicates += flow.duplicateExecIds.length;
    for (const d of flow.duplicateExecIds.slice(0, MAX_LISTED)) note(r, `${session}: execution ${d} processed twice`);
  }
  return r;
}

/** Every live order of the flows' sessions is one its member knows (an order the member never heard of is lost to it). */
export function checkUnknownLiveOrders(flows: readonly OrderFlow[], truth: VenueTruth): CheckResult {
  const r = emptyResult();
  for (const flow of flows) {
    const known = flow.orders;
    const routed = truth.core.routedOrders().map((r) => r.order).filter((o) => o.session === flow.client.id);
    for (const o of [...truth.core.liveOrders({ session: flow.client.id }), ...routed]) {
      if (!known.has(String(o.orderId))) {
        r.lost++;
        note(r, `${flow.client.id}: order ${o.orderId} (${o.clOrdId}) is live at the venue but was never reported to the member`);
      }
    }
  }
  return r;
}

export interface ApiBook {
  symbol: string;
  bids: Array<{ price: string; qty: string; orders: number }>;
  asks: Array<{ price: string; qty: string; orders: number }>;
}

/** The running venue's books (admin API) level for level equal to a clean replay of its journal. */
export function checkBooks(apiBooks: readonly ApiBook[], truth: VenueTruth): CheckResult {
  const r = emptyResult();
  for (const api of apiBooks) {
    const spec = truth.settings.instruments.find((i) => i.symbol === api.symbol)!;
    const replay = truth.core.book(api.symbol, 0)!;
    for (const [side, apiLevels, replayLevels] of [['bid', api.bids, replay.bids], ['ask', api.asks, replay.asks]] as const) {
      if (apiLevels.length !== replayLevels.length) note(r, `${api.symbol} ${side}s: ${apiLevels.length} levels live, ${replayLevels.length} in the replay`);
      const n = Math.min(apiLevels.length, replayLevels.length);
      for (let i = 0; i < n; i++) {
        const a = apiLevels[i]!;
        const b = replayLevels[i]!;
        if (parseDecimal(a.price, spec.priceDecimals) !== b.price || parseDecimal(a.qty, spec.qtyDecimals) !== b.qty || a.orders !== b.orderCount) {
          note(r, `${api.symbol} ${side} level ${i}: live ${a.price} ${a.qty} (${a.orders}), replay ${b.price} ${b.qty} (${b.orderCount}) scaled`);
          break;
        }
      }
    }
  }
  return r;
}

/** The execution record holds exactly the journal's history: the same trades, nothing the journal lacks. */
export function checkRecord(truth: VenueTruth): CheckResult {
  const r = emptyResult();
  const bySeq = new Map<number, VenueEvent>();
  for (const e of truth.events) if (e.type !== 'bookDelta') bySeq.set(e.seq, e);
  const recorded = new Set<number>();
  for (const entry of truth.record) {
    if (recorded.has(entry.seq)) {
      r.duplicates++;
      note(r, `record: event ${entry.seq} recorded twice`);
    }
    recorded.add(entry.seq);
    const e = bySeq.get(entry.seq);
    if (e === undefined || e.type !== entry.type) {
      r.lost++;
      note(r, `record: ${entry.type} ${entry.seq} is not in the journal's history (journal has ${e?.type ?? 'nothing'} there)`);
      continue;
    }
    if (entry.type === 'trade' && e.type === 'trade') {
      const spec = truth.settings.instruments.find((i) => i.symbol === e.symbol)!;
      if (!sameTrade(entry, e, spec)) note(r, `record: trade ${entry.seq} differs from the journal's (${entry.price} x ${entry.qty}, orders ${entry.buy.orderId}/${entry.sell.orderId})`);
    }
  }
  for (const e of bySeq.values()) {
    if (e.type === 'trade' && !recorded.has(e.seq)) {
      r.lost++;
      note(r, `record: trade ${e.seq} of the journal is missing`);
    }
  }
  return r;
}

function sameTrade(entry: TradeEntry, e: Extract<VenueEvent, { type: 'trade' }>, spec: InstrumentSpec): boolean {
  const buy = e.maker.side === Side.Buy ? e.maker : e.taker;
  const sell = e.maker.side === Side.Buy ? e.taker : e.maker;
  return (
    entry.matchId === e.matchId &&
    parseDecimal(entry.price, spec.priceDecimals) === e.price &&
    parseDecimal(entry.qty, spec.qtyDecimals) === e.qty &&
    entry.buy.orderId === buy.orderId &&
    entry.sell.orderId === sell.orderId
  );
}

interface Flows {
  /** "account asset" → net at the asset's scale (base: qty decimals; quote: price + qty decimals). */
  net: Map<string, bigint>;
  received: Map<string, bigint>;
  delivered: Map<string, bigint>;
  scale: Map<string, number>;
}

/**
 * Net and gross flows per account and asset implied by the journal's trades, exact; with `routedFills`, fills at
 * external venues too (risk counts them, clearing does not: they settle with the external venue).
 */
function tradeFlows(truth: VenueTruth, routedFills: boolean): Flows {
  const f: Flows = { net: new Map(), received: new Map(), delivered: new Map(), scale: new Map() };
  const add = (m: Map<string, bigint>, key: string, v: bigint): void => {
    m.set(key, (m.get(key) ?? 0n) + v);
  };
  for (const e of truth.events) {
    // A fill at an external venue (routed) moves the member's position like a trade here, one side only.
    const routedFill = routedFills && e.type === 'routed' && e.kind === 'fill';
    if (e.type !== 'trade' && !routedFill) continue;
    const symbol = e.type === 'trade' ? e.symbol : e.type === 'routed' ? e.order.symbol : '';
    const spec = truth.settings.instruments.find((i) => i.symbol === symbol)!;
    const qty = BigInt(e.type === 'trade' || e.type === 'routed' ? e.qty : 0);
    const notional = BigInt(e.type === 'trade' || e.type === 'routed' ? e.price : 0) * qty;
    f.scale.set(spec.baseAsset, spec.qtyDecimals);
    f.scale.set(spec.quoteAsset, spec.priceDecimals + spec.qtyDecimals);
    const sides = e.type === 'trade' ? [e.maker, e.taker] : e.type === 'routed' ? [e.order] : [];
    for (const o of sides) {
      const base = `${o.account} ${spec.baseAsset}`;
      const quote = `${o.account} ${spec.quoteAsset}`;
      if (o.side === Side.Buy) {
        add(f.net, base, qty);
        add(f.net, quote, -notional);
        add(f.received, base, qty);
        add(f.delivered, quote, notional);
      } else {
        add(f.net, base, -qty);
        add(f.net, quote, notional);
        add(f.delivered, base, qty);
        add(f.received, quote, notional);
      }
    }
  }
  return f;
}

function scaled(text: string, decimals: number): bigint {
  const neg = text.startsWith('-');
  const [int, frac = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt(int! + frac.padEnd(decimals, '0').slice(0, decimals));
  return neg ? -v : v;
}

/** Risk's positions in Redis equal the sum of the journal's trades, account by account and asset by asset. */
export function checkPositions(truth: VenueTruth): CheckResult {
  const r = emptyResult();
  const f = tradeFlows(truth, true);
  const seen = new Set<string>();
  for (const p of truth.positions) {
    const key = `${p.account} ${p.asset}`;
    seen.add(key);
    const want = f.net.get(key) ?? 0n;
    const scale = f.scale.get(p.asset) ?? 0;
    const have = scaled(p.net, scale);
    if (have !== want) {
      if (have > want) r.duplicates++;
      else r.lost++;
      note(r, `risk position ${key}: Redis says ${p.net}, the trades sum to ${want} (scale ${scale})`);
    }
  }
  for (const [key, v] of f.net) {
    if (!seen.has(key) && v !== 0n) {
      r.lost++;
      note(r, `risk position ${key}: missing in Redis (trades sum to ${v})`);
    }
  }
  return r;
}

/** Settlement holds every trade of the record exactly once: counts per date and the gross flows per account. */
export function checkSettlement(truth: VenueTruth): CheckResult {
  const r = emptyResult();
  const perDate = new Map<string, number>();
  for (const e of truth.record) if (e.type === 'trade') perDate.set(e.tradeDate, (perDate.get(e.tradeDate) ?? 0) + 1);
  for (const day of truth.clearing) {
    const trades = perDate.get(day.date) ?? 0;
    if (day.enqueued !== trades || day.settled !== trades) {
      if (day.enqueued > trades || day.settled > trades) r.duplicates += Math.max(day.enqueued, day.settled) - trades;
      else r.lost += trades - Math.min(day.enqueued, day.settled);
      note(r, `settlement ${day.date}: ${trades} trades in the record, ${day.enqueued} enqueued, ${day.settled} settled`);
    }
  }
  if (truth.clearing.length === 1) {
    const day = truth.clearing[0]!;
    const f = tradeFlows(truth, false);
    for (const [kind, m] of [['received', f.received], ['delivered', f.delivered]] as const) {
      for (const [key, v] of m) {
        const asset = key.split(' ')[1]!;
        const settleScale = day.scales.get(asset) ?? f.scale.get(asset)!;
        const want = v * 10n ** BigInt(settleScale - f.scale.get(asset)!);
        const have = day.positions.get(`${key} ${kind}`) ?? 0n;
        if (have !== want) note(r, `settlement ${day.date} ${key} ${kind}: ${have} settled, the trades make ${want}`);
      }
    }
  }
  return r;
}

/**
 * The drop copy received every execution of the journal exactly once (a PossDup repeat of a message it had
 * already processed is not a second copy; the client drops those by MsgSeqNum), and nothing else.
 */
export function checkDropCopy(execIds: readonly string[], truth: VenueTruth): CheckResult {
  const r = emptyResult();
  const expected = new Set<string>();
  for (const e of truth.events) for (const x of expectedReports(e)) expected.add(x.execId);
  const seen = new Set<string>();
  for (const x of execIds) {
    if (seen.has(x)) {
      r.duplicates++;
      note(r, `drop copy: execution ${x} received twice`);
    }
    seen.add(x);
    if (!expected.has(x) && EVENT_EXEC_ID.test(x)) {
      r.lost++;
      note(r, `drop copy: execution ${x} is not in the journal's history`);
    }
  }
  let missing = 0;
  for (const x of expected) {
    if (!seen.has(x)) {
      missing++;
      if (missing <= MAX_LISTED) note(r, `drop copy: execution ${x} never received`);
    }
  }
  r.lost += missing;
  return r;
}

/** The session layer: every client saw gap-free, never-reset, never-reused sequence numbers. */
export function checkSequences(clients: readonly SoakFixClient[]): CheckResult {
  const r = emptyResult();
  for (const c of clients) {
    for (const v of c.violations.slice(0, MAX_LISTED)) note(r, `${c.id}: ${v}`);
    r.duplicates += c.violations.filter((v) => v.includes('reused') || v.includes('changed')).length;
  }
  return r;
}
