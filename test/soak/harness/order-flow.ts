// A member's steady order flow on one soak client, and the member's own view of its orders built from the
// ExecutionReports it processed (exactly once, in sequence order). The mix: orders that rest on either side of
// a fixed mid price, orders that cross (partial and full fills), cancels and replaces of live orders. Every
// number is exact (prices in cents, quantities in thousandths), so the checks compare strings.

import { SOH, type FixMsg } from '../../support/fix-test-client.js';
import type { SoakFixClient } from './soak-client.js';
import { Rng } from './rng.js';

export const MIDS: Record<string, number> = { BTCUSDT: 10_000, ETHUSDT: 5_000 }; // cents

/** The member's view of one order (keyed by the venue's OrderID). */
export interface MemberOrder {
  orderId: string;
  symbol: string;
  side: string;
  clOrdId: string;
  /** OrdStatus(39) of the last report. */
  status: string;
  cumQty: string;
  leavesQty: string;
  /** ExecIDs of its reports (status answers excluded). */
  execIds: string[];
}

export interface FlowStats {
  sent: number;
  newOrders: number;
  cancels: number;
  replaces: number;
  rejects: number;
  fills: number;
}

const fmtPrice = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const fmtQty = (milli: number): string => `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`;

export class OrderFlow {
  /** The member's orders by OrderID (acknowledged: at least one report other than a reject). */
  readonly orders = new Map<string, MemberOrder>();
  /** ExecIDs processed more than once (must stay empty). */
  readonly duplicateExecIds: string[] = [];
  readonly stats: FlowStats = { sent: 0, newOrders: 0, cancels: 0, replaces: 0, rejects: 0, fills: 0 };
  /** Reject texts by count (what the venue refused, and why). */
  readonly rejectTexts = new Map<string, number>();
  /** ExecIDs of rejected new orders (no order behind them). */
  readonly rejectExecIds = new Set<string>();
  private readonly execIds = new Set<string>();
  private readonly byClOrdId = new Map<string, string>();
  /** Orders with a cancel or replace in flight (one at a time per order). */
  private readonly amending = new Set<string>();
  private readonly live: string[] = [];
  private readonly rng: Rng;
  private counter = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly client: SoakFixClient,
    private readonly opts: { symbols: readonly string[]; seed: number; tag: string },
  ) {
    this.rng = new Rng(opts.seed);
    client.onApp.push((m) => this.onReport(m));
  }

  /** Sends `perSecond` messages a second while the client is logged on and caught up (paced every 10 ms). */
  start(perSecond: number): void {
    this.stop();
    let credit = 0;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      credit = Math.min(credit + ((now - last) * perSecond) / 1000, perSecond);
      last = now;
      while (credit >= 1) {
        credit--;
        if (!this.client.caughtUp) {
          credit = 0;
          break;
        }
        this.sendOne();
      }
    }, 10);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** After a reconnect: amends in flight may never be answered (the venue may not have received them). */
  forgetInFlight(): void {
    this.amending.clear();
  }

  /** Sends one message of the mix. */
  sendOne(): void {
    const r = this.rng.next();
    if (r < 0.15 && this.live.length > 0) this.cancelOne();
    else if (r < 0.3 && this.live.length > 0) this.replaceOne();
    else this.newOrder(r < 0.55);
  }

  newOrder(crossing: boolean): string {
    const symbol = this.rng.pick(this.opts.symbols);
    const mid = MIDS[symbol]!;
    const buy = this.rng.next() < 0.5;
    const away = crossing ? -(1 + this.rng.int(300)) : 1 + this.rng.int(300);
    const price = buy ? mid - away : mid + away;
    const qty = 1 + this.rng.int(999);
    const clOrdId = `${this.opts.tag}-${++this.counter}`;
    this.client.send(
      'D',
      `11=${clOrdId}${SOH}55=${symbol}${SOH}54=${buy ? 1 : 2}${SOH}38=${fmtQty(qty)}${SOH}40=2${SOH}44=${fmtPrice(price)}${SOH}59=1${SOH}60=${stampNow()}${SOH}`,
    );
    this.stats.sent++;
    this.stats.newOrders++;
    return clOrdId;
  }

  private pickLive(): MemberOrder | null {
    for (let tries = 0; tries < 4 && this.live.length > 0; tries++) {
      const i = this.rng.int(this.live.length);
      const o = this.orders.get(this.live[i]!);
      if (o === undefined || isDone(o.status)) {
        this.live[i] = this.live[this.live.length - 1]!;
        this.live.pop();
        continue;
      }
      if (!this.amending.has(o.orderId)) return o;
    }
    return null;
  }

  private cancelOne(): void {
    const o = this.pickLive();
    if (o === null) return this.newOrder(false) as unknown as void;
    this.amending.add(o.orderId);
    const clOrdId = `${this.opts.tag}-${++this.counter}`;
    this.byClOrdId.set(clOrdId, o.orderId);
    this.client.send('F', `11=${clOrdId}${SOH}41=${o.clOrdId}${SOH}55=${o.symbol}${SOH}54=${o.side}${SOH}60=${stampNow()}${SOH}`);
    this.stats.sent++;
    this.stats.cancels++;
  }

  private replaceOne(): void {
    const o = this.pickLive();
    if (o === null) return this.newOrder(false) as unknown as void;
    this.amending.add(o.orderId);
    const clOrdId = `${this.opts.tag}-${++this.counter}`;
    this.byClOrdId.set(clOrdId, o.orderId);
    const mid = MIDS[o.symbol]!;
    const away = 1 + this.rng.int(300);
    const price = o.side === '1' ? mid - away : mid + away;
    const qty = 1 + this.rng.int(999);
    this.client.send(
      'G',
      `11=${clOrdId}${SOH}41=${o.clOrdId}${SOH}55=${o.symbol}${SOH}54=${o.side}${SOH}38=${fmtQty(qty)}${SOH}40=2${SOH}44=${fmtPrice(price)}${SOH}59=1${SOH}60=${stampNow()}${SOH}`,
    );
    this.stats.sent++;
    this.stats.replaces++;
  }

  private onReport(m: FixMsg): void {
    if (m.type === '9') {
      const orderId = m.get(37) ?? this.byClOrdId.get(m.get(11) ?? '') ?? '';
      this.amending.delete(orderId);
      return;
    }
    if (m.type !== '8') return;
    const execType = m.get(150) ?? '';
    if (execType === 'I') return; // a status answer, not an execution
    const execId = m.get(17) ?? '';
    if (this.execIds.has(execId)) this.duplicateExecIds.push(execId);
    this.execIds.add(execId);
    const orderId = m.get(37) ?? '';
    if (execType === '8') {
      this.stats.rejects++;
      const text = (m.get(58) ?? '').replace(/\d+/g, 'N');
      this.rejectTexts.set(text, (this.rejectTexts.get(text) ?? 0) + 1);
      if (orderId === '' || orderId === 'NONE') {
        this.rejectExecIds.add(execId);
        return;
      }
    }
    let o = this.orders.get(orderId);
    if (o === undefined) {
      o = { orderId, symbol: m.get(55) ?? '', side: m.get(54) ?? '', clOrdId: m.get(11) ?? '', status: '', cumQty: '', leavesQty: '', execIds: [] };
      this.orders.set(orderId, o);
      this.live.push(orderId);
    }
    o.execIds.push(execId);
    o.status = m.get(39) ?? '';
    o.cumQty = m.get(14) ?? '';
    o.leavesQty = m.get(151) ?? '';
    if (execType === '5' || execType === '0') o.clOrdId = m.get(11) ?? o.clOrdId;
    if (execType === 'F') this.stats.fills++;
    if (execType !== '6' && execType !== 'E') this.amending.delete(orderId);
  }
}

function isDone(status: string): boolean {
  return status === '2' || status === '4' || status === '8' || status === 'C';
}

function stampNow(): string {
  return new Date().toISOString().replace(/-/g, '').replace('T', '-').replace('Z', '');
}
