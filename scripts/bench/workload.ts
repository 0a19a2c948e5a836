// An order-flow generator modelled on exchange-core's benchmark mix: GTC limit orders, IOC orders that
// cross the spread, cancels and cancel/replaces that move an order's price by a few ticks, from many
// accounts, keeping the book near a target number of resting orders.
//
// Commands are generated against a shadow venue (our own core, untimed), so every cancel and replace
// names an order that is live at that point; the venue under test, applying the same commands in the
// same order, goes through exactly the same states (the core is deterministic). Each command also
// carries the id a plain order book (the JavaScript baseline) would use for it.

import { Venue } from '../../src/venue/core/venue.js';
import type { NewOrderCommand, VenueCommand } from '../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../src/venue/model/enums.js';
import type { InstrumentSpec } from '../../src/venue/model/instrument.js';

export const CommandKind = { Gtc: 0, Ioc: 1, Cancel: 2, Replace: 3 } as const;
export type CommandKind = (typeof CommandKind)[keyof typeof CommandKind];
export const KIND_NAMES = ['GTC limit', 'IOC', 'cancel', 'replace (move)'] as const;

export interface WorkloadProfile {
  name: string;
  /** Resting orders the generator keeps the book near. */
  targetOrders: number;
  accounts: number;
  /** Shares of each command type in the steady state (they need not sum to 1). */
  mix: { gtc: number; ioc: number; cancel: number; replace: number };
  /** Half-width, in ticks, of the price range passive orders are placed in. */
  priceSpan: number;
}

/** exchange-core's published mix: ~9% GTC, 3% IOC, 6% cancel, 82% move; 1,000 resting orders, 1,000 accounts. */
export const EXCHANGE_CORE_MIX: WorkloadProfile = {
  name: 'exchange-core mix, ~1k resting orders',
  targetOrders: 1_000,
  accounts: 1_000,
  mix: { gtc: 0.09, ioc: 0.03, cancel: 0.06, replace: 0.82 },
  priceSpan: 100,
};

export const DEEP_BOOK_MIX: WorkloadProfile = {
  ...EXCHANGE_CORE_MIX,
  name: 'same mix, deep book ~100k resting orders',
  targetOrders: 100_000,
  priceSpan: 2_500,
};

export const BENCH_SYMBOL = 'BENCH';
const MID = 1_000_000; // 10000.00 at 2 decimals

export const BENCH_SPEC: InstrumentSpec = {
  symbol: BENCH_SYMBOL,
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  priceDecimals: 2,
  qtyDecimals: 0,
  tickSize: 1,
  lotSize: 1,
  minQty: 1,
  maxQty: 1_000_000,
  minNotional: 0,
  priceBandPercent: 20,
  referencePrice: MID,
  status: 'open',
};

/** A chunk of commands plus, per command, its kind and the order id a plain order book would use. */
export interface Chunk {
  commands: VenueCommand[];
  kinds: Uint8Array;
  baselineIds: string[];
}

interface LiveEntry {
  orderId: number;
  clOrdId: string;
  session: string;
  firm: string;
  account: string;
  side: Side;
  price: number;
}

export class WorkloadGenerator {
  readonly shadow: Venue;
  private readonly profile: WorkloadProfile;
  private state: number;
  private n = 0;
  private time = 1_700_000_000_000;
  private readonly live: LiveEntry[] = [];
  private readonly index = new Map<number, number>(); // orderId -> position in `live`
  private readonly accounts: string[];
  private readonly sessions: string[];
  private readonly firms: string[];
  private lastAccepted = 0;

  constructor(profile: WorkloadProfile, seed = 1) {
    this.profile = profile;
    this.state = seed >>> 0 || 1;
    this.accounts = Array.from({ length: profile.accounts }, (_, i) => `A${i}`);
    this.sessions = Array.from({ length: profile.accounts }, (_, i) => `S${i % 50}`);
    this.firms = Array.from({ length: profile.accounts }, (_, i) => `F${i % 20}`);
    this.shadow = new Venue({ instruments: [BENCH_SPEC], stp: { defaultMode: StpMode.None, scope: 'account' } });
    this.shadow.subscribe((e) => {
      switch (e.type) {
        case 'accepted':
          this.lastAccepted = e.order.orderId;
          break;
        case 'trade':
          if (e.maker.leavesQty === 0) this.remove(e.maker.orderId);
          if (e.taker.leavesQty === 0) this.remove(e.taker.orderId);
          break;
        case 'cancelled':
        case 'expired':
          this.remove(e.order.orderId);
          break;
        default:
          break;
      }
    });
  }

  get liveCount(): number {
    return this.live.length;
  }

  /** GTC orders that bring the book to its target size, none of them crossing. */
  prefill(): Chunk {
    const commands: VenueCommand[] = [];
    const baselineIds: string[] = [];
    while (this.live.length + commands.length < this.profile.targetOrders) {
      const side = this.random() < 0.5 ? Side.Buy : Side.Sell;
      const cmd = this.newOrder(side, this.passivePrice(side), 1 + this.randInt(10), TimeInForce.GTC);
      baselineIds.push(this.applyNew(cmd));
      commands.push(cmd);
    }
    return { commands, kinds: new Uint8Array(commands.length), baselineIds };
  }

  /** The next `count` commands of the steady-state mix. */
  next(count: number): Chunk {
    const commands: VenueCommand[] = new Array(count);
    const kinds = new Uint8Array(count);
    const baselineIds: string[] = new Array(count);
    const mix = this.profile.mix;
    const total = mix.gtc + mix.ioc + mix.cancel + mix.replace;
    for (let i = 0; i < count; i++) {
      let kind: CommandKind;
      const r = this.random() * total;
      if (r < mix.gtc) kind = CommandKind.Gtc;
      else if (r < mix.gtc + mix.ioc) kind = CommandKind.Ioc;
      else if (r < mix.gtc + mix.ioc + mix.cancel) kind = CommandKind.Cancel;
      else kind = CommandKind.Replace;
      // Keep the book near its target: trade a GTC for a cancel when too full, and the reverse.
      const target = this.profile.targetOrders;
      if (kind === CommandKind.Gtc && this.live.length > target * 1.02) kind = CommandKind.Cancel;
      else if (kind === CommandKind.Cancel && this.live.length < target * 0.98) kind = CommandKind.Gtc;
      if ((kind === CommandKind.Cancel || kind === CommandKind.Replace) && this.live.length === 0) kind = CommandKind.Gtc;

      let cmd: VenueCommand;
      let baselineId: string;
      if (kind === CommandKind.Gtc) {
        const side = this.random() < 0.5 ? Side.Buy : Side.Sell;
        // Mostly passive; one in ten priced a few ticks through the opposite best.
        const price = this.random() < 0.1 ? this.aggressivePrice(side) : this.passivePrice(side);
        cmd = this.newOrder(side, price, 1 + this.randInt(10), TimeInForce.GTC);
        baselineId = this.applyNew(cmd);
      } else if (kind === CommandKind.Ioc) {
        const side = this.random() < 0.5 ? Side.Buy : Side.Sell;
        cmd = this.newOrder(side, this.aggressivePrice(side), 1 + this.randInt(30), TimeInForce.IOC);
        baselineId = this.applyNew(cmd);
      } else {
        const o = this.live[this.randInt(this.live.length)]!;
        baselineId = `${o.orderId}`;
        const clOrdId = this.nextClOrdId();
        if (kind === CommandKind.Cancel) {
          cmd = {
            type: 'cancel', time: ++this.time, session: o.session, firm: o.firm, account: o.account, clOrdId,
            origClOrdId: o.clOrdId, orderId: 0, symbol: BENCH_SYMBOL, side: o.side,
          };
        } else {
          const current = this.shadow.order(o.orderId)!;
          let move = this.randInt(5) - 2;
          if (move === 0) move = o.side === Side.Buy ? 1 : -1;
          const price = this.clamp(o.price + move);
          cmd = {
            type: 'replace', time: ++this.time, session: o.session, firm: o.firm, account: o.account, clOrdId,
            origClOrdId: o.clOrdId, orderId: 0, symbol: BENCH_SYMBOL, side: o.side, ordType: OrdType.Limit,
            timeInForce: TimeInForce.GTC, price, stopPx: 0, qty: current.qty, maxFloor: 0, expireTime: 0,
          };
          o.clOrdId = clOrdId;
          o.price = price;
        }
        this.shadow.apply(cmd);
      }
      commands[i] = cmd;
      kinds[i] = kind;
      baselineIds[i] = baselineId;
    }
    return { commands, kinds, baselineIds };
  }

  /** Applies a new order to the shadow; tracks it when it rests. Returns its baseline id. */
  private applyNew(cmd: NewOrderCommand): string {
    this.shadow.apply(cmd);
    const orderId = this.lastAccepted;
    if (this.shadow.order(orderId) !== undefined) {
      this.add({ orderId, clOrdId: cmd.clOrdId, session: cmd.session, firm: cmd.firm, account: cmd.account, side: cmd.side, price: cmd.price });
    }
    return `${orderId}`;
  }

  private newOrder(side: Side, price: number, qty: number, tif: TimeInForce): NewOrderCommand {
    const k = this.randInt(this.profile.accounts);
    return {
      type: 'new', time: ++this.time, session: this.sessions[k]!, firm: this.firms[k]!, account: this.accounts[k]!,
      clOrdId: this.nextClOrdId(), symbol: BENCH_SYMBOL, side, ordType: OrdType.Limit, timeInForce: tif, price, stopPx: 0, qty,
      minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0, exDestination: '',
    };
  }

  private passivePrice(side: Side): number {
    const offset = 1 + this.randInt(this.profile.priceSpan);
    return this.clamp(side === Side.Buy ? MID - offset : MID + offset);
  }

  /** A few ticks through the opposite best (or the mid when that side is empty). */
  private aggressivePrice(side: Side): number {
    const book = this.shadow.book(BENCH_SYMBOL, 1)!;
    const best = side === Side.Buy ? book.asks[0]?.price ?? MID : book.bids[0]?.price ?? MID;
    const through = this.randInt(4);
    return this.clamp(side === Side.Buy ? best + through : best - through);
  }

  private clamp(price: number): number {
    const span = this.profile.priceSpan + 5;
    return Math.min(MID + span, Math.max(MID - span, price));
  }

  private add(e: LiveEntry): void {
    this.index.set(e.orderId, this.live.length);
    this.live.push(e);
  }

  private remove(orderId: number): void {
    const i = this.index.get(orderId);
    if (i === undefined) return;
    const last = this.live.pop()!;
    if (i < this.live.length) {
      this.live[i] = last;
      this.index.set(last.orderId, i);
    }
    this.index.delete(orderId);
  }

  private nextClOrdId(): string {
    return (++this.n).toString(36);
  }

  /** xorshift32: fast and deterministic. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  private randInt(n: number): number {
    return Math.floor(this.random() * n);
  }
}
