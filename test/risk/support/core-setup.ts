import { RiskCore } from '../../../src/risk/core/risk-core.js';
import type { CircuitBreakerSettings } from '../../../src/config/risk-section.js';
import { EventFeed, FIRMS, INSTRUMENTS, RecordingActions } from './fixtures.js';

export interface CoreRig {
  core: RiskCore;
  feed: EventFeed;
  actions: RecordingActions;
}

/** A risk core over BTCUSDT and ETHUSDT for firms F1 (ACC1, ACC2) and F2 (ACC3), fed by an EventFeed. */
export function coreRig(opts: { circuitBreakers?: CircuitBreakerSettings; clock?: () => number } = {}): CoreRig {
  const actions = new RecordingActions();
  const core = new RiskCore({ instruments: INSTRUMENTS, firms: FIRMS, actions, circuitBreakers: opts.circuitBreakers, clock: opts.clock });
  const feed = new EventFeed(core.onEvent);
  return { core, feed, actions };
}
