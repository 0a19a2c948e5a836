// GTD orders expire when their time comes: the core expires them on a `time` command (in order-id order), so
// this timer issues one, journaled like any command, whenever the earliest live GTD expiry is due. It looks
// again at least every `intervalMs`, so an order entered with an earlier expiry than the one waited for is
// still expired within that interval. Nothing is issued while no GTD order is due.

import type { TimeCommand } from '../../venue/model/commands.js';
import { systemClock, type SchedulerClock } from './phase-scheduler.js';

export interface GtdExpiryOptions {
  clock?: SchedulerClock;
  /** Earliest live GTD expiry, 0 for none (VenueQueries.nextGtdExpiry). */
  nextExpiry: () => number;
  submit: (cmd: TimeCommand) => void;
  intervalMs?: number;
}

export class GtdExpiryTimer {
  private readonly clock: SchedulerClock;
  private readonly interval: number;
  private timer: unknown = null;
  private running = false;

  constructor(private readonly options: GtdExpiryOptions) {
    this.clock = options.clock ?? systemClock;
    this.interval = options.intervalMs ?? 1000;
  }

  start(): void {
    this.running = true;
    this.check();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private check(): void {
    if (!this.running) return;
    this.timer = null;
    const now = this.clock.now();
    let due = this.options.nextExpiry();
    if (due > 0 && due <= now) {
      this.options.submit({ type: 'time', time: now });
      due = this.options.nextExpiry();
    }
    const wait = due > now ? Math.min(due - now, this.interval) : this.interval;
    this.timer = this.clock.setTimer(() => this.check(), wait);
  }
}
