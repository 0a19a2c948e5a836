// The indicative auction price over FIX market data: MDEntryType A (imbalance) entries while a book is in a
// call, in incrementals and snapshots, deleted when the call ends; the clients validate every message against
// FIX44.xml (a Reject from them fails the test).

import { expect } from 'chai';
import { Side } from '../../src/venue/model/enums.js';
import { field, group, TestClient } from './support/fix-client.js';
import { mdRequest, rows } from './support/requests.js';
import { VenueHarness } from './support/venue-harness.js';

const PX = (p: number): number => p * 100;
const QTY = (q: number): number => Math.round(q * 100_000);

describe('market data: indicative auction price (MDEntryType A)', function () {
  let h: VenueHarness;
  let clients: TestClient[];

  beforeEach(async function () {
    clients = [];
    h = await VenueHarness.start();
  });

  afterEach(async function () {
    for (const c of clients) await c.stop();
    const rejects = h.clientRejects.slice();
    await h.stop();
    expect(rejects, 'clients refused what the venue sent').to.deep.equal([]);
  });

  async function connect(id = 'MD1'): Promise<TestClient> {
    const c = await TestClient.connect(h.port, id);
    clients.push(c);
    return c;
  }

  function phase(p: 'closed' | 'preOpen' | 'continuous' | 'preClose'): void {
    h.apply({ type: 'phase', time: ++h.time, phase: p, symbol: '', tradeDate: '2025-03-04' });
  }

  it('publishes the indicative price and volume with the surplus during the call, and deletes it at the uncross', async function () {
    const c = await connect();
    c.send('V', mdRequest({ reqId: 'auction', types: ['0', '1', '2', 'A'] }));
    await c.nextOf('W');
    phase('closed');
    phase('preOpen');
    h.place({ side: Side.Buy, price: PX(101), qty: QTY(1) });
    let x = (await c.nextOf('X')).msg;
    // One order alone: nothing would trade, so no indicative yet.
    expect(rows(x)).to.deep.equal(['0 0 BTCUSDT 101.00 1.00000 1']);
    h.place({ side: Side.Sell, price: PX(100), qty: QTY(0.4), firm: 'F2', account: 'B1', session: 'BROKER2' });
    x = (await c.nextOf('X')).msg;
    expect(rows(x)).to.deep.equal(['0 1 BTCUSDT 100.00 0.40000 1', '0 A BTCUSDT 101.00 0.40000']);
    const entry = group(x, 268)[1]!;
    expect(field(entry, 58)).to.equal('buy surplus 0.60000');

    // A late subscriber's snapshot carries the indicative too (and the crossed book of the call).
    const late = await connect('MD2');
    late.send('V', mdRequest({ reqId: 'late', kind: '0', types: ['0', '1', 'A'] }));
    const w = (await late.nextOf('W')).msg;
    expect(rows(w)).to.deep.equal(['0 101.00 1.00000 1', '1 100.00 0.40000 1', 'A 101.00 0.40000']);

    h.place({ side: Side.Sell, price: PX(101), qty: QTY(0.6), firm: 'F2', account: 'B1', session: 'BROKER2' });
    x = (await c.nextOf('X')).msg;
    expect(rows(x)).to.deep.equal(['0 1 BTCUSDT 101.00 0.60000 1', '1 A BTCUSDT 101.00 1.00000']);
    expect(field(group(x, 268)[1]!, 58)).to.equal('no surplus');

    phase('continuous');
    x = (await c.nextOf('X')).msg;
    const r = rows(x);
    expect(r.filter((e) => e.split(' ')[1] === '2').map((e) => e.split(' ').slice(3, 5).join(' '))).to.deep.equal(['101.00 0.40000', '101.00 0.60000']);
    expect(r[r.length - 1]).to.equal('2 A BTCUSDT 101.00');
  });

  it('sends no imbalance entries to a subscription that did not ask for them', async function () {
    const c = await connect();
    c.send('V', mdRequest({ reqId: 'book', types: ['0', '1'] }));
    await c.nextOf('W');
    phase('preOpen');
    h.place({ side: Side.Buy, price: PX(101), qty: QTY(1) });
    h.place({ side: Side.Sell, price: PX(100), qty: QTY(1), firm: 'F2', account: 'B1', session: 'BROKER2' });
    const x = (await c.nextOf('X')).msg;
    expect(rows(x)).to.deep.equal(['0 0 BTCUSDT 101.00 1.00000 1', '0 1 BTCUSDT 100.00 1.00000 1']);
  });
});
