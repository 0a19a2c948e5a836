// The phase scheduler with an injected clock: phase commands at the calendar's local times (a non-UTC zone
// across a daylight saving change), weekends and holidays skipped, catch-up after downtime, and the day's
// Day orders expired at the close. The commands go to a real matching core.

import { expect } from 'chai';
import type { CalendarSettings } from '../../src/config/calendar-section.js';
import { PhaseScheduler } from '../../src/app/schedule/phase-scheduler.js';
import { ManualClock } from '../support/manual-clock.js';
import { localParts, localToUtc } from '../../src/shared/local-time.js';
import { TradingCalendar } from '../../src/app/schedule/trading-calendar.js';
import { Venue } from '../../src/venue/core/venue.js';
import type { VenueCommand } from '../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { spec } from '../venue/support/harness.js';

const LONDON: CalendarSettings = {
  timeZone: 'Europe/London',
  tradingSessionId: '1',
  days: [null, ...Array.from({ length: 5 }, () => ({ preOpen: 470, open: 480, preClose: 990, close: 995 })), null],
  holidays: new Set(['2026-12-25']),
};

function rig(calendar: CalendarSettings, start: number, venue = new Venue({ instruments: [spec({ referencePrice: 100 })], stp: { defaultMode: StpMode.None, scope: 'account' } })) {
  const clock = new ManualClock(start);
  const issued: VenueCommand[] = [];
  const events: VenueEvent[] = [];
  venue.subscribe((e) => events.push({ ...e }));
  const scheduler = new PhaseScheduler({
    calendar: new TradingCalendar(calendar),
    clock,
    venueDay: () => ({ phase: venue.phase, ...venue.tradingDay }),
    submit: (cmd) => {
      issued.push(cmd);
      venue.apply(cmd);
    },
  });
  const steps = (): string[] => issued.map((c) => {
    const local = localParts(c.time, calendar.timeZone);
    const hhmm = `${String(Math.floor(local.minutes / 60)).padStart(2, '0')}:${String(local.minutes % 60).padStart(2, '0')}`;
    return c.type === 'phase' ? `${c.tradeDate} ${hhmm} ${c.phase}` : c.type === 'endOfDay' ? `${c.tradeDate} ${hhmm} endOfDay` : c.type;
  });
  return { clock, issued, events, venue, scheduler, steps };
}

const at = (date: string, hhmm: string, tz = 'Europe/London'): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return localToUtc(date, h! * 60 + m!, tz);
};

describe('phase scheduler', () => {
  it('local time: converts both ways across the daylight saving changes', () => {
    // London: BST ends 2026-10-25 (02:00 BST -> 01:00 GMT); New York: EST to EDT on 2026-03-08.
    expect(new Date(at('2026-10-23', '08:00')).toISOString()).to.equal('2026-10-23T07:00:00.000Z');
    expect(new Date(at('2026-10-26', '08:00')).toISOString()).to.equal('2026-10-26T08:00:00.000Z');
    expect(new Date(at('2026-10-25', '01:30')).toISOString(), 'ambiguous: the first').to.equal('2026-10-25T00:30:00.000Z');
    expect(new Date(at('2026-03-08', '02:30', 'America/New_York')).toISOString(), 'skipped: an hour later').to.equal('2026-03-08T07:30:00.000Z');
    expect(localParts(Date.parse('2026-03-09T04:30:00Z'), 'America/New_York')).to.deep.equal({ date: '2026-03-09', minutes: 30, weekday: 1 });
  });

  it('runs a week: the phases at their local times, weekend and holiday skipped, across a clock change', () => {
    // Thursday 2026-10-22 to Tuesday 2026-10-27; the clocks go back on Sunday the 25th.
    const r = rig(LONDON, at('2026-10-22', '12:00'));
    r.scheduler.start();
    // A fresh venue goes straight to the due phase.
    expect(r.steps()).to.deep.equal(['2026-10-22 12:00 continuous']);
    r.clock.advanceTo(at('2026-10-27', '08:30'));
    expect(r.steps().slice(1)).to.deep.equal([
      '2026-10-22 16:30 preClose', '2026-10-22 16:35 closed', '2026-10-22 16:35 endOfDay',
      '2026-10-23 07:50 preOpen', '2026-10-23 08:00 continuous', '2026-10-23 16:30 preClose', '2026-10-23 16:35 closed', '2026-10-23 16:35 endOfDay',
      '2026-10-26 07:50 preOpen', '2026-10-26 08:00 continuous', '2026-10-26 16:30 preClose', '2026-10-26 16:35 closed', '2026-10-26 16:35 endOfDay',
      '2026-10-27 07:50 preOpen', '2026-10-27 08:00 continuous',
    ]);
    // Friday's open was 07:00 UTC (BST), Monday's 08:00 UTC (GMT).
    const opens = r.issued.filter((c) => c.type === 'phase' && c.phase === 'continuous').map((c) => new Date(c.time).toISOString().slice(11, 16));
    expect(opens).to.deep.equal(['11:00', '07:00', '08:00', '08:00']);
    expect(r.venue.tradingDay).to.deep.equal({ tradeDate: '2026-10-27', ended: '2026-10-26' });
    expect(r.clock.pending).to.equal(1);
    r.scheduler.stop();
    expect(r.clock.pending).to.equal(0);
  });

  it('skips a holiday', () => {
    const r = rig(LONDON, at('2026-12-24', '17:00'));
    r.scheduler.start();
    expect(r.steps()).to.deep.equal(['2026-12-24 17:00 closed', '2026-12-24 17:00 endOfDay']);
    r.clock.advanceTo(at('2026-12-28', '07:55'));
    expect(r.steps().slice(2)).to.deep.equal(['2026-12-28 07:50 preOpen']);
  });

  it('catches up after downtime: finishes the day it left (uncross, expiry), then joins the current one', () => {
    const r = rig(LONDON, at('2026-12-01', '07:55'));
    r.scheduler.start();
    expect(r.steps()).to.deep.equal(['2026-12-01 07:55 preOpen']);
    const order = (side: Side, price: number, tif: number = TimeInForce.Day): void => void r.venue.apply({
      type: 'new', time: r.clock.now(), session: 'S', firm: 'F', account: side === Side.Buy ? 'B' : 'S', clOrdId: `c${r.venue.commandSeq}`,
      symbol: 'ABC', side, ordType: OrdType.Limit, timeInForce: tif as 0, price, stopPx: 0, qty: 5, minQty: 0, maxFloor: 0,
      postOnly: false, expireTime: 0, exDestination: '',
    });
    order(Side.Buy, 101);
    order(Side.Sell, 100);
    order(Side.Buy, 90);
    order(Side.Buy, 91, TimeInForce.GTC);
    r.scheduler.stop();
    // Down until the next day's continuous session.
    r.clock.advanceTo(at('2026-12-02', '09:00'));
    r.scheduler.start();
    // The commands carry the day they belong to and the time they were issued.
    expect(r.steps().slice(1)).to.deep.equal([
      '2026-12-01 09:00 continuous', '2026-12-01 09:00 preClose', '2026-12-01 09:00 closed', '2026-12-01 09:00 endOfDay',
      '2026-12-02 09:00 preOpen', '2026-12-02 09:00 continuous',
    ]);
    const trades = r.events.filter((e) => e.type === 'trade');
    expect(trades.map((t) => (t as { price: number }).price)).to.deep.equal([100]);
    // The Day order at 90 expired at the end of the day it belonged to; the GTC order lives on.
    expect(r.events.filter((e) => e.type === 'expired')).to.have.length(1);
    expect(r.venue.liveOrders().map((o) => [o.price, o.timeInForce])).to.deep.equal([[91, TimeInForce.GTC]]);
  });

  it('a day without auctions goes closed -> continuous -> closed', () => {
    const cal: CalendarSettings = { ...LONDON, timeZone: 'Asia/Tokyo', days: [null, { preOpen: -1, open: 540, preClose: -1, close: 900 }, null, null, null, null, null] };
    const r = rig(cal, at('2026-12-06', '12:00', 'Asia/Tokyo'));
    r.scheduler.start();
    r.clock.advanceTo(at('2026-12-07', '16:00', 'Asia/Tokyo'));
    // Sunday noon, fresh: the last trading day (Monday 30 November) has ended.
    expect(r.steps()).to.deep.equal([
      '2026-11-30 12:00 closed', '2026-11-30 12:00 endOfDay',
      '2026-12-07 09:00 continuous', '2026-12-07 15:00 closed', '2026-12-07 15:00 endOfDay',
    ]);
  });
});
