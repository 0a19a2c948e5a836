// The ExecutionReport body writer hands quantities, prices and ids to the encoder as integers. These tests hold
// every such field to the text the venue's decimal module gives for the same value (the members' contract: the
// same digits whatever the path), including an AvgPx that does not divide exactly.

import { expect } from 'chai';
import { FixEncoder } from '../../src/fix/codec/encoder.js';
import { loadDictionaryShared } from '../../src/fix/dictionary/loader.js';
import { FixParser, ParseStatus } from '../../src/fix/codec/parser.js';
import { ExecutionReportWriter, Liquidity } from '../../src/gateway/reports/execution-report.js';
import { formatAveragePrice } from '../../src/gateway/reports/average-price.js';
import { formatDecimal } from '../../src/venue/model/decimal.js';
import { OrderStatus, OrdType, Side, TimeInForce } from '../../src/venue/model/enums.js';
import type { OrderView } from '../../src/venue/model/events.js';
import type { InstrumentSpec } from '../../src/venue/model/instrument.js';

const dictionary = loadDictionaryShared(new URL('../../fix-dictionaries/FIX44.xml', import.meta.url).pathname);
const SPEC = { symbol: 'BTCUSDT', priceDecimals: 2, qtyDecimals: 5 } as InstrumentSpec;

function order(fields: Partial<OrderView>): OrderView {
  return {
    orderId: 4711, session: 'BENCH1', firm: 'BENCH', account: 'BENCH', clOrdId: 'C-1', origClOrdId: '', symbol: 'BTCUSDT',
    side: Side.Buy, ordType: OrdType.Limit, timeInForce: TimeInForce.Day, price: 10_000, stopPx: 0, qty: 100_000, cumQty: 0,
    leavesQty: 100_000, cumNotional: 0, maxFloor: 0, expireTime: 0, status: OrderStatus.New, time: 0, visibleQty: 100_000,
    minQty: 0, postOnly: false, triggered: false, decrementedQty: 0, ...fields,
  };
}

/** Writes one report and returns its fields by tag. */
function report(writer: ExecutionReportWriter): Map<number, string> {
  const enc = new FixEncoder({ dictionary });
  enc.begin('FIX.4.4', '8');
  writer.write(enc);
  enc.int(34, 1).str(49, 'VENUE').timestamp(52, 0).str(56, 'BENCH1');
  const parser = new FixParser({ dictionary });
  expect(parser.parse(Buffer.from(enc.finish()))).to.equal(ParseStatus.Ok);
  const fields = new Map<number, string>();
  for (let i = 0; i < parser.view.fieldCount; i++) fields.set(parser.view.tagAt(i), parser.view.stringAt(i));
  return fields;
}

describe('ExecutionReport writer: numbers written as integers', () => {
  it('writes every quantity, price and id with the same digits as the decimal module', () => {
    const cases: Partial<OrderView>[] = [
      { price: 10_000, qty: 100_000, cumQty: 0, leavesQty: 100_000 },
      { price: 1, qty: 1, cumQty: 1, leavesQty: 0, cumNotional: 1, stopPx: 5, maxFloor: 1 },
      { price: 123_456_789, qty: 98_765_432_100, cumQty: 12_345, leavesQty: 98_765_419_755, cumNotional: 123_456_789 * 12_345, orderId: 9_007_199_254 },
      { price: 0, ordType: OrdType.Market, qty: 250_000, cumQty: 250_000, leavesQty: 0, cumNotional: 250_000 * 6_000_001 },
    ];
    const writer = new ExecutionReportWriter();
    for (const fields of cases) {
      const o = order(fields);
      writer.content.reset();
      Object.assign(writer.content, { order: o, spec: SPEC, execId: '17B', execType: 'F', transactTime: Date.UTC(2025, 0, 2) });
      Object.assign(writer.content, { lastQty: 12_345, lastPx: 10_001, matchId: 31_337, liquidity: Liquidity.Added });
      const f = report(writer);
      expect(f.get(6), 'AvgPx').to.equal(formatAveragePrice(o.cumNotional, o.cumQty, 2));
      expect(f.get(14), 'CumQty').to.equal(formatDecimal(o.cumQty, 5));
      expect(f.get(38), 'OrderQty').to.equal(formatDecimal(o.qty, 5));
      expect(f.get(151), 'LeavesQty').to.equal(formatDecimal(o.leavesQty, 5));
      expect(f.get(31), 'LastPx').to.equal('100.01');
      expect(f.get(32), 'LastQty').to.equal('0.12345');
      expect(f.get(37), 'OrderID').to.equal(String(o.orderId));
      expect(f.get(527), 'SecondaryExecID').to.equal('31337');
      expect(f.get(44), 'Price').to.equal(o.price > 0 ? formatDecimal(o.price, 2) : undefined);
      expect(f.get(99), 'StopPx').to.equal(o.stopPx > 0 ? formatDecimal(o.stopPx, 2) : undefined);
      expect(f.get(111), 'MaxFloor').to.equal(o.maxFloor > 0 ? formatDecimal(o.maxFloor, 5) : undefined);
    }
  });

  it('prints an AvgPx that does not divide exactly with extra places, rounded half up', () => {
    const writer = new ExecutionReportWriter();
    // fills of 1 at 100.00 and 2 at 100.01: 300.02 / 3 = 100.006666.. -> 100.006667
    const o = order({ qty: 300_000, cumQty: 300_000, leavesQty: 0, cumNotional: 10_000 * 100_000 + 10_001 * 200_000 });
    Object.assign(writer.content, { order: o, spec: SPEC, execId: '9', execType: 'F', transactTime: 0 });
    expect(report(writer).get(6)).to.equal('100.006667');
  });

  it('keeps an OrderID given by the publisher (routed or refused orders) instead of the numeric one', () => {
    const writer = new ExecutionReportWriter();
    Object.assign(writer.content, { order: order({}), spec: SPEC, orderId: 'R-77', execId: '9', execType: '0', transactTime: 0 });
    expect(report(writer).get(37)).to.equal('R-77');
  });
});
