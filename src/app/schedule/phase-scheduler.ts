// Issues the phase commands of the venue calendar at their times: pre-open, open (continuous), pre-close,
// close and end of day, each as a journaled command (so a replay changes phase at the same point of the order
// flow). The clock is injected: tests move time by hand and fire the timer themselves, nothing sleeps.
//
// Every tick compares where the venue is (its trading date and phase, from the core) with the latest step the
// calendar says is due, and issues the steps between, in order. So a start-up (or a tick after the process
// was stopped for a while) catches up: a day left half-way is finished (its auctions uncross, its Day orders
// expire) and the current day is brought to its phase. A fresh venue (no trading date yet) goes straight to
// the due phase.

import type { EndOfDayCommand, PhaseCommand } from '../../venue/model/commands.js';
import { MarketPhase } from '../../venue/model/enums.js';
import type { StepKind, StepRef, TradingCalendar } from './trading-calendar.js';

export interface SchedulerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  // Unref'd: a pending phase or expiry timer alone does not keep the process alive.
  setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Where the venue is in its trading day (VenueQueries.phase and tradingDay). */
export interface VenueDay {
  phase: MarketPhase;
  tradeDate: string;
  ended: string;
}

export interface PhaseSchedulerOptions {
  calendar: TradingCalendar;
  clock?: SchedulerClock;
  venueDay: () => VenueDay;
  submit: (cmd: PhaseCommand | EndOfDayCommand) => void;
  /** Longest single wait; the timer is re-armed after it (Node timers overflow past ~24.8 days). */
  maxWaitMs?: number;
}

const PHASE_OF: Record<Exclude<StepKind, 'endOfDay'>, MarketPhase> = {
  preOpen: MarketPhase.PreOpen,
  continuous: MarketPhase.Continuous,
  preClose: MarketPhase.PreClose,
  closed: MarketPhase.Closed,
};

export class PhaseScheduler {
  private readonly calendar: TradingCalendar;
  private readonly clock: SchedulerClock;
  private readonly options: PhaseSchedulerOptions;
  private timer: unknown = null;
  private stopped = true;
  /** When the armed timer is due (epoch ms), for ops and tests; 0 when none. */
  nextAt = 0;

  constructor(options: PhaseSchedulerOptions) {
    this.options = options;
    this.calendar = options.calendar;
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.nextAt = 0;
  }

  /** Issues every step due by now that the venue has not had, then waits for the next one. */
  tick(): void {
    if (this.stopped) return;
    this.timer = null;
    const now = this.clock.now();
    const target = this.calendar.lastStepAtOrBefore(now);
    if (target !== null) this.catchUp(target, now);
    this.arm(now);
  }

  private arm(now: number): void {
    const next = this.calendar.nextStepAfter(now);
    if (next === null) {
      this.nextAt = 0;
      return;
    }
    const wait = Math.min(next.at - now, this.options.maxWaitMs ?? 6 * 3_600_000);
    this.nextAt = now + wait;
    this.timer = this.clock.setTimer(() => this.tick(), wait);
  }

  private catchUp(target: StepRef, now: number): void {
    const day = this.options.venueDay();
    if (day.tradeDate === '') {
      // A fresh venue: straight to the due phase (an ended day: closed, and the date marked ended).
      const kind = this.calendar.steps(target.date)[target.index]!.kind;
      if (kind === 'endOfDay') {
        this.issue('closed', target.date, now);
        this.issue('endOfDay', target.date, now);
      } else {
        this.issue(kind, target.date, now);
      }
      return;
    }
    if (day.tradeDate > target.date) return; // the clock went back: never undo a phase
    if (day.tradeDate < target.date) {
      this.finishDay(day, now);
      this.runSteps(target.date, -1, target.index, now);
      return;
    }
    this.runSteps(target.date, this.doneIndex(day), target.index, now);
  }

  /** Index of the last step of the venue's trading date that it has had. */
  private doneIndex(day: VenueDay): number {
    const steps = this.calendar.steps(day.tradeDate);
    if (day.ended === day.tradeDate) return steps.length - 1;
    for (let i = steps.length - 1; i >= 0; i--) {
      const kind = steps[i]!.kind;
      if (kind !== 'endOfDay' && PHASE_OF[kind] === day.phase) return i;
    }
    return -1;
  }

  /** The steps the venue's trading date still owes (a day the calendar no longer lists is simply closed). */
  private finishDay(day: VenueDay, now: number): void {
    if (day.ended === day.tradeDate) return;
    const steps = this.calendar.steps(day.tradeDate);
    if (steps.length === 0) {
      if (day.phase !== MarketPhase.Closed) this.issue('closed', day.tradeDate, now);
      this.issue('endOfDay', day.tradeDate, now);
      return;
    }
    this.runSteps(day.tradeDate, this.doneIndex(day), steps.length - 1, now);
  }

  private runSteps(date: string, after: number, upTo: number, now: number): void {
    const steps = this.calendar.steps(date);
    for (let i = after + 1; i <= upTo && i < steps.length; i++) this.issue(steps[i]!.kind, date, now);
  }

  private issue(kind: StepKind, date: string, now: number): void {
    if (kind === 'endOfDay') {
      this.options.submit({ type: 'endOfDay', time: now, tradeDate: date });
      return;
    }
    this.options.submit({ type: 'phase', time: now, phase: PHASE_OF[kind], symbol: '', tradeDate: date });
  }
}
