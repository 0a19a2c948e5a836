// Cost of the pre-trade checks per order, measured against an empty check in the same run (the machine
// is shared and noisy, so only the difference and the medians mean something). Used by
// scripts/bench-risk.ts and meant to be folded into npm run bench:match.
//
// The limit set is realistic: 10 firms × 10 accounts over BTCUSDT and ETHUSDT, every limit type set per
// firm, rate and credit limits on a third of the accounts, order-size limits on some account ×
// instrument pairs, 2,000 resting orders and some positions behind the aggregates. The orders are what
// a venue sees: mostly limit orders near the reference price, some market orders, a fifth replaces of
// resting orders, all of them passing (the accept path is the one that matters).

import { OrdType, OrderStatus, Side, TimeInForce } from '../../src/venue/model/enums.js';
import type { NewOrderCommand, ReplaceCommand } from '../../src/venue/model/commands.js';
import type { OrderView, VenueEvent } from '../../src/venue/model/events.js';
import type { InstrumentSpec } from '../../src/venue/model/instrument.js';
import { RiskCore } from '../../src/risk/core/risk-core.js';

export interface RiskCheckCost {
  rounds: number;
  checksPerRound: number;
  /** Median ns per call of an empty check (loop and call overhead). */
  emptyNs: number;
  /** Median ns per call of the real checks. */
  checkNs: number;
  /** checkNs - emptyNs: what the checks add per order. */
  addedNs: number;
  checkMinNs: number;
  checkMaxNs: number;
  /** Median ns of feeding the risk engine one order's accepted + cancelled events. */
  orderEventsNs: number;
  /** Median ns of feeding one trade event (4 positions, 2 reservations). */
  tradeEventNs: number;
  /** Orders refused during the measurement (0: the accept path was measured). */
  refused: number;
}

const T0 = 1_700_000_000_000;

const INSTRUMENTS: InstrumentSpec[] = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 5, tickSize: 1, lotSize: 1, minQty: 1,
    maxQty: 10_000_000_000, minNotional: 0, priceBandPercent: 10, referencePrice: 6_000_000, status: 'open' },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 4, tickSize: 1, lotSize: 1, minQty: 1,
    maxQty: 10_000_000_000, minNotional: 0, priceBandPercent: 10, referencePrice: 300_000, status: 'open' },
];

/** A small deterministic generator (no Math.random, so every run measures the same orders). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Order = { -readonly [K in keyof OrderView]: OrderView[K] };

function orderView(cmd: NewOrderCommand, orderId: number): Order {
  return {
    orderId, session: cmd.session, firm: cmd.firm, account: cmd.account, clOrdId: cmd.clOrdId, origClOrdId: '', symbol: cmd.symbol,
    side: cmd.side, ordType: cmd.ordType, timeInForce: cmd.timeInForce, price: cmd.price, stopPx: 0, qty: cmd.qty, cumQty: 0,
    leavesQty: cmd.qty, cumNotional: 0, maxFloor: 0, expireTime: 0, status: OrderStatus.New, time: cmd.time, visibleQty: cmd.qty,
    minQty: 0, postOnly: false, triggered: false, decrementedQty: 0,
  };
}

/** An order as the venue would check it: a replace comes with the live order it targets. */
interface Entry {
  cmd: NewOrderCommand | ReplaceCommand;
  current: OrderView | null;
}

interface Rig {
  core: RiskCore;
  commands: Entry[];
  seq: { value: number };
  nextOrderId: { value: number };
}

function buildRig(): Rig {
  const firms = Array.from({ length: 10 }, (_, f) => ({ id: `FIRM${f}`, accounts: Array.from({ length: 10 }, (_, a) => `F${f}-A${a}`) }));
  const core = new RiskCore({
    instruments: INSTRUMENTS,
    firms,
    actions: { massCancel() {}, halt() {}, resume() {} },
  });
  for (const f of firms) {
    core.setLimits({ level: 'firm', firm: f.id }, {
      maxOrderQty: '50', maxOrderNotional: '5000000', priceBandPercent: '5', maxOpenOrders: '100000', maxLongPosition: '100000',
      maxShortPosition: '100000', creditLimit: '800000000', maxOrdersPerSecond: '10000000', lossLimit: '10000000',
    }, 'bench');
    f.accounts.forEach((account, i) => {
      if (i % 3 === 0) core.setLimits({ level: 'account', account }, { maxOrdersPerSecond: '5000000', creditLimit: '400000000', maxOpenOrders: '50000' }, 'bench');
      if (i % 5 === 0) core.setLimits({ level: 'instrument', account, symbol: 'BTCUSDT' }, { maxOrderQty: '20', maxLongPosition: '5000' }, 'bench');
    });
  }
  const rnd = lcg(42);
  const accounts = firms.flatMap((f) => f.accounts.map((account) => ({ firm: f.id, account })));
  const seq = { value: 0 };
  const nextOrderId = { value: 0 };
  const emit = (e: VenueEvent): void => core.onEvent(e);
  let clOrd = 0;
  const make = (i: number, time: number): NewOrderCommand => {
    const who = accounts[Math.floor(rnd() * accounts.length)]!;
    const btc = rnd() < 0.7;
    const spec = btc ? INSTRUMENTS[0]! : INSTRUMENTS[1]!;
    const market = rnd() < 0.05;
    const side = rnd() < 0.5 ? Side.Buy : Side.Sell;
    const offset = Math.floor((rnd() - 0.5) * 0.02 * spec.referencePrice); // within ±1% of the reference
    return {
      type: 'new', time, session: `S-${who.account}`, firm: who.firm, account: who.account, clOrdId: `b${++clOrd}-${i}`, symbol: spec.symbol,
      side, ordType: market ? OrdType.Market : OrdType.Limit, timeInForce: market ? TimeInForce.IOC : TimeInForce.GTC,
      price: market ? 0 : spec.referencePrice + offset, stopPx: 0, qty: Math.max(1, Math.floor(rnd() * (btc ? 100_000 : 50_000))),
      minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0, exDestination: '',
    };
  };
  // Resting orders and some positions behind the aggregates.
  const resting: Order[] = [];
  for (let i = 0; i < 2000; i++) {
    const cmd = make(i, T0);
    if (cmd.ordType === OrdType.Market) continue;
    const o = orderView(cmd, ++nextOrderId.value);
    emit({ type: 'accepted', seq: ++seq.value, commandSeq: seq.value, time: T0, order: o });
    resting.push(o);
  }
  for (let i = 0; i + 1 < 400; i += 2) {
    const maker = resting[i]!;
    const taker = resting[i + 1]!;
    if (maker.symbol !== taker.symbol || maker.side === taker.side) continue;
    const q = Math.min(maker.leavesQty, taker.leavesQty);
    for (const o of [maker, taker]) {
      o.cumQty += q;
      o.leavesQty -= q;
    }
    emit({ type: 'trade', seq: ++seq.value, commandSeq: seq.value, time: T0, matchId: seq.value, symbol: maker.symbol, price: maker.price, qty: q,
      aggressorSide: taker.side, maker: { ...maker }, taker: { ...taker } });
  }
  const commands: Entry[] = [];
  const live = resting.filter((o) => o.leavesQty > 0);
  for (let i = 0; i < 10_000; i++) {
    const time = T0 + 1000 + i;
    if (i % 5 === 4 && live.length > 0) {
      const o = live[Math.floor(rnd() * live.length)]!;
      const cmd: ReplaceCommand = {
        type: 'replace', time, session: o.session, firm: o.firm, account: o.account, clOrdId: `r${i}`, origClOrdId: o.clOrdId, orderId: 0,
        symbol: o.symbol, side: o.side, ordType: o.ordType, timeInForce: o.timeInForce, price: o.price + 1, stopPx: 0, qty: o.qty + 1,
        maxFloor: 0, expireTime: 0,
      };
      commands.push({ cmd, current: o });
    } else {
      commands.push({ cmd: make(i, time), current: null });
    }
  }
  return { core, commands, seq, nextOrderId };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Checker {
  check(cmd: NewOrderCommand | ReplaceCommand, current: OrderView | null): unknown;
}

const EMPTY: Checker = {
  check() {
    return null;
  },
};

/**
 * CPU time of this process in ns. Used instead of wall time: the machine is shared, and time spent
 * descheduled while others run must not count as the cost of a check.
 */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function timeChecks(checker: Checker, commands: Entry[], passes = 1): { ns: number; refused: number } {
  let refused = 0;
  const start = cpuNs();
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < commands.length; i++) {
      const e = commands[i]!;
      if (checker.check(e.cmd, e.current) !== null) refused++;
    }
  }
  return { ns: (cpuNs() - start) / (commands.length * passes), refused };
}

/** Measures the pre-trade checks (and, for context, the event handling) over `rounds` rounds. */
export function measureRiskCheckCost(options: { rounds?: number } = {}): RiskCheckCost {
  const rounds = options.rounds ?? 9;
  const rig = buildRig();
  const { core, commands } = rig;
  // The venue's call: a new order alone, a replace with the order it targets.
  const checker: Checker = {
    check: (cmd, current) => (cmd.type === 'new' ? core.check(cmd) : core.check(cmd, current)),
  };
  // Warm up both paths so the optimiser has settled before anything is timed.
  for (let w = 0; w < 3; w++) {
    timeChecks(EMPTY, commands);
    timeChecks(checker, commands);
  }
  const empty: number[] = [];
  const checks: number[] = [];
  let refused = 0;
  for (let r = 0; r < rounds; r++) {
    // Each round happens a little later, so the rate windows move the way they do in a running venue.
    for (const c of commands) c.cmd.time += 20_000;
    const first = r % 2 === 0;
    // The empty pass is repeated: one pass takes about as long as the CPU clock's resolution.
    if (first) empty.push(timeChecks(EMPTY, commands, 20).ns);
    const real = timeChecks(checker, commands);
    checks.push(real.ns);
    refused += real.refused;
    if (!first) empty.push(timeChecks(EMPTY, commands, 20).ns);
  }

  // Event handling: an order accepted then cancelled, and a trade between two resting orders.
  const lifecycle: number[] = [];
  const trades: number[] = [];
  const news = commands.map((c) => c.cmd).filter((c): c is NewOrderCommand => c.type === 'new' && c.ordType === OrdType.Limit).slice(0, 4000);
  for (let r = 0; r < rounds; r++) {
    const views = news.map((c) => orderView(c, ++rig.nextOrderId.value));
    const lifecycleEvents: VenueEvent[] = [];
    for (const o of views) {
      lifecycleEvents.push({ type: 'accepted', seq: ++rig.seq.value, commandSeq: rig.seq.value, time: o.time, order: o });
      const done = { ...o, leavesQty: 0, status: OrderStatus.Cancelled };
      lifecycleEvents.push({ type: 'cancelled', seq: ++rig.seq.value, commandSeq: rig.seq.value, time: o.time, order: done, reason: 'user', requestId: '' });
    }
    let start = cpuNs();
    for (let i = 0; i < lifecycleEvents.length; i++) core.onEvent(lifecycleEvents[i]!);
    lifecycle.push((cpuNs() - start) / views.length);

    const pairs = news.map((c) => orderView(c, ++rig.nextOrderId.value));
    for (const o of pairs) core.onEvent({ type: 'accepted', seq: ++rig.seq.value, commandSeq: rig.seq.value, time: o.time, order: o });
    // Trade events are built before the clock starts: only the risk engine's work is timed.
    const tradeEvents: VenueEvent[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const maker = pairs[i]!;
      const taker = pairs[i + 1]!;
      if (maker.symbol !== taker.symbol) continue;
      const q = Math.min(maker.leavesQty, taker.leavesQty);
      maker.cumQty += q;
      maker.leavesQty -= q;
      taker.cumQty += q;
      taker.leavesQty -= q;
      tradeEvents.push({ type: 'trade', seq: ++rig.seq.value, commandSeq: rig.seq.value, time: maker.time, matchId: rig.seq.value,
        symbol: maker.symbol, price: maker.price, qty: q, aggressorSide: taker.side, maker: { ...maker }, taker: { ...taker } });
    }
    start = cpuNs();
    for (let i = 0; i < tradeEvents.length; i++) core.onEvent(tradeEvents[i]!);
    trades.push((cpuNs() - start) / Math.max(1, tradeEvents.length));
    for (const o of pairs) {
      if (o.leavesQty === 0) continue;
      o.leavesQty = 0;
      core.onEvent({ type: 'cancelled', seq: ++rig.seq.value, commandSeq: rig.seq.value, time: o.time, order: o, reason: 'user', requestId: '' });
    }
  }

  const emptyNs = median(empty);
  const checkNs = median(checks);
  return {
    rounds,
    checksPerRound: commands.length,
    emptyNs,
    checkNs,
    addedNs: checkNs - emptyNs,
    checkMinNs: Math.min(...checks),
    checkMaxNs: Math.max(...checks),
    orderEventsNs: median(lifecycle),
    tradeEventNs: median(trades),
    refused,
  };
}
