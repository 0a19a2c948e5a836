// A deliberately naive reference venue for property tests. It implements the same documented rules as
// the core (see src/venue/core/matcher.ts and venue.ts) in the most obvious way: one array of live
// orders, and every decision made by sorting or filtering that array. No linked lists, no ladders, no
// pools, no reuse. It records a normalised log of what happened so the two can be compared.

import type { VenueCommand, NewOrderCommand, ReplaceCommand } from '../../../src/venue/model/commands.js';
import type { InstrumentSpec } from '../../../src/venue/model/instrument.js';

export type LogEntry = (string | number | boolean)[];

interface ROrder {
  id: number;
  session: string;
  firm: string;
  account: string;
  clOrdId: string;
  side: number;
  type: number; // 1 market, 2 limit, 3 stop, 4 stop-limit
  tif: number;
  price: number;
  stopPx: number;
  qty: number;
  cum: number;
  leaves: number;
  visible: number;
  maxFloor: number;
  expireTime: number;
  postOnly: boolean;
  prio: number;
  triggered: boolean;
  where: 'book' | 'stop' | 'none';
}

const BUY = 1;
const MARKET = 1;
const LIMIT = 2;
const STOP = 3;
const STOP_LIMIT = 4;
const DAY = 0;
const IOC = 3;
const FOK = 4;
const GTD = 6;

export interface ReferenceConfig {
  spec: InstrumentSpec;
  stpDefault: number;
  stpFirmScope: boolean;
}

export class ReferenceVenue {
  readonly log: LogEntry[] = [];
  orders: ROrder[] = [];
  status: string;
  lastPrice = 0;
  private nextId = 0;
  private nextMatch = 0;
  private prio = 0;
  private readonly stp = new Map<string, number>();
  private low = 0;
  private high = Infinity;
  private tradeLo = Infinity;
  private tradeHi = -Infinity;
  private queue: ROrder[] = [];

  constructor(private readonly cfg: ReferenceConfig) {
    this.status = cfg.spec.status;
    this.computeBand();
  }

  // ------------------------------------------------------------------ helpers

  private computeBand(): void {
    const spec = this.cfg.spec;
    const ref = this.lastPrice > 0 ? this.lastPrice : spec.referencePrice;
    if (spec.priceBandPercent <= 0 || ref <= 0) {
      this.low = 0;
      this.high = Infinity;
      return;
    }
    const ppm = BigInt(Math.round(spec.priceBandPercent * 10000));
    const M = 1_000_000n;
    const tick = BigInt(spec.tickSize);
    const r = BigInt(ref);
    const hiNum = r * (M + ppm);
    this.high = Number(hiNum / (M * tick) * tick);
    const loNum = r * (M - ppm);
    const den = M * tick;
    this.low = Number(((loNum + den - 1n) / den) * tick);
  }

  private stpKey(o: { account: string; firm: string }): string {
    return this.cfg.stpFirmScope ? o.firm : o.account;
  }

  private modeOf(account: string): number {
    return this.stp.get(account) ?? this.cfg.stpDefault;
  }

  private isMarketLike(o: { type: number }): boolean {
    return o.type === MARKET || o.type === STOP;
  }

  private limitOf(side: number, type: number, price: number): number {
    if (type === MARKET || type === STOP) return side === BUY ? this.high : this.low;
    return price;
  }

  private crosses(side: number, restingPrice: number, limit: number): boolean {
    return side === BUY ? restingPrice <= limit : restingPrice >= limit;
  }

  /** Resting orders on the side opposite to `side` that `limit` reaches, best first. */
  private reachable(side: number, limit: number): ROrder[] {
    return this.orders
      .filter((o) => o.where === 'book' && o.side !== side && this.crosses(side, o.price, limit))
      .sort((a, b) => (a.price !== b.price ? (side === BUY ? a.price - b.price : b.price - a.price) : a.prio - b.prio));
  }

  private live(session: string, clOrdId: string): ROrder | undefined {
    return this.orders.find((o) => o.session === session && o.clOrdId === clOrdId);
  }

  private drop(o: ROrder): void {
    o.where = 'none';
    this.orders = this.orders.filter((x) => x !== o);
  }

  private finishCancel(o: ROrder, reason: string, requestId: string): void {
    o.leaves = 0;
    o.visible = 0;
    this.log.push(['cancelled', o.id, reason, o.cum, o.qty, requestId]);
    this.drop(o);
  }

  // ------------------------------------------------------------------ commands

  apply(cmd: VenueCommand): void {
    this.tradeLo = Infinity;
    this.tradeHi = -Infinity;
    switch (cmd.type) {
      case 'new': return this.newOrder(cmd);
      case 'cancel': return this.cancel(cmd);
      case 'replace': return this.replace(cmd);
      case 'massCancel': {
        if (cmd.symbol && cmd.symbol !== this.cfg.spec.symbol) {
          this.log.push(['rejected', 'massCancel', 'unknown-symbol']);
          return;
        }
        const reason = cmd.reason === 'disconnect' ? 'disconnect' : cmd.reason === 'kill-switch' ? 'kill-switch' : 'mass-cancel';
        const hit = [...this.orders].sort((a, b) => a.id - b.id).filter((o) =>
          (!cmd.firm || o.firm === cmd.firm) && (!cmd.account || o.account === cmd.account) &&
          (!cmd.session || o.session === cmd.session) && (!cmd.side || o.side === cmd.side));
        for (const o of hit) this.finishCancel(o, reason, cmd.requestId);
        this.log.push(['massCancelDone', hit.length]);
        return;
      }
      case 'halt':
      case 'resume':
        if (cmd.symbol !== this.cfg.spec.symbol) {
          this.log.push(['rejected', cmd.type, 'unknown-symbol']);
          return;
        }
        this.status = cmd.type === 'halt' ? 'halted' : 'open';
        this.log.push(['tradingStatus', this.status]);
        return;
      case 'time':
        for (const o of [...this.orders].sort((a, b) => a.id - b.id)) {
          if (o.tif === GTD && o.expireTime <= cmd.time) this.expire(o);
        }
        return;
      case 'endOfDay':
        for (const o of [...this.orders].sort((a, b) => a.id - b.id)) if (o.tif === DAY) this.expire(o);
        return;
      case 'reject':
        this.log.push(['rejected', cmd.command, cmd.reason, cmd.clOrdId]);
        return;
      case 'setStp':
        if (![0, 1, 2, 3, 4].includes(cmd.mode) || !cmd.account) {
          this.log.push(['rejected', 'setStp', 'unsupported']);
          return;
        }
        this.stp.set(cmd.account, cmd.mode);
        return;
    }
  }

  private expire(o: ROrder): void {
    o.leaves = 0;
    o.visible = 0;
    this.log.push(['expired', o.id, o.cum, o.qty]);
    this.drop(o);
  }

  /** Static checks, in the core's order. Returns a reject reason or ''. */
  private check(
    qty: number, type: number, tif: number, price: number, stopPx: number, maxFloor: number, minQty: number,
    postOnly: boolean, expireTime: number, time: number, cumQty: number, bandApplies = true,
  ): string {
    const s = this.cfg.spec;
    if (cumQty > 0 && qty <= cumQty) return Number.isSafeInteger(qty) && qty > 0 && qty % s.lotSize === 0 ? '' : 'invalid-quantity';
    if (!(Number.isSafeInteger(qty) && qty > 0) || qty % s.lotSize !== 0 || qty < s.minQty || (s.maxQty > 0 && qty > s.maxQty)) return 'invalid-quantity';
    const hasLimit = type === LIMIT || type === STOP_LIMIT;
    const hasStop = type === STOP || type === STOP_LIMIT;
    if (hasLimit && (!(Number.isSafeInteger(price) && price > 0) || price % s.tickSize !== 0)) return 'invalid-price';
    if (hasStop && (!(Number.isSafeInteger(stopPx) && stopPx > 0) || stopPx % s.tickSize !== 0)) return 'invalid-price';
    const resting = tif === DAY || tif === 1 || tif === GTD;
    if (maxFloor !== 0) {
      if (!(maxFloor > 0) || maxFloor % s.lotSize !== 0) return 'invalid-quantity';
      if (!hasLimit || !resting) return 'unsupported';
    }
    if (minQty !== 0) {
      if (!(minQty > 0) || minQty % s.lotSize !== 0 || minQty > qty) return 'invalid-quantity';
      if (hasStop || postOnly) return 'unsupported';
    }
    if (postOnly && (type !== LIMIT || !resting)) return 'unsupported';
    if (tif === GTD && !(expireTime > time)) return 'other';
    if (bandApplies && type === LIMIT && (price < this.low || price > this.high)) return 'price-band';
    const np = hasLimit ? price : hasStop ? stopPx : (this.lastPrice > 0 ? this.lastPrice : s.referencePrice);
    if (s.minNotional > 0 && np > 0 && np * qty < s.minNotional) return 'min-notional';
    return '';
  }

  /** What could fill now, honouring STP as matching would (FOK / MinQty). */
  private executable(side: number, account: string, firm: string, limit: number, needed: number): number {
    const mode = this.modeOf(account);
    const key = this.stpKey({ account, firm });
    let remaining = needed;
    let filled = 0;
    for (const o of this.reachable(side, limit)) {
      if (mode !== 0 && this.stpKey(o) === key) {
        if (mode === 1) continue;
        if (mode === 4) {
          if (o.leaves >= remaining) return filled;
          remaining -= o.leaves;
          continue;
        }
        return filled;
      }
      const q = Math.min(o.leaves, remaining);
      filled += q;
      remaining -= q;
      if (remaining === 0) return filled;
    }
    return filled;
  }

  private newOrder(cmd: NewOrderCommand): void {
    const reject = (reason: string): void => void this.log.push(['rejected', 'new', reason, cmd.clOrdId]);
    if (cmd.symbol !== this.cfg.spec.symbol) return reject('unknown-symbol');
    if (this.status !== 'open') return reject(this.status === 'halted' ? 'instrument-halted' : 'instrument-closed');
    if (this.live(cmd.session, cmd.clOrdId)) return reject('duplicate-clordid');
    if (typeof cmd.clOrdId !== 'string' || cmd.clOrdId === '') return reject('other');
    const reason = this.check(cmd.qty, cmd.ordType, cmd.timeInForce, cmd.price, cmd.stopPx, cmd.maxFloor, cmd.minQty, cmd.postOnly, cmd.expireTime, cmd.time, 0);
    if (reason) return reject(reason);
    const limit = this.limitOf(cmd.side, cmd.ordType, cmd.price);
    if (cmd.postOnly && this.reachable(cmd.side, limit).length > 0) return reject('post-only');
    if (cmd.minQty > 0 && this.executable(cmd.side, cmd.account, cmd.firm, limit, cmd.minQty) < cmd.minQty) return reject('min-qty');
    const o: ROrder = {
      id: ++this.nextId, session: cmd.session, firm: cmd.firm, account: cmd.account, clOrdId: cmd.clOrdId, side: cmd.side,
      type: cmd.ordType, tif: cmd.timeInForce, price: cmd.ordType === LIMIT || cmd.ordType === STOP_LIMIT ? cmd.price : 0,
      stopPx: cmd.ordType === STOP || cmd.ordType === STOP_LIMIT ? cmd.stopPx : 0, qty: cmd.qty, cum: 0, leaves: cmd.qty,
      visible: 0, maxFloor: cmd.maxFloor, expireTime: cmd.timeInForce === GTD ? cmd.expireTime : 0, postOnly: cmd.postOnly,
      prio: ++this.prio, triggered: false, where: 'none',
    };
    this.orders.push(o);
    this.log.push(['accepted', o.id, o.clOrdId]);
    if (o.type === STOP || o.type === STOP_LIMIT) {
      if (this.triggeredByLast(o)) this.triggerNow(o);
      else o.where = 'stop';
      return;
    }
    this.enter(o);
    this.drain();
  }

  private triggeredByLast(o: ROrder): boolean {
    if (this.lastPrice === 0) return false;
    return o.side === BUY ? this.lastPrice >= o.stopPx : this.lastPrice <= o.stopPx;
  }

  private triggerNow(o: ROrder): void {
    this.queue.push(o);
    this.drain();
  }

  private collect(): void {
    if (this.tradeLo > this.tradeHi) return;
    const lo = this.tradeLo;
    const hi = this.tradeHi;
    this.tradeLo = Infinity;
    this.tradeHi = -Infinity;
    const hit = this.orders
      .filter((o) => o.where === 'stop' && (o.side === BUY ? o.stopPx <= hi : o.stopPx >= lo))
      .sort((a, b) => a.prio - b.prio);
    for (const o of hit) o.where = 'none';
    this.queue.push(...hit);
  }

  private drain(): void {
    this.collect();
    while (this.queue.length > 0) {
      const o = this.queue.shift()!;
      o.triggered = true;
      o.prio = ++this.prio;
      this.log.push(['triggered', o.id]);
      if (o.type === STOP_LIMIT && (o.price < this.low || o.price > this.high)) this.finishCancel(o, 'price-band', '');
      else this.enter(o);
      this.collect();
    }
  }

  private enter(o: ROrder): void {
    const limit = this.limitOf(o.side, o.type, o.price);
    if (o.tif === FOK && this.executable(o.side, o.account, o.firm, limit, o.leaves) < o.leaves) {
      this.finishCancel(o, 'fok', '');
      return;
    }
    const mode = this.modeOf(o.account);
    const key = this.stpKey(o);
    let traded = false;
    let alive = true;
    for (;;) {
      if (o.leaves === 0) break;
      const best = this.reachable(o.side, limit)[0];
      if (best === undefined) break;
      if (mode !== 0 && this.stpKey(best) === key) {
        if (mode === 1) {
          this.finishCancel(best, 'self-trade', '');
          continue;
        }
        if (mode === 2) {
          this.finishCancel(o, 'self-trade', '');
          alive = false;
          break;
        }
        if (mode === 3) {
          this.finishCancel(best, 'self-trade', '');
          this.finishCancel(o, 'self-trade', '');
          alive = false;
          break;
        }
        if (best.leaves <= o.leaves) {
          const dec = best.leaves;
          this.finishCancel(best, 'self-trade', '');
          if (dec === o.leaves) {
            this.finishCancel(o, 'self-trade', '');
            alive = false;
            break;
          }
          o.qty -= dec;
          o.leaves -= dec;
          this.log.push(['restated', o.id, 'self-trade-decrement', o.qty, o.leaves]);
          continue;
        }
        best.qty -= o.leaves;
        best.leaves -= o.leaves;
        best.visible = Math.min(best.visible, best.leaves);
        this.log.push(['restated', best.id, 'self-trade-decrement', best.qty, best.leaves]);
        this.finishCancel(o, 'self-trade', '');
        alive = false;
        break;
      }
      const q = Math.min(o.leaves, best.visible);
      best.cum += q;
      best.leaves -= q;
      best.visible -= q;
      o.cum += q;
      o.leaves -= q;
      this.lastPrice = best.price;
      traded = true;
      this.tradeLo = Math.min(this.tradeLo, best.price);
      this.tradeHi = Math.max(this.tradeHi, best.price);
      this.log.push(['trade', ++this.nextMatch, best.price, q, best.id, o.id, best.leaves, o.leaves]);
      if (best.leaves === 0) this.drop(best);
      else if (best.visible === 0) {
        best.visible = Math.min(best.maxFloor, best.leaves);
        best.prio = ++this.prio;
        this.log.push(['restated', best.id, 'iceberg-refresh', best.qty, best.leaves]);
      }
    }
    if (traded) this.computeBand();
    if (!alive) return;
    if (o.leaves === 0) {
      this.drop(o);
      return;
    }
    if (this.isMarketLike(o)) {
      const blocked = this.orders.some((x) => x.where === 'book' && x.side !== o.side);
      this.finishCancel(o, blocked ? 'price-band' : 'market-no-liquidity', '');
    } else if (o.tif === IOC) this.finishCancel(o, 'ioc', '');
    else if (o.tif === FOK) this.finishCancel(o, 'fok', '');
    else {
      o.visible = o.maxFloor > 0 && o.maxFloor < o.leaves ? o.maxFloor : o.leaves;
      o.where = 'book';
    }
  }

  private findFor(cmd: { orderId: number; firm: string; session: string; origClOrdId: string }): ROrder | undefined {
    if (cmd.orderId > 0) return this.orders.find((o) => o.id === cmd.orderId && o.firm === cmd.firm);
    return this.live(cmd.session, cmd.origClOrdId);
  }

  private cancel(cmd: Extract<VenueCommand, { type: 'cancel' }>): void {
    const reject = (reason: string): void => void this.log.push(['rejected', 'cancel', reason, cmd.clOrdId]);
    if (cmd.symbol !== this.cfg.spec.symbol) return reject('unknown-symbol');
    const o = this.findFor(cmd);
    if (!o) return reject('unknown-order');
    if (o.side !== cmd.side) return reject('unknown-order');
    if (cmd.clOrdId !== o.clOrdId && this.live(cmd.session, cmd.clOrdId)) return reject('duplicate-clordid');
    this.finishCancel(o, 'user', cmd.clOrdId);
  }

  private replace(cmd: ReplaceCommand): void {
    const reject = (reason: string): void => void this.log.push(['rejected', 'replace', reason, cmd.clOrdId]);
    if (cmd.symbol !== this.cfg.spec.symbol) return reject('unknown-symbol');
    const o = this.findFor(cmd);
    if (!o) return reject('unknown-order');
    if (this.status !== 'open') return reject(this.status === 'halted' ? 'instrument-halted' : 'instrument-closed');
    if (o.side !== cmd.side) return reject('unknown-order');
    if (this.live(o.session, cmd.clOrdId) || this.live(cmd.session, cmd.clOrdId)) return reject('duplicate-clordid');
    if (cmd.clOrdId === '') return reject('other');
    if (cmd.ordType !== o.type) return reject('unsupported');
    if (![DAY, 1, GTD].includes(cmd.timeInForce)) return reject('unsupported');
    if (cmd.qty <= o.cum) {
      if (!(Number.isSafeInteger(cmd.qty) && cmd.qty > 0) || cmd.qty % this.cfg.spec.lotSize !== 0) return reject('invalid-quantity');
    } else {
      const reason = this.check(cmd.qty, o.type, cmd.timeInForce, cmd.price, cmd.stopPx, cmd.maxFloor, 0, o.postOnly, cmd.expireTime, cmd.time, 0, false);
      if (reason) return reject(reason);
    }
    const hasLimit = o.type === LIMIT || o.type === STOP_LIMIT;
    const priceChanged = hasLimit && cmd.price !== o.price;
    if (o.where !== 'stop') {
      if (priceChanged && (cmd.price < this.low || cmd.price > this.high)) return reject('price-band');
      if (o.postOnly && priceChanged && this.reachable(o.side, cmd.price).length > 0) return reject('post-only');
    }
    o.clOrdId = cmd.clOrdId;
    o.tif = cmd.timeInForce;
    o.expireTime = cmd.timeInForce === GTD ? cmd.expireTime : 0;
    if (cmd.qty <= o.cum) {
      o.qty = o.cum;
      o.leaves = 0;
      o.visible = 0;
      this.log.push(['replaced', o.id, false, o.qty, o.leaves, o.price]);
      this.drop(o);
      return;
    }
    const stopChanged = (o.type === STOP || o.type === STOP_LIMIT) && !o.triggered && cmd.stopPx !== o.stopPx;
    const qtyUp = cmd.qty > o.qty;
    const showsMore = o.maxFloor !== 0 && (cmd.maxFloor === 0 || cmd.maxFloor > o.maxFloor);
    const keep = !priceChanged && !stopChanged && !qtyUp && !showsMore;
    const visibleBefore = o.visible;
    o.qty = cmd.qty;
    o.leaves = cmd.qty - o.cum;
    o.maxFloor = cmd.maxFloor;
    if (o.where === 'stop') {
      if (hasLimit) o.price = cmd.price;
      if (stopChanged) o.stopPx = cmd.stopPx;
      if (!keep) o.prio = ++this.prio;
      this.log.push(['replaced', o.id, keep, o.qty, o.leaves, o.price]);
      if (this.triggeredByLast(o)) {
        o.where = 'none';
        this.triggerNow(o);
      }
      return;
    }
    if (keep) {
      o.visible = Math.min(o.maxFloor > 0 ? Math.min(visibleBefore, o.maxFloor) : o.leaves, o.leaves);
      this.log.push(['replaced', o.id, true, o.qty, o.leaves, o.price]);
      return;
    }
    o.where = 'none';
    if (hasLimit) o.price = cmd.price;
    o.prio = ++this.prio;
    this.log.push(['replaced', o.id, false, o.qty, o.leaves, o.price]);
    this.enter(o);
    this.drain();
  }

  /** Book as levels best first: [price, [[id, leaves, visible], ...]]. */
  book(side: number): Array<[number, Array<[number, number, number]>]> {
    const resting = this.orders
      .filter((o) => o.where === 'book' && o.side === side)
      .sort((a, b) => (a.price !== b.price ? (side === BUY ? b.price - a.price : a.price - b.price) : a.prio - b.prio));
    const out: Array<[number, Array<[number, number, number]>]> = [];
    for (const o of resting) {
      const last = out[out.length - 1];
      if (last && last[0] === o.price) last[1].push([o.id, o.leaves, o.visible]);
      else out.push([o.price, [[o.id, o.leaves, o.visible]]]);
    }
    return out;
  }

  pendingStopIds(): number[] {
    return this.orders.filter((o) => o.where === 'stop').map((o) => o.id).sort((a, b) => a - b);
  }
}
