// The strongest check of incrementals: FIX clients keep their own books from W and X alone, strictly (a new level
// must not exist yet, a changed or deleted one must), while a seeded random order flow runs many commands per turn.
// After every turn each client's book must equal the venue's book at its depth, level for level.

import { expect } from 'chai';
import { formatDecimal } from '../../src/venue/model/decimal.js';
import { Side } from '../../src/venue/model/enums.js';
import { mulberry32 } from '../venue/support/random-stream.js';
import { field, group, TestClient, type Msg } from './support/fix-client.js';
import { mdRequest } from './support/requests.js';
import { BTCUSDT, ETHUSDT, VenueHarness } from './support/venue-harness.js';

/** Levels "price size orders" per symbol and side ('0' bid, '1' offer), keyed by price text. */
type Book = Map<string, Map<string, string>>;

function sideOf(book: Book, symbol: string, type: string): Map<string, string> {
  const key = `${symbol}/${type}`;
  let side = book.get(key);
  if (side === undefined) book.set(key, (side = new Map()));
  return side;
}

function applyMessage(book: Book, m: Msg, reqId: string): void {
  if (field(m, 262) !== reqId) return;
  if (m.msgType === 'W') {
    const symbol = field(m, 55)!;
    sideOf(book, symbol, '0').clear();
    sideOf(book, symbol, '1').clear();
    for (const e of group(m, 268)) {
      if (field(e, 269) === '2') continue;
      sideOf(book, symbol, field(e, 269)!).set(field(e, 270)!, `${field(e, 271)} ${field(e, 346)}`);
    }
    return;
  }
  if (m.msgType !== 'X') return;
  for (const e of group(m, 268)) {
    const type = field(e, 269)!;
    if (type === '2') continue;
    const side = sideOf(book, field(e, 55)!, type);
    const price = field(e, 270)!;
    const action = field(e, 279);
    if (action === '0') expect(side.has(price), `new level ${price} already held`).to.equal(false);
    else expect(side.has(price), `level ${price} to ${action === '1' ? 'change' : 'delete'} is not held`).to.equal(true);
    if (action === '2') side.delete(price);
    else side.set(price, `${field(e, 271)} ${field(e, 346)}`);
  }
}

describe('market data book replicas', function () {
  let h: VenueHarness;
  const clients: TestClient[] = [];

  afterEach(async function () {
    for (const c of clients.splice(0)) await c.stop();
    const rejects = h.clientRejects.slice();
    await h.stop();
    expect(rejects).to.deep.equal([]);
  });

  for (const seed of [20250304, 7, 99991]) {
    it(`clients at full depth, top of book and top 3 rebuild the venue book exactly after every turn (seed ${seed})`, async function () {
      h = await VenueHarness.start({ md: { maxEntriesPerMessage: 7 } });
      await replicate(seed);
    });
  }

  interface Replica {
    id: string;
    depth: number;
    symbols: string[];
    client: TestClient;
    book: Book;
  }

  async function subscribe(id: string, depth: number, symbols: string[]): Promise<Replica> {
    const client = await TestClient.connect(h.port, id);
    clients.push(client);
    const book: Book = new Map();
    client.send('V', mdRequest({ reqId: 'book', depth, symbols, types: ['0', '1', '2'] }));
    // The snapshots, and for a book larger than one message the incrementals that complete it, come before this.
    const marker = `${id}-start`;
    client.send('V', mdRequest({ reqId: marker, kind: '0', depth: 1 }));
    const { skipped } = await client.nextOf('W', (m) => field(m, 262) === marker);
    for (const m of skipped) applyMessage(book, m, 'book');
    return { id, depth, symbols, client, book };
  }

  async function replicate(seed: number): Promise<void> {
    const replicas = [await subscribe('MD1', 0, ['BTCUSDT', 'ETHUSDT']), await subscribe('MD2', 1, ['BTCUSDT']), await subscribe('MD3', 3, ['BTCUSDT', 'ETHUSDT'])];
    const rnd = mulberry32(seed); // deterministic: a failure replays
    const specs = { BTCUSDT, ETHUSDT };
    for (let turn = 0; turn < 60; turn++) {
      // A subscriber joining a deep book mid-flow: its snapshot overflows into incrementals.
      if (turn === 30) replicas.push(await subscribe('AUDIT1', 0, ['BTCUSDT']));
      const commands = 1 + Math.floor(rnd() * 30);
      for (let k = 0; k < commands; k++) {
        const symbol = rnd() < 0.75 ? 'BTCUSDT' : 'ETHUSDT';
        const live = h.venue.liveOrders({ symbol });
        if (live.length > 0 && rnd() < 0.3) {
          h.cancel(live[Math.floor(rnd() * live.length)]!.orderId);
          continue;
        }
        const side = rnd() < 0.5 ? Side.Buy : Side.Sell;
        // Prices 95.00..105.00 around a 100.00 mid, buys mostly below and sells mostly above, so some cross.
        const offset = Math.floor(rnd() * 8) - 1;
        const price = (side === Side.Buy ? 100 - offset : 100 + offset) * 100 + (side === Side.Buy ? -1 : 1) * Math.floor(rnd() * 3) * 50;
        h.place({ side, price, qty: (1 + Math.floor(rnd() * 5)) * 1000, symbol, account: rnd() < 0.5 ? 'A1' : 'A2' });
      }
      for (const r of replicas) {
        const marker = `turn-${turn}`;
        r.client.send('V', mdRequest({ reqId: marker, kind: '0', depth: 1 }));
        const { skipped } = await r.client.nextOf('W', (m) => field(m, 262) === marker);
        for (const m of skipped) applyMessage(r.book, m, 'book');
        for (const symbol of r.symbols) {
          const spec = specs[symbol as keyof typeof specs];
          const venueBook = h.venue.book(symbol, r.depth)!;
          const expected = (levels: { price: number; qty: number; orderCount: number }[]) =>
            levels.map((l) => `${formatDecimal(l.price, 2)} ${formatDecimal(l.qty, spec.qtyDecimals)} ${l.orderCount}`).sort();
          const held = (type: string) => [...sideOf(r.book, symbol, type)].map(([p, v]) => `${p} ${v}`).sort();
          expect(held('0'), `${r.id} ${symbol} bids after turn ${turn}`).to.deep.equal(expected(venueBook.bids));
          expect(held('1'), `${r.id} ${symbol} offers after turn ${turn}`).to.deep.equal(expected(venueBook.asks));
        }
      }
    }
    // The flow did build deep books and trade, or the test proved little.
    expect(h.venue.book('BTCUSDT', 0)!.bids.length + h.venue.book('BTCUSDT', 0)!.asks.length).to.be.greaterThan(7);
    expect(h.venue.instrument('BTCUSDT')!.lastPrice).to.be.greaterThan(0);
  }
});
