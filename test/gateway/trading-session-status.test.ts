// TradingSessionStatusRequest(g) / TradingSessionStatus(h) against FIX clients that validate every message
// against FIX44.xml (a Reject from them fails the test): snapshot, subscription with unsolicited updates on
// venue-wide phase changes only, unsubscribe, refusals.

import { expect } from 'chai';
import type { FieldWriter } from '../../src/fix/index.js';
import { field, TestClient } from '../marketdata/support/fix-client.js';
import { VenueHarness } from '../marketdata/support/venue-harness.js';

const request = (reqId: string, kind: string, sessionId?: string) => (w: FieldWriter): void => {
  w.str(335, reqId);
  if (sessionId !== undefined) w.str(336, sessionId);
  w.char(263, kind);
};

describe('TradingSessionStatus over FIX', function () {
  let h: VenueHarness;
  let clients: TestClient[];

  beforeEach(async function () {
    clients = [];
    h = await VenueHarness.start({ tradingSessions: true });
  });

  afterEach(async function () {
    for (const c of clients) await c.stop();
    const rejects = h.clientRejects.slice();
    await h.stop();
    expect(rejects, 'clients refused what the venue sent').to.deep.equal([]);
  });

  async function connect(id: string): Promise<TestClient> {
    const c = await TestClient.connect(h.port, id);
    clients.push(c);
    return c;
  }

  const phase = (p: 'closed' | 'preOpen' | 'continuous' | 'preClose', symbol = ''): void =>
    h.apply({ type: 'phase', time: ++h.time, phase: p, symbol, tradeDate: '2025-03-04' });

  it('answers a snapshot, then follows the venue-wide phase of a subscriber until it unsubscribes', async function () {
    const sub = await connect('MD1');
    const once = await connect('MD2');
    once.send('g', request('snap', '0'));
    const snap = (await once.nextOf('h')).msg;
    expect([field(snap, 335), field(snap, 336), field(snap, 340), field(snap, 325), field(snap, 58)]).to.deep.equal(['snap', '1', '2', 'N', 'continuous trading']);
    expect([341, 342, 343, 344, 345].map((t) => field(snap, t))).to.deep.equal([
      '20250304-08:50:00.000', '20250304-09:00:00.000', '20250304-16:30:00.000', '20250304-16:35:00.000', '20250304-16:35:00.000',
    ]);

    sub.send('g', request('live', '1', '1'));
    expect(field((await sub.nextOf('h')).msg, 340)).to.equal('2');
    phase('preClose');
    const pre = (await sub.nextOf('h')).msg;
    expect([field(pre, 335), field(pre, 340), field(pre, 325)]).to.deep.equal(['live', '5', 'Y']);
    // One instrument's phase is not the venue's: no h for it.
    phase('continuous', 'ETHUSDT');
    phase('closed');
    expect(field((await sub.nextOf('h')).msg, 340)).to.equal('3');

    sub.send('g', request('live', '2'));
    // The unsubscribe is answered by nothing: a snapshot request behind it tells when it has been handled.
    sub.send('g', request('sync', '0'));
    await sub.nextOf('h', (m) => field(m, 335) === 'sync');
    phase('preOpen');
    // Nothing more arrives: a snapshot request is answered after anything pending.
    sub.send('g', request('probe', '0'));
    const probe = await sub.nextOf('h');
    expect(probe.skipped.filter((m) => m.msgType === 'h')).to.deep.equal([]);
    expect([field(probe.msg, 335), field(probe.msg, 340)]).to.deep.equal(['probe', '4']);
    // The snapshot-only session never got updates: its next answer is the first h since its snapshot.
    once.send('g', request('again', '0'));
    const again = await once.nextOf('h');
    expect([field(again.msg, 335), again.skipped.filter((m) => m.msgType === 'h').length]).to.deep.equal(['again', 0]);
  });

  // A SubscriptionRequestType outside 0/1/2 never reaches the application: the session layer rejects the value.
  it('refuses an unknown TradingSessionID and an unsubscribe of nothing', async function () {
    const c = await connect('MD1');
    for (const [id, kind, sessionId, reason, text] of [
      ['a', '0', 'NIGHT', '1', 'TradingSessionID(336) NIGHT is not a session of this venue: its session is 1'],
      ['c', '2', undefined, '99', 'no trading session status subscription to cancel on this session'],
    ] as const) {
      c.send('g', request(id, kind, sessionId));
      const m = (await c.nextOf('h')).msg;
      expect([field(m, 335), field(m, 340), field(m, 567), field(m, 58)]).to.deep.equal([id, '6', reason, text]);
    }
  });
});
