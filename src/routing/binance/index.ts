// Public surface of the Binance adapter's client: REST (orders, queries, account), the user data stream,
// order tracking with reconciliation, signing, the shared filter rules, and the typed results.

export { BinanceRestClient } from './rest-client.js';
export type { AmendKeepPriorityRequest, BinanceRestClientOptions, CancelOrderRequest, CancelReplaceRequest, NewOrderRequest, OrderQuery } from './rest-client.js';
export { BinanceUserStream, UserStreamAuthError } from './user-stream.js';
export type { UserStreamEvents, UserStreamOptions } from './user-stream.js';
export { BinanceOrderTracker } from './order-tracker.js';
export type { OrderFill, OrderState, OrderTrackerEvents, ReconcileReport } from './order-tracker.js';
export { RateGovernor, DEFAULT_RATE_LIMITS } from './rate-governor.js';
export { BINANCE_ENDPOINTS, credentialsFromEnv, resolveEndpoints } from './client-config.js';
export type { BinanceCredentials, BinanceEndpoints, BinanceEnvironment } from './client-config.js';
export { ed25519Signer, hmacSigner } from './signing.js';
export type { PayloadSigner } from './signing.js';
export { checkFilters, compileFilters } from './filters.js';
export type { CompiledFilters, FilterContext, FilterName } from './filters.js';
export { failureText } from './result.js';
export type { BinanceFailure, BinanceOk, BinanceResult, RateUsage } from './result.js';
export type * from './types.js';
