// A deterministic stream of order-entry commands (seeded), for journal and crash tests: GTC limit
// orders around a mid price, some IOCs, cancels and replaces of earlier orders.

import type { VenueCommand } from '../../../src/venue/model/commands.js';
import { OrdType, Side, TimeInForce } from '../../../src/venue/model/enums.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class OrderStream {
  private readonly rnd: () => number;
  private n = 0;
  private readonly sent: Array<{ clOrdId: string; side: Side; price: number; qty: number; session: string }> = [];

  constructor(seed: number, private readonly symbol = 'ABC') {
    this.rnd = mulberry32(seed);
  }

  next(time: number): VenueCommand {
    const r = this.rnd();
    const i = this.n++;
    const session = `S${i % 3}`;
    if (r < 0.1 && this.sent.length > 0) {
      const o = this.sent[Math.floor(this.rnd() * this.sent.length)]!;
      return { type: 'cancel', time, session: o.session, firm: 'F', account: o.session, clOrdId: `x${i}`, origClOrdId: o.clOrdId, orderId: 0, symbol: this.symbol, side: o.side };
    }
    if (r < 0.2 && this.sent.length > 0) {
      const k = Math.floor(this.rnd() * this.sent.length);
      const o = this.sent[k]!;
      const clOrdId = `r${i}`;
      const price = o.price + (this.rnd() < 0.5 ? -1 : 1);
      this.sent[k] = { ...o, clOrdId, price };
      return {
        type: 'replace', time, session: o.session, firm: 'F', account: o.session, clOrdId, origClOrdId: o.clOrdId, orderId: 0,
        symbol: this.symbol, side: o.side, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC, price, stopPx: 0, qty: o.qty,
        maxFloor: 0, expireTime: 0,
      };
    }
    const side = this.rnd() < 0.5 ? Side.Buy : Side.Sell;
    const price = 1000 + Math.floor(this.rnd() * 21) - 10 + (side === Side.Buy ? -3 : 3);
    const qty = 1 + Math.floor(this.rnd() * 10);
    const ioc = r > 0.95;
    const clOrdId = `c${i}`;
    if (!ioc) {
      this.sent.push({ clOrdId, side, price, qty, session });
      if (this.sent.length > 500) this.sent.shift();
    }
    return {
      type: 'new', time, session, firm: 'F', account: session, clOrdId, symbol: this.symbol, side, ordType: OrdType.Limit,
      timeInForce: ioc ? TimeInForce.IOC : TimeInForce.GTC, price, stopPx: 0, qty, minQty: 0, maxFloor: 0, postOnly: false,
      expireTime: 0, exDestination: '',
    };
  }
}
