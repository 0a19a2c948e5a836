// Public surface of ops: the admin HTTP server (admin API, /health, /ready, /metrics, dashboard), its ports,
// the venue's metrics registry and the logger.

export { OpsServer, type OpsServerOptions } from './ops-server.js';
export type { ClearingSource, ComponentStatus, FixSource, OpsSources, RiskSource, RouteHealth, VenueSource } from './sources.js';
export { TokenBook, TokenConfigError, type Principal, type Role, type TokenEnv } from './auth/principals.js';
export { createVenueRegistry, addNodeMetrics } from './metrics/venue-registry.js';
export { checkReadiness, type ComponentHealth, type Readiness } from './health/readiness.js';
export type { OpsAuditEntry } from './admin/audit-trail.js';
export type { SessionHealth, SessionRow } from './sessions/session-board.js';
export type { DashboardState } from './dashboard/dashboard-feed.js';
export { tapLogs, type TappedLine } from './log-tap.js';
