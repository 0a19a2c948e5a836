// The shared rules the client checks before sending and the simulator enforces on receipt: the decimal
// format, per-type mandatory parameters, and the symbol filters (exact decimal arithmetic throughout).

import { expect } from 'chai';
import { isBinanceDecimal } from '../../../src/routing/binance/decimal-rule.js';
import { checkFilters, compileFilters, type FilterableOrder } from '../../../src/routing/binance/filters.js';
import { isParamError, validateNewOrder } from '../../../src/routing/binance/order-params.js';
import type { SymbolFilterJson } from '../../../src/routing/binance/types.js';

const FILTERS: SymbolFilterJson[] = [
  { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
  { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
  { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '50.00000000', stepSize: '0.00000000' },
  { filterType: 'ICEBERG_PARTS', limit: 10 },
  { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
  { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '1.2', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.8', avgPriceMins: 5 },
  { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 3 },
];

const compiled = compileFilters({ symbol: 'BTCUSDT', filters: FILTERS, baseAssetPrecision: 8, quoteAssetPrecision: 8 });

function check(order: Partial<FilterableOrder>, ctx = {}): string | null {
  return checkFilters(compiled, { side: 'BUY', type: 'LIMIT', ...order }, ctx);
}

describe('binance rules: decimals, parameters, filters', () => {
  it('accepts only plain decimals of at most 20+20 digits', () => {
    for (const ok of ['1', '0.1', '60000.00000000', '1'.repeat(20) + '.' + '2'.repeat(20)]) expect(isBinanceDecimal(ok), ok).to.equal(true);
    for (const bad of ['', '-1', '+1', '1e5', '.5', '5.', '1,5', '0x10', ' 1', '1'.repeat(21), `0.${'1'.repeat(21)}`]) expect(isBinanceDecimal(bad), bad).to.equal(false);
  });

  it('requires per order type what Binance requires, with its codes', () => {
    const v = (p: Record<string, string>) => {
      const r = validateNewOrder((k) => p[k]);
      return isParamError(r) ? `${r.code} ${r.msg}` : 'ok';
    };
    expect(v({ symbol: 'X', side: 'BUY', type: 'LIMIT', quantity: '1', price: '1' })).to.equal("-1102 Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
    expect(v({ symbol: 'X', side: 'HOLD', type: 'LIMIT' })).to.equal('-1117 Invalid side.');
    expect(v({ symbol: 'X', side: 'BUY', type: 'STOP' })).to.equal('-1116 Invalid orderType.');
    expect(v({ symbol: 'X', side: 'BUY', type: 'MARKET' })).to.equal("-1102 Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    expect(v({ symbol: 'X', side: 'BUY', type: 'MARKET', quantity: '1', price: '1' })).to.equal("-1106 Parameter 'price' sent when not required.");
    expect(v({ symbol: 'X', side: 'BUY', type: 'LIMIT_MAKER', quantity: '1', price: '1', timeInForce: 'GTC' })).to.equal("-1106 Parameter 'timeInForce' sent when not required.");
    expect(v({ symbol: 'X', side: 'BUY', type: 'STOP_LOSS', quantity: '1' })).to.equal("-1102 Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!");
    expect(v({ symbol: 'X', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '1', price: '1', icebergQty: '0.5' })).to.equal('-1014 Unsupported order combination.');
    expect(v({ symbol: 'X', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1e2', price: '1' })).to.match(/^-1100 Illegal characters found in parameter 'quantity'/);
    expect(v({ symbol: 'X', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1', newClientOrderId: 'has space' })).to.match(/^-1100 .*newClientOrderId/);
    expect(v({ symbol: 'X', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '1', newClientOrderId: 'ok_id-1' })).to.equal('ok');
  });

  it('checks PRICE_FILTER bounds and tick, also on stopPrice; finer decimals than the tick fail', () => {
    expect(check({ price: '60000.01', quantity: '0.001' })).to.equal(null);
    expect(check({ price: '60000.015', quantity: '0.001' })).to.equal('PRICE_FILTER');
    expect(check({ price: '60000.0100000000000', quantity: '0.001' })).to.equal(null); // trailing zeros are fine
    expect(check({ price: '1000000.01', quantity: '0.001' })).to.equal('PRICE_FILTER');
    expect(check({ price: '0.001', quantity: '10000' })).to.equal('PRICE_FILTER');
    expect(check({ type: 'STOP_LOSS', stopPrice: '100.001', quantity: '1' })).to.equal('PRICE_FILTER');
  });

  it('checks LOT_SIZE on quantity and iceberg, MARKET_LOT_SIZE on market orders, and ICEBERG_PARTS', () => {
    expect(check({ price: '100', quantity: '0.000005' })).to.equal('LOT_SIZE');
    expect(check({ price: '100', quantity: '9000.00001' })).to.equal('LOT_SIZE');
    expect(check({ type: 'MARKET', quantity: '51' })).to.equal('MARKET_LOT_SIZE');
    expect(check({ type: 'MARKET', quantity: '50' }, { referencePrice: '100' })).to.equal(null);
    expect(check({ price: '100', quantity: '1', icebergQty: '0.000001' })).to.equal('LOT_SIZE');
    expect(check({ price: '100', quantity: '1', icebergQty: '0.09' })).to.equal('ICEBERG_PARTS'); // 12 parts
    expect(check({ price: '100', quantity: '1', icebergQty: '0.1' })).to.equal(null); // exactly 10 parts
  });

  it('checks NOTIONAL exactly, for limit orders, quoteOrderQty, and market quantity at the reference price', () => {
    expect(check({ price: '0.01', quantity: '499.99999' })).to.equal('NOTIONAL'); // 4.9999999
    expect(check({ price: '0.01', quantity: '500' })).to.equal(null); // exactly 5
    expect(check({ price: '999999.99', quantity: '9000' })).to.equal('NOTIONAL'); // 8999999910 > max, beyond 2^53 at scale
    expect(check({ type: 'MARKET', quoteOrderQty: '4.99' })).to.equal('NOTIONAL');
    expect(check({ type: 'MARKET', quantity: '0.0001' }, { referencePrice: '49999.99' })).to.equal('NOTIONAL');
    expect(check({ type: 'MARKET', quantity: '0.0001' })).to.equal(null); // no reference: left to the exchange
  });

  it('checks PERCENT_PRICE_BY_SIDE against the reference price per side', () => {
    const ctx = { referencePrice: '100.00000000' };
    expect(check({ price: '120.00', quantity: '1' }, ctx)).to.equal(null);
    expect(check({ price: '120.01', quantity: '1' }, ctx)).to.equal('PERCENT_PRICE_BY_SIDE');
    expect(check({ side: 'SELL', price: '79.99', quantity: '1' }, ctx)).to.equal('PERCENT_PRICE_BY_SIDE');
    expect(check({ side: 'SELL', price: '500.00', quantity: '1' }, ctx)).to.equal(null);
  });

  it('checks MAX_NUM_ORDERS against the open orders the caller knows of', () => {
    expect(check({ price: '100', quantity: '1' }, { openOrders: 2 })).to.equal(null);
    expect(check({ price: '100', quantity: '1' }, { openOrders: 3 })).to.equal('MAX_NUM_ORDERS');
  });
});
