// GTD expiry in the running venue: a journaled time command when the earliest GTD expiry is due, none
// otherwise; an order entered with an earlier expiry than the one waited for is caught within the interval.

import { expect } from 'chai';
import { GtdExpiryTimer } from '../../src/app/schedule/gtd-expiry.js';
import { Venue } from '../../src/venue/core/venue.js';
import type { VenueCommand } from '../../src/venue/model/commands.js';
import { OrdType, Side, StpMode, TimeInForce } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { spec } from '../venue/support/harness.js';
import { ManualClock } from '../support/manual-clock.js';

describe('GTD expiry timer', () => {
  it('issues a time command when a GTD order is due, and only then', () => {
    const clock = new ManualClock(1_000_000);
    const venue = new Venue({ instruments: [spec()], stp: { defaultMode: StpMode.None, scope: 'account' } });
    const issued: VenueCommand[] = [];
    const expired: number[] = [];
    venue.subscribe((e: VenueEvent) => {
      if (e.type === 'expired') expired.push(e.order.orderId);
    });
    const timer = new GtdExpiryTimer({
      clock, nextExpiry: () => venue.nextGtdExpiry(), submit: (cmd) => {
        issued.push(cmd);
        venue.apply(cmd);
      },
    });
    const gtd = (clOrdId: string, expireTime: number): void => void venue.apply({
      type: 'new', time: clock.now(), session: 'S', firm: 'F', account: 'A', clOrdId, symbol: 'ABC', side: Side.Buy,
      ordType: OrdType.Limit, timeInForce: TimeInForce.GTD, price: 100, stopPx: 0, qty: 1, minQty: 0, maxFloor: 0,
      postOnly: false, expireTime, exDestination: '',
    });
    timer.start();
    clock.advanceTo(1_010_000);
    expect(issued, 'no GTD order: nothing journaled').to.deep.equal([]);
    gtd('late', 1_100_000);
    gtd('soon', 1_020_500);
    clock.advanceTo(1_021_000);
    // Found on the next look (within the interval), then waited for to the millisecond.
    expect(issued.map((c) => c.time)).to.deep.equal([1_020_500]);
    expect(expired).to.have.length(1);
    expect(venue.nextGtdExpiry()).to.equal(1_100_000);
    clock.advanceTo(1_100_000);
    expect(issued.map((c) => c.time)).to.deep.equal([1_020_500, 1_100_000]);
    expect(expired).to.have.length(2);
    expect(venue.nextGtdExpiry()).to.equal(0);
    timer.stop();
    expect(clock.pending).to.equal(0);
  });
});
