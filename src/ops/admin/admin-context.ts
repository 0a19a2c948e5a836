// What the admin route handlers share: the venue's ports and the views ops builds over them.

import type { Logger } from '../../shared/logger.js';
import type { MarketView } from '../market/market-view.js';
import type { SessionBoard } from '../sessions/session-board.js';
import type { SessionCatalog } from '../sessions/session-catalog.js';
import type { ClearingSource, OpsSources, RiskSource } from '../sources.js';
import { unavailable } from '../http/http-error.js';
import type { RequestContext } from '../http/router.js';
import type { AuditTrail } from './audit-trail.js';

export interface AdminContext {
  sources: OpsSources;
  catalog: SessionCatalog;
  board: SessionBoard;
  market: MarketView;
  audit: AuditTrail;
  logger: Logger;
}

export function riskOf(ctx: AdminContext): RiskSource {
  if (ctx.sources.risk === null) throw unavailable('pre-trade risk is not running on this venue');
  return ctx.sources.risk;
}

export function clearingOf(ctx: AdminContext): ClearingSource {
  if (ctx.sources.clearing === null) throw unavailable('clearing is not running on this venue');
  return ctx.sources.clearing;
}

/** "ops:alice" — how ops changes are attributed in risk's own audit and in venue command reasons. */
export function actor(req: RequestContext): string {
  return `ops:${req.principal?.name ?? 'unknown'}`;
}
