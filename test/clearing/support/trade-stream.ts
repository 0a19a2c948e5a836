// A fixed stream of trades (the hand case's three kinds in turn), seqs 1000, 1002, 1004 ... with gaps as
// a real event stream has (other events between trades), one trade date.

import type { TradeEvent } from '../../../src/venue/model/events.js';
import { handCase } from './harness.js';

export function tradeStream(n: number): TradeEvent[] {
  const base = handCase();
  return Array.from({ length: n }, (_, i) => ({ ...base[i % 3]!, seq: 1000 + 2 * i, matchId: 1 + i, time: base[0]!.time + i }));
}
