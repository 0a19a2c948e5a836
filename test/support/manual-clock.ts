// A scheduler clock moved by hand (src/app/schedule/phase-scheduler.ts): tests advance time and the due timers
// fire in time order, each at its own time. Nothing sleeps.

import type { SchedulerClock } from '../../src/app/schedule/phase-scheduler.js';

/** A clock moved by hand: advance() fires each due timer in time order, at its own time. */
export class ManualClock implements SchedulerClock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private ids = 0;
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  advanceTo(t: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > t) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = t;
  }
}

