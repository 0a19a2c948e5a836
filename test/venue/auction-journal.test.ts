// Phase commands through the journal: a trading day of calls and uncrosses, replayed from the journal (and
// from a snapshot taken mid-call), gives the same books, ids, events and phases.

import { expect } from 'chai';
import type { VenueCommand } from '../../src/venue/model/commands.js';
import { MarketPhase, StpMode } from '../../src/venue/model/enums.js';
import { spec } from './support/harness.js';
import { OrderStream } from './support/random-stream.js';
import { makeTempDir } from '../support/temp-dir.js';
import { openJournaled } from './support/open-journaled.js';

const CONFIG = { instruments: [spec({ referencePrice: 1000 })], stp: { defaultMode: StpMode.CancelResting, scope: 'account' as const } };

function openVenue(dir: string) {
  return openJournaled(CONFIG, dir);
}

/** A day: closed, pre-open with orders, continuous, closing call, closed, end of day. */
function tradingDay(stream: OrderStream, t0: number, upto: number): VenueCommand[] {
  const cmds: VenueCommand[] = [];
  const phase = (p: MarketPhase, time: number): void => void cmds.push({ type: 'phase', time, phase: p, symbol: '', tradeDate: '2026-12-08' });
  phase(MarketPhase.PreOpen, t0);
  for (let i = 0; i < 200; i++) cmds.push(stream.next(t0 + 1 + i));
  phase(MarketPhase.Continuous, t0 + 300);
  for (let i = 0; i < 200; i++) cmds.push(stream.next(t0 + 301 + i));
  phase(MarketPhase.PreClose, t0 + 600);
  for (let i = 0; i < 100; i++) cmds.push(stream.next(t0 + 601 + i));
  phase(MarketPhase.Closed, t0 + 800);
  cmds.push({ type: 'endOfDay', time: t0 + 801, tradeDate: '2026-12-08' });
  return cmds.slice(0, upto);
}

describe('venue phases: journal replay', () => {
  it('replays a day of calls and uncrosses to the same state and events', async () => {
    const dir = makeTempDir('venue-auction-');
    const first = await openVenue(dir);
    const cmds = tradingDay(new OrderStream(11), 10_000, Number.MAX_SAFE_INTEGER);
    for (const c of cmds) first.jv.apply(c);
    await first.jv.commit();
    const auctionTrades = first.live.filter((e) => e.type === 'trade' && e.auction === true);
    expect(auctionTrades.length, 'the stream crosses in both calls').to.be.greaterThan(0);
    expect(first.live.filter((e) => e.type === 'phase' && e.symbol === '').map((e) => (e as { phase: string }).phase))
      .to.deep.equal(['preOpen', 'continuous', 'preClose', 'closed']);
    const state = first.jv.venue.exportState();
    await first.jv.close();

    const second = await openVenue(dir);
    expect(second.report.replayedCommands).to.equal(cmds.length);
    expect(second.jv.venue.exportState()).to.deep.equal(state);
    expect(second.replayed).to.deep.equal(first.live);
    expect(second.jv.venue.phase).to.equal('closed');
    expect(second.jv.venue.tradingDay).to.deep.equal({ tradeDate: '2026-12-08', ended: '2026-12-08' });
    await second.jv.close();
  });

  it('a snapshot taken during the pre-open call, then the journal after it, gives the same uncross', async () => {
    const cmds = tradingDay(new OrderStream(12), 20_000, Number.MAX_SAFE_INTEGER);
    const cut = 150; // inside the pre-open call
    const straight = await openVenue(makeTempDir('venue-auction-'));
    for (const c of cmds) straight.jv.apply(c);
    await straight.jv.commit();

    const dir = makeTempDir('venue-auction-');
    const first = await openVenue(dir);
    for (const c of cmds.slice(0, cut)) first.jv.apply(c);
    await first.jv.commit();
    expect(first.jv.venue.phase).to.equal('preOpen');
    await first.jv.snapshot();
    for (const c of cmds.slice(cut)) first.jv.apply(c);
    await first.jv.commit();
    await first.jv.close();

    const second = await openVenue(dir);
    expect(second.report.snapshotSeq).to.equal(cut);
    expect(second.jv.venue.exportState()).to.deep.equal(straight.jv.venue.exportState());
    expect(second.replayed).to.deep.equal(straight.live.filter((e) => e.commandSeq > cut));
    await second.jv.close();
    await straight.jv.close();
  });
});
