import { expect } from 'chai';
import { ceilDiv, formatUnits } from '../../src/clearing/amounts.js';
import { AssetScales } from '../../src/clearing/asset-scales.js';
import { FeeSchedule } from '../../src/clearing/fees.js';
import { instructionsOf, settleTrades, type SettlementContext } from '../../src/clearing/settlement.js';
import { ExecutionRecord } from '../../src/records/execution-record.js';
import type { TradeEntry } from '../../src/records/record-entries.js';
import { Side } from '../../src/venue/model/enums.js';
import { INSTRUMENTS, T0, instrument, trade } from '../records/support/events.js';
import { HAND_FEES, HAND_INSTRUCTIONS, clearingSettings, handCase, tempDir } from './support/harness.js';
import fs from 'node:fs';

/** Trade entries as the record gives them back (the settlement works on those, not on venue events). */
async function entries(events = handCase(), instruments = INSTRUMENTS): Promise<TradeEntry[]> {
  const dir = tempDir('venue-settle-');
  const r = new ExecutionRecord({ dir, instruments, fsync: false });
  await r.open();
  for (const e of events) r.onEvent(e);
  await r.flush();
  const out = await r.tradesAfter(0);
  await r.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

function context(over: { scales?: Record<string, number>; instruments?: typeof INSTRUMENTS } = {}): SettlementContext {
  const instruments = over.instruments ?? INSTRUMENTS;
  return {
    instruments: new Map(instruments.map((i) => [i.symbol, i])),
    scales: new AssetScales(instruments, over.scales ?? {}),
    fees: new FeeSchedule(clearingSettings('/unused').fees),
  };
}

describe('clearing: settlement arithmetic', () => {
  it('nets the hand-computed batch per account and asset, with maker/taker fees per firm', async () => {
    const s = settleTrades(await entries(), context());
    expect(s.scales).to.deep.equal({ BTC: 5, USDT: 7, ETH: 4 });
    expect(s.fees.map((f) => formatUnits(f, 7))).to.deep.equal(HAND_FEES);
    expect(s.firms).to.deep.equal(['F1', 'F2']);
    expect(instructionsOf(s.obligations, s.scales)).to.deep.equal(HAND_INSTRUCTIONS);
    // What the accounts receive net of what they deliver is exactly the fees the venue keeps.
    const usdt = s.obligations.filter((o) => o.asset === 'USDT').reduce((n, o) => n + o.received - o.delivered - o.fees, 0n);
    expect(-usdt).to.equal(s.fees.reduce((a, b) => a + b, 0n));
    for (const asset of ['BTC', 'ETH']) {
      expect(s.obligations.filter((o) => o.asset === asset).reduce((n, o) => n + o.received - o.delivered, 0n)).to.equal(0n);
    }
  });

  it('rounds fees up to the next unit and rebates toward zero, per side, whatever the batching', async () => {
    expect(ceilDiv(42_000_861n * 50_000n, 10n ** 8n)).to.equal(21_001n); // 21000.4305 → 21001
    expect(ceilDiv(-60_013_000_500n * 2_000n, 10n ** 8n)).to.equal(-1_200_260n); // -1200260.01 → -1200260
    expect(ceilDiv(300_000_000_000n * 10_000n, 10n ** 8n)).to.equal(30_000_000n); // exact stays exact
    const all = await entries();
    const whole = settleTrades(all, context());
    const oneByOne = all.map((t) => settleTrades([t], context()));
    expect(oneByOne.flatMap((s) => s.fees)).to.deep.equal(whole.fees);
  });

  it('stays exact where doubles would not: a notional far beyond 2^53 units', async () => {
    const big = instrument('BIGUSD', 'BIG', 'USD', 8, 8);
    const t = trade({ seq: 1, time: T0, symbol: 'BIGUSD', price: 9_007_199_254_740_991, qty: 9_007_199_254_740_991, makerSide: Side.Buy, maker: { firm: 'F1', account: 'A1', orderId: 1 }, taker: { firm: 'F2', account: 'B1', orderId: 2 } });
    const s = settleTrades(await entries([t], [big]), context({ instruments: [big] }));
    const usd = s.obligations.find((o) => o.account === 'A1' && o.asset === 'USD')!;
    expect(usd.delivered).to.equal(9_007_199_254_740_991n * 9_007_199_254_740_991n);
  });

  it('settles at a configured finer scale, and refuses a scale too coarse for exact amounts', async () => {
    const s = settleTrades(await entries(), context({ scales: { USDT: 8 } }));
    expect(instructionsOf(s.obligations, s.scales).find((i) => i.account === 'B1' && i.asset === 'USDT')!.amount).to.equal('35989.42007600');
    expect(() => new AssetScales(INSTRUMENTS, { USDT: 6 })).to.throw(/USDT: 6 decimals cannot hold exact amounts of USDT; it needs at least 7/);
  });

  it('refuses a trade of an instrument it does not know, naming the trade', async () => {
    const [t] = await entries();
    expect(() => settleTrades([{ ...t!, symbol: 'XYZUSDT' }], context())).to.throw(/trade 10: unknown instrument XYZUSDT/);
  });
});
