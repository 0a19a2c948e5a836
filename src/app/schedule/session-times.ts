// A trading date's session times for TradingSessionStatus(h): start (the pre-open, or the open), open,
// pre-close and close, from the calendar; null for a date without trading.

import type { SessionTimes } from '../../gateway/trading-session-status.js';
import type { TradingCalendar } from './trading-calendar.js';

export function sessionTimes(calendar: TradingCalendar, tradeDate: string): SessionTimes | null {
  if (tradeDate === '') return null;
  const steps = calendar.steps(tradeDate);
  if (steps.length === 0) return null;
  const at = (kind: string): number => steps.find((s) => s.kind === kind)?.at ?? 0;
  const open = at('continuous');
  return { start: at('preOpen') || open, open, preClose: at('preClose'), close: at('closed') };
}
