// Where the risk core reports state that must reach Redis. The core only marks things dirty; the
// write-behind store (store/write-behind.ts) reads the current state when it flushes, so a position
// that changes a thousand times between flushes is written once.

import type { AuditEntry } from '../model/audit.js';
import type { Position } from '../positions/position.js';

export interface RiskChangeSink {
  positionChanged(position: Position): void;
  limitsChanged(scopeId: string): void;
  killChanged(scopeId: string): void;
  breakerChanged(symbol: string): void;
  audit(entry: AuditEntry): void;
}

/** For an engine without persistence (benchmarks, pure in-memory tests). */
export const NO_SINK: RiskChangeSink = {
  positionChanged() {},
  limitsChanged() {},
  killChanged() {},
  breakerChanged() {},
  audit() {},
};
