// A trading day end to end, over FIX: the venue with a calendar (Europe/Berlin) and a hand-moved clock. The
// pre-open call collects orders (crossing ones do not trade; IOC is refused), the open uncrosses them at one
// price, At the Opening orders are refused after it, the closing call and the close come at their local
// times, Day and At the Close orders expire at the close, and closed refuses new orders. TradingSessionStatus(h)
// answers the request and follows every phase change.

import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const body = FixTestClient.body;
const order = (id: string, side: '1' | '2', qty: string, price: string | null, tif = '0'): string =>
  body([[11, id], [38, qty], [40, price === null ? '1' : '2'], ...(price === null ? [] : [[44, price] as [number, string]]), [54, side], [55, 'ETHUSDT'], [59, tif], [60, stamp()]]);

describe('trading day over FIX: calendar, auctions, TradingSessionStatus', function () {
  this.timeout(30000);
  let venue: TestVenue;
  // 08:55 UTC is 09:55 in Berlin in December: inside the pre-open call (09:50 to 10:00).
  const clock = new ManualClock(Date.parse('2026-12-08T08:55:00Z'));

  before(async () => {
    venue = await startTestVenue({
      clock,
      adjust: (s) => {
        s.calendar = {
          timeZone: 'Europe/Berlin',
          tradingSessionId: 'XDAY',
          days: [null, ...Array.from({ length: 5 }, () => ({ preOpen: 590, open: 600, preClose: 1050, close: 1055 })), null],
          holidays: new Set(),
        };
      },
    });
  });
  after(async () => {
    await venue.dispose();
  });

  it('runs the day', async () => {
    expect(venue.app.journal.venue.phase).to.equal('preOpen');
    const b1 = await venue.logon('BROKER1', { resetSeqNum: true });
    const b2 = await venue.logon('BROKER2', { resetSeqNum: true });
    const md = await venue.logon('MDFEED', { resetSeqNum: true });

    md.send('g', body([[335, 'TS1'], [263, '1']]));
    const status = await md.next((m) => m.type === 'h');
    expect([status.get(335), status.get(336), status.get(340), status.get(325)]).to.deep.equal(['TS1', 'XDAY', '4', 'N']);
    expect([status.get(341), status.get(342), status.get(343), status.get(344)]).to.deep.equal([
      '20261208-08:50:00.000', '20261208-09:00:00.000', '20261208-16:30:00.000', '20261208-16:35:00.000',
    ]);
    md.send('g', body([[335, 'TS2'], [336, 'NIGHT'], [263, '0']]));
    const refused = await md.next((m) => m.type === 'h' && m.get(335) === 'TS2');
    expect([refused.get(340), refused.get(567)]).to.deep.equal(['6', '1']);
    expect(refused.get(58)).to.contain('TradingSessionID(336) NIGHT is not a session of this venue');

    // The call: crossing orders rest, a market-on-open order waits, IOC is refused.
    b1.send('D', order('BUY1', '1', '2', '3010.00'));
    await b1.er('BUY1', '0');
    b2.send('D', order('SELL1', '2', '1', '3000.00'));
    await b2.er('SELL1', '0');
    b2.send('D', order('MOO1', '2', '1', null, '2'));
    await b2.er('MOO1', '0');
    b2.send('D', order('IOC1', '2', '1', '3000.00', '3'));
    const ioc = await b2.er('IOC1', '8');
    expect(ioc.get(58)).to.equal('IOC orders are not accepted in the pre-open call: nothing executes until the uncross');
    expect(venue.app.journal.venue.instrument('ETHUSDT')).to.include({ indicativePrice: 300_000, indicativeVolume: 20_000 });

    // The open (10:00 Berlin): one price for everything. Both prices 3000 and 3010 fill 2 without surplus:
    // the reference price 3000.00 decides.
    clock.advanceTo(Date.parse('2026-12-08T09:00:00Z'));
    const fill = await b1.er('BUY1', 'F');
    const last = fill.get(39) === '2' ? fill : await b1.er('BUY1', 'F');
    expect([last.get(31), last.get(14), last.get(39)]).to.deep.equal(['3000.00', '2.0000', '2']);
    expect((await b2.er('MOO1', 'F')).get(31)).to.equal('3000.00');
    const open = await md.next((m) => m.type === 'h' && m.get(340) === '2');
    expect([open.get(335), open.get(325)]).to.deep.equal(['TS1', 'Y']);

    b2.send('D', order('MOO2', '2', '1', null, '2'));
    expect((await b2.er('MOO2', '8')).get(58)).to.match(/^At the Opening orders are accepted only in the pre-open call; the market is in continuous trading/);

    // A limit-on-close order is held through the day; a Day order rests.
    b1.send('D', order('LOC1', '1', '1', '2990.00', '7'));
    await b1.er('LOC1', '0');
    b1.send('D', order('DAY1', '1', '1', '2980.00'));
    await b1.er('DAY1', '0');
    // Above the Day order's price, and the held LOC is not in the book: it rests.
    b2.send('D', order('SELL2', '2', '1', '2985.00'));
    await b2.er('SELL2', '0');

    // The closing call at 17:30 Berlin, the close at 17:35: the LOC meets the sell in the uncross. 2985 and 2990
    // both fill 1 without surplus; the reference (the last price, 3000.00) is above them: 2990.00. The Day
    // order expires.
    clock.advanceTo(Date.parse('2026-12-08T16:30:00Z'));
    expect((await md.next((m) => m.type === 'h' && m.get(340) === '5')).get(325)).to.equal('Y');
    clock.advanceTo(Date.parse('2026-12-08T16:35:00Z'));
    const loc = await b1.er('LOC1', 'F');
    expect([loc.get(31), loc.get(39)]).to.deep.equal(['2990.00', '2']);
    await b1.er('DAY1', 'C');
    expect((await md.next((m) => m.type === 'h' && m.get(340) === '3')).get(325)).to.equal('Y');
    expect(venue.app.journal.venue.tradingDay).to.deep.equal({ tradeDate: '2026-12-08', ended: '2026-12-08' });

    // Closed: refused with the reason.
    b1.send('D', order('LATE1', '1', '1', '3000.00'));
    const late = await b1.er('LATE1', '8');
    expect([late.get(103), late.get(58)]).to.deep.equal(['2', 'ETHUSDT: the market is closed (orders are accepted from the pre-open)']);
  });
});

describe('trading day over FIX: a restart in the pre-open call', function () {
  this.timeout(30000);

  it('replays the call from the journal and, restarted after the open, uncrosses it then', async () => {
    const clock = new ManualClock(Date.parse('2026-12-08T08:55:00Z'));
    const calendar = {
      timeZone: 'Europe/Berlin',
      tradingSessionId: '1',
      days: [null, ...Array.from({ length: 5 }, () => ({ preOpen: 590, open: 600, preClose: 1050, close: 1055 })), null],
      holidays: new Set<string>(),
    };
    const first = await startTestVenue({ clock, adjust: (s) => void (s.calendar = calendar) });
    // BROKER2 does not cancel on disconnect: its orders outlive the stop.
    const b2 = await first.logon('BROKER2', { resetSeqNum: true });
    b2.send('D', order('R-BUY', '1', '1', '3010.00'));
    await b2.er('R-BUY', '0');
    b2.send('D', body([[1, 'B2-HEDGE'], [11, 'R-SELL'], [38, '2'], [40, '2'], [44, '3005.00'], [54, '2'], [55, 'ETHUSDT'], [59, '0'], [60, stamp()]]));
    await b2.er('R-SELL', '0');
    expect(first.app.journal.venue.instrument('ETHUSDT')).to.include({ phase: 'preOpen', indicativePrice: 300_500, indicativeVolume: 10_000 });
    // Down across the open.
    clock.advanceTo(Date.parse('2026-12-08T09:30:00Z'));
    const second = await first.restart();
    try {
      const venue = second.app.journal.venue;
      expect(venue.phase).to.equal('continuous');
      expect(venue.tradingDay.tradeDate).to.equal('2026-12-08');
      // 3005 and 3010 both fill 1 with a sell surplus: the lowest, 3005.00. The sell's rest stays for the day.
      expect(venue.instrument('ETHUSDT')).to.include({ lastPrice: 300_500, indicativePrice: 0, phase: 'continuous' });
      expect(venue.liveOrders({ symbol: 'ETHUSDT' }).map((o) => [o.clOrdId, o.price, o.leavesQty])).to.deep.equal([['R-SELL', 300_500, 10_000]]);
      // The member hears of its fill when it logs on again.
      const again = await second.logon('BROKER2', { resetSeqNum: true });
      again.send('H', body([[11, 'R-SELL'], [54, '2'], [55, 'ETHUSDT']]));
      const status = await again.er('R-SELL', 'I');
      expect([status.get(39), status.get(14), status.get(6)]).to.deep.equal(['1', '1.0000', '3005.00']);
    } finally {
      await second.dispose();
    }
  });
});
