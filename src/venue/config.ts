// How a venue core is built: its instruments and its self-trade prevention policy.

import { StpMode } from './model/enums.js';
import type { InstrumentSpec } from './model/instrument.js';
import type { VenueEvent } from './model/events.js';

/** Orders of the same account (or, with scope 'firm', the same member firm) never trade with each other. */
export interface StpConfig {
  /** Mode for accounts without their own setting. */
  defaultMode: StpMode;
  /** What counts as "self": the same account, or the same firm. */
  scope: 'account' | 'firm';
  /** Per-account modes (the aggressor's account decides). */
  accounts?: Record<string, StpMode>;
}

export interface VenueConfig {
  instruments: InstrumentSpec[];
  stp?: StpConfig;
  /** Called when an event listener throws; the core carries on. Defaults to counting the error. */
  onListenerError?: (error: unknown, event: VenueEvent) => void;
}

export const DEFAULT_STP: StpConfig = { defaultMode: StpMode.CancelAggressing, scope: 'account' };
