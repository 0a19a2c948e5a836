// npm run bench:marketdata — what market data adds to the venue's event-loop turns, and that it does not grow with
// the size of the book.
//
// Each turn applies 20 commands near the top of the book (10 new orders, 10 cancels of earlier ones: about 20 book
// deltas) and then lets the turn end, which runs market data's flush. Scenarios differ in the resting book behind
// the top (100 or 20,000 levels per side) and in the subscribers: none (the baseline: the core alone, same loop),
// one full-book subscriber, and 50 subscribers (25 full book, 25 top 10). Messages are encoded for real by the FIX
// encoder into a sink (no socket), so encoding is part of the cost. Reported: median microseconds per turn over
// BENCH_TURNS turns (default 20,000), and the ratio to the baseline with the same book.

import { fileURLToPath } from 'node:url';
import { FixEncoder } from '../src/fix/codec/encoder.js';
import { FixParser } from '../src/fix/codec/parser.js';
import { loadDictionaryShared, type BodyWriter, type InboundContext, type SessionHandle } from '../src/fix/index.js';
import { MarketDataService } from '../src/marketdata/index.js';
import { Venue } from '../src/venue/core/venue.js';
import { OrdType, Side, StpMode, TimeInForce } from '../src/venue/model/enums.js';
import type { InstrumentSpec } from '../src/venue/model/instrument.js';

const TURNS = Number(process.env.BENCH_TURNS ?? 20_000);
const dictionary = loadDictionaryShared(fileURLToPath(new URL('../fix-dictionaries/FIX44.xml', import.meta.url)));
const SPEC: InstrumentSpec = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', priceDecimals: 2, qtyDecimals: 5, tickSize: 1, lotSize: 1,
  minQty: 1, maxQty: 10 ** 12, minNotional: 0, priceBandPercent: 0, referencePrice: 0, status: 'open',
};
const MID = 1_000_000; // 10000.00

/** A session that encodes what it is sent and throws the bytes away. */
class SinkSession implements SessionHandle {
  readonly id: { beginString: string; senderCompId: string; targetCompId: string };
  readonly key: string;
  readonly isLoggedOn = true;
  readonly remoteAddress = null;
  readonly nextSenderSeq = 1;
  readonly nextTargetSeq = 1;
  bytes = 0;
  messages = 0;
  private readonly encoder = new FixEncoder({ dictionary });
  constructor(private readonly name: string) {
    this.id = { beginString: 'FIX.4.4', senderCompId: 'VENUE', targetCompId: name };
    this.key = `FIX.4.4:VENUE->${name}`;
  }
  send(msgType: string, body: BodyWriter): number {
    const e = this.encoder.begin('FIX.4.4', msgType);
    e.int(34, ++this.messages).str(49, 'VENUE').timestamp(52, 0).str(56, this.name);
    body(e);
    this.bytes += e.finish().length;
    return this.messages;
  }
  logout(): void {}
  disconnect(): void {}
}

const noReplies: InboundContext = { reject() {}, businessReject() {} };

function subscribe(md: MarketDataService, session: SessionHandle, depth: number): void {
  const e = new FixEncoder({ dictionary });
  e.begin('FIX.4.4', 'V').int(34, 1).str(49, session.id.targetCompId).timestamp(52, 0).str(56, 'VENUE');
  e.str(262, 'bench').char(263, '1').int(264, depth).int(265, 1);
  e.group(267, 3).instance().char(269, '0').instance().char(269, '1').instance().char(269, '2').endGroup();
  e.group(146, 1).instance().str(55, SPEC.symbol).endGroup();
  const parser = new FixParser({ dictionary });
  parser.parse(Buffer.from(e.finish()));
  md.handle(session, parser.view, noReplies);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Result {
  medianUs: number;
  p99Us: number;
  bytesPerTurn: number;
}

async function run(levels: number, fullBook: number, top10: number): Promise<Result> {
  const venue = new Venue({ instruments: [SPEC], stp: { defaultMode: StpMode.None, scope: 'account' } });
  let time = 1;
  let ids = 0;
  const place = (side: Side, price: number, session = 'S'): void => {
    venue.apply({
      type: 'new', time: ++time, session, firm: 'F', account: 'A', clOrdId: `c${++ids}`, symbol: SPEC.symbol, side,
      ordType: OrdType.Limit, timeInForce: TimeInForce.GTC, price, stopPx: 0, qty: 100, minQty: 0, maxFloor: 0,
      postOnly: false, expireTime: 0, exDestination: '',
    });
  };
  // The deep book behind the top: one order per level, well away from where the turns trade.
  for (let i = 0; i < levels; i++) {
    place(Side.Buy, MID - 1000 - i, 'DEEP');
    place(Side.Sell, MID + 1000 + i, 'DEEP');
  }
  const sessions: SinkSession[] = [];
  if (fullBook + top10 > 0) {
    const md = new MarketDataService({ queries: venue, instruments: [SPEC] });
    venue.subscribe(md.onEvent);
    for (let i = 0; i < fullBook + top10; i++) {
      const s = new SinkSession(`M${i}`);
      sessions.push(s);
      subscribe(md, s, i < fullBook ? 0 : 10);
    }
    await nextTurn(); // snapshots
  }
  const bytesBefore = sessions.reduce((n, s) => n + s.bytes, 0);
  const live: string[] = [];
  const samples = new Float64Array(TURNS);
  for (let t = 0; t < TURNS; t++) {
    const start = performance.now();
    for (let k = 0; k < 10; k++) {
      const side = k % 2 === 0 ? Side.Buy : Side.Sell;
      const price = side === Side.Buy ? MID - 1 - ((t + k) % 7) : MID + 1 + ((t + k) % 7);
      place(side, price);
      live.push(`c${ids}`);
      if (live.length > 40) {
        const clOrdId = live.shift()!;
        const o = venue.orderByClOrdId('S', clOrdId);
        if (o) {
          venue.apply({ type: 'cancel', time: ++time, session: 'S', firm: 'F', account: 'A', clOrdId: `x${++ids}`, origClOrdId: clOrdId, orderId: 0, symbol: SPEC.symbol, side: o.side });
        }
      }
    }
    await nextTurn(); // market data's flush runs first: it was scheduled during the commands
    samples[t] = performance.now() - start;
  }
  samples.sort();
  const bytes = sessions.reduce((n, s) => n + s.bytes, 0) - bytesBefore;
  return { medianUs: samples[TURNS >> 1]! * 1000, p99Us: samples[Math.floor(TURNS * 0.99)]! * 1000, bytesPerTurn: bytes / TURNS };
}

async function main(): Promise<void> {
  console.log(`market data flush cost: ${TURNS} turns of 20 commands (about 20 book deltas) each\n`);
  console.log('book levels/side  subscribers              median µs/turn  p99 µs/turn  × baseline  bytes out/turn');
  for (const levels of [100, 20_000]) {
    const base = await run(levels, 0, 0);
    const rows: [string, Result][] = [
      ['none (core only)', base],
      ['1 full book', await run(levels, 1, 0)],
      ['25 full + 25 top-10', await run(levels, 25, 25)],
    ];
    for (const [name, r] of rows) {
      console.log(
        `${String(levels).padStart(16)}  ${name.padEnd(23)}  ${r.medianUs.toFixed(1).padStart(14)}  ${r.p99Us.toFixed(1).padStart(11)}  ${(r.medianUs / base.medianUs).toFixed(2).padStart(10)}  ${r.bytesPerTurn.toFixed(0).padStart(14)}`,
      );
    }
  }
}

await main();
