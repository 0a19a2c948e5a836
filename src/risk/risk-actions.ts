// What the risk engine asks the venue to do. The integrator implements this by submitting journaled venue
// commands (MassCancelCommand with reason 'kill-switch', TradingStatusCommand halt/resume), so replaying
// the journal reproduces the effects without asking risk again.
//
// Calls never happen inside a venue event listener: the engine defers them to a microtask after the
// event delivery that caused them (the core refuses apply() from inside a listener), and makes none while
// a journal is being replayed (the journal already holds the commands they produced).

import type { OrderView } from '../venue/model/events.js';
import type { KillScope } from './model/scopes.js';

export interface RiskActions {
  /** Cancel every live order of the firm, account or session (a kill switch went on). */
  massCancel(scope: KillScope, reason: string): void;
  /** Halt trading in an instrument (circuit breaker or ops). */
  halt(symbol: string, reason: string): void;
  /** Resume trading in an instrument (breaker halt over, or ops). */
  resume(symbol: string, reason: string): void;
}

/** The venue queries a resync needs (JournaledVenue.venue provides them). */
export interface VenueView {
  liveOrders(): OrderView[];
  instrument(symbol: string): { lastPrice: number } | undefined;
}
