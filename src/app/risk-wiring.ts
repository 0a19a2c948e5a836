// Connects pre-trade risk to the venue: the engine checks orders and replaces in the order pipeline, sees every
// event (replayed ones too, to rebuild reservations and positions), and asks for kill-switch mass cancels and
// circuit-breaker halts as ordinary journaled commands, so a replay reproduces their effects.

import { RiskEngine, type RiskActions, type KillScope } from '../risk/index.js';
import type { Logger } from '../shared/logger.js';
import type { VenueSettings } from '../config/settings.js';
import type { NewOrderCommand, ReplaceCommand, VenueCommand } from '../venue/model/commands.js';
import type { PreTradeCheck, PreTradeRefusal } from '../venue/pipeline/order-pipeline.js';
import type { JournaledVenue } from '../venue/journal/journaled-venue.js';

export function createRiskEngine(
  settings: VenueSettings,
  journal: JournaledVenue,
  submit: (cmd: VenueCommand) => void,
  logger: Logger,
): RiskEngine {
  const actions: RiskActions = {
    massCancel(scope: KillScope, reason: string) {
      logger.warn('kill switch: cancelling every open order in scope', { scope: `${scope.kind}:${scope.id}`, reason });
      submit({
        type: 'massCancel',
        time: Date.now(),
        requestedBy: 'risk',
        requestId: '',
        firm: scope.kind === 'firm' ? scope.id : '',
        account: scope.kind === 'account' ? scope.id : '',
        session: scope.kind === 'session' ? scope.id : '',
        symbol: '',
        side: 0,
        reason: 'kill-switch',
      });
    },
    halt(symbol: string, reason: string) {
      logger.warn('instrument halted', { symbol, reason });
      submit({ type: 'halt', time: Date.now(), symbol, reason });
    },
    resume(symbol: string, reason: string) {
      logger.info('instrument resumed', { symbol, reason });
      submit({ type: 'resume', time: Date.now(), symbol, reason });
    },
  };
  return new RiskEngine({
    redisUrl: settings.redisUrl,
    instruments: settings.instruments,
    firms: settings.firms.map((f) => ({ id: f.id, accounts: f.accounts })),
    settings: settings.risk,
    actions,
    logger,
    durableEventSeq: () => journal.durableEventSeq,
  });
}

/** The pipeline's view of risk: a replace is checked against the live order it replaces. */
export function preTradeCheckOf(risk: RiskEngine, journal: JournaledVenue): PreTradeCheck {
  return {
    check(cmd: NewOrderCommand | ReplaceCommand): PreTradeRefusal | null {
      if (cmd.type === 'new') return risk.check(cmd);
      const venue = journal.venue;
      let current = cmd.orderId > 0 ? venue.order(cmd.orderId) : undefined;
      if (current !== undefined && current.firm !== cmd.firm) current = undefined;
      current ??= venue.orderByClOrdId(cmd.session, cmd.origClOrdId);
      return risk.check(cmd, current ?? null);
    },
  };
}
