// Public surface of outbound routing: the order router (the pipeline's route hook and the driver of routed orders),
// the route adapters (Binance, another FIX venue), the id scheme, and the types ops and tests need.

export { OrderRouter } from './order-router.js';
export type { OrderRouterOptions, RouterVenue, RouteStatus } from './order-router.js';
export { RouteTable } from './route-table.js';
export { ClientIds } from './client-ids.js';
export type { ParsedClientId } from './client-ids.js';
export { BinanceRoute } from './adapters/binance-route.js';
export type { BinanceRouteOptions } from './adapters/binance-route.js';
export { FixVenueRoute } from './adapters/fix-venue-route.js';
export type { FixVenueRouteOptions } from './adapters/fix-venue-route.js';
export type { AdapterHooks, RouteAdapter, RouteCounters, RoutedOrder, RouteHealth, RouteReport, RouteState } from './route-adapter.js';
