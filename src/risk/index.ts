// Public surface of the risk engine.

export { RiskEngine, type RiskEngineOptions, type RiskStatus } from './risk-engine.js';
/** Risk's settings are declared by its config section (config owns every room's settings types). */
export type { BreakerSettings, CircuitBreakerSettings, LimitSeed, RiskSettings, WriteBehindSettings } from '../config/risk-section.js';
export { RiskCore, RiskInputError, type RiskCoreOptions, type EffectiveLimits, type FirmAccounts, type RiskStats } from './core/risk-core.js';
export type { RiskActions, VenueView } from './risk-actions.js';
export type { RiskRefusal } from './model/refusal.js';
export { OrdRejReason, CxlRejReason } from './model/refusal.js';
export type { AuditEntry, AuditAction } from './model/audit.js';
export { LIMIT_NAMES, LIMIT_UNITS, limitValueProblem, type LimitName, type LimitValues } from './model/limit-names.js';
export { limitScopeId, parseLimitScope, killScopeId, parseKillScope, type LimitScope, type KillScope } from './model/scopes.js';
export type { KillRecord } from './kill/kill-switches.js';
export type { BreakerState } from './breakers/breaker-board.js';
export type { PositionView } from './positions/position-view.js';
export type { LoadReport } from './store/state-loader.js';
export { DEFAULT_WRITE_BEHIND } from './store/write-behind.js';
export { RiskKeys } from './store/redis-keys.js';
export { parseControlMessage, type ControlMessage } from './control/control-messages.js';
