// The trading days of the venue calendar as instants: each trading day is a list of steps (pre-open, open,
// pre-close, close, end of day) at local times of the calendar's time zone, skipping weekdays without trading
// and holidays. The scheduler asks which step is the latest due and when the next one is.

import type { CalendarSettings } from '../../config/calendar-section.js';
import { addLocalDays, localParts, localToUtc, weekdayOf } from '../../shared/local-time.js';

export type StepKind = 'preOpen' | 'continuous' | 'preClose' | 'closed' | 'endOfDay';

export interface Step {
  kind: StepKind;
  /** Epoch ms. */
  at: number;
}

export interface StepRef {
  date: string;
  index: number;
  at: number;
}

/** How far to look for a trading day (a calendar with a month of holidays still schedules). */
const SEARCH_DAYS = 40;

export class TradingCalendar {
  constructor(readonly settings: CalendarSettings) {}

  isTradingDay(date: string): boolean {
    return this.settings.days[weekdayOf(date)] !== null && !this.settings.holidays.has(date);
  }

  /** The steps of a local date, in time order; empty when the date has no trading. */
  steps(date: string): Step[] {
    if (!this.isTradingDay(date)) return [];
    const day = this.settings.days[weekdayOf(date)]!;
    const tz = this.settings.timeZone;
    const out: Step[] = [];
    if (day.preOpen >= 0) out.push({ kind: 'preOpen', at: localToUtc(date, day.preOpen, tz) });
    out.push({ kind: 'continuous', at: localToUtc(date, day.open, tz) });
    if (day.preClose >= 0) out.push({ kind: 'preClose', at: localToUtc(date, day.preClose, tz) });
    const close = localToUtc(date, day.close, tz);
    out.push({ kind: 'closed', at: close });
    // End of day right after the close: Day orders expire, the trading date rolls.
    out.push({ kind: 'endOfDay', at: close });
    return out;
  }

  /** The latest step at or before `now`, or null when no trading day in the search window has one. */
  lastStepAtOrBefore(now: number): StepRef | null {
    let date = localParts(now, this.settings.timeZone).date;
    for (let k = 0; k < SEARCH_DAYS; k++, date = addLocalDays(date, -1)) {
      const steps = this.steps(date);
      for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.at <= now) return { date, index: i, at: steps[i]!.at };
    }
    return null;
  }

  /** The first step after `now`, or null when none is in the search window. */
  nextStepAfter(now: number): StepRef | null {
    let date = addLocalDays(localParts(now, this.settings.timeZone).date, -1);
    for (let k = 0; k < SEARCH_DAYS; k++, date = addLocalDays(date, 1)) {
      const steps = this.steps(date);
      for (let i = 0; i < steps.length; i++) if (steps[i]!.at > now) return { date, index: i, at: steps[i]!.at };
    }
    return null;
  }
}
