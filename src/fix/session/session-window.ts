// A session's schedule at work: one timer per session, set for the next edge of its window (the end of the
// current period, or the start of the next one), so nothing is checked per message. At an end the session is
// logged out (or its unfinished connection closed); at a start a store left from an earlier period is reset while
// the session is offline (a connected session is reset at its next Logon, which checks the window too).

import { localTimeText, nextSessionStart, sessionPeriodAt, timeOfDayText, type SessionPeriod, type SessionSchedule } from './session-schedule.js';

/** The clock of the schedules; tests inject one moved by hand. */
export interface ScheduleClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemScheduleClock: ScheduleClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What the session does at the edges of its window. */
export interface WindowEdges {
  /** The period ended: log out with `reason`. */
  closed(reason: string, now: number): void;
  /** A period began. */
  opened(period: SessionPeriod, now: number): void;
}

// setTimeout takes at most 2^31 - 1 ms; a longer wait is taken in steps (each step looks at the window again).
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export class SessionWindow {
  private timer: unknown = null;
  private period: SessionPeriod | null = null;

  constructor(
    readonly schedule: SessionSchedule,
    readonly clock: ScheduleClock,
    private readonly edges: WindowEdges,
  ) {}

  now(): number {
    return this.clock.now();
  }

  periodAt(now: number): SessionPeriod | null {
    return sessionPeriodAt(this.schedule, now);
  }

  /** The Logout text for a Logon outside the window (QuickFIX's words, and when the window opens next). */
  closedText(now: number): string {
    return `Logon attempt not within session time (next session starts ${localTimeText(this.schedule, nextSessionStart(this.schedule, now))})`;
  }

  /** Follows the window from now on; the edge of a period already open when it starts counts as its start. */
  start(): void {
    if (this.timer !== null) return;
    const now = this.clock.now();
    this.period = this.periodAt(now);
    if (this.period) this.edges.opened(this.period, now);
    this.arm(now);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private arm(now: number): void {
    const due = this.period ? this.period.end : nextSessionStart(this.schedule, now);
    this.timer = this.clock.setTimer(() => this.edge(), Math.min(Math.max(due - now, 0), LONGEST_TIMER_MS));
  }

  private edge(): void {
    const now = this.clock.now();
    const was = this.period;
    const is = this.periodAt(now);
    this.period = is;
    if (was && was.start !== is?.start) {
      const { endTime, timeZone } = this.schedule;
      this.edges.closed(`End of session time (EndTime ${timeOfDayText(endTime)} ${timeZone})`, now);
    }
    if (is && was?.start !== is.start) this.edges.opened(is, now);
    this.arm(now);
  }
}
