// The configuration `npm run binance-sim` uses without --config: two symbols with Binance-like filters
// and two accounts (a trader and a market maker, HMAC keys) with starting balances. These keys exist
// only inside the simulator.

export function defaultSimulatorConfig(): Record<string, unknown> {
  const symbol = (name: string, base: string, tick: string, step: string, minNotional: string) => ({
    symbol: name,
    baseAsset: base,
    quoteAsset: 'USDT',
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '1000000.00000000', tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: step, maxQty: '9000.00000000', stepSize: step },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'NOTIONAL', minNotional, applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ],
  });
  return {
    host: '127.0.0.1',
    port: 0,
    symbols: [symbol('BTCUSDT', 'BTC', '0.01000000', '0.00001000', '5.00000000'), symbol('ETHUSDT', 'ETH', '0.01000000', '0.00010000', '5.00000000')],
    accounts: [
      {
        name: 'trader',
        apiKeys: [{ apiKey: 'sim-trader-key', type: 'hmac', secret: 'sim-trader-secret' }],
        balances: { USDT: '1000000', BTC: '10', ETH: '100' },
        makerCommission: '0.001',
        takerCommission: '0.001',
      },
      {
        name: 'market-maker',
        apiKeys: [{ apiKey: 'sim-maker-key', type: 'hmac', secret: 'sim-maker-secret' }],
        balances: { USDT: '10000000', BTC: '1000', ETH: '10000' },
      },
    ],
  };
}
