// Public surface of market data: the service the gateway routes MarketDataRequest(V) and SecurityListRequest(x)
// to and forwards every venue event to.

export { MarketDataService, type MarketDataOptions, type MarketDataQueries } from './market-data-service.js';
