// Per-session message throttle: a token bucket refilled at the configured rate (burst = one second's worth).
// A message over the limit is refused with a clear Text; a session that stays over the limit for the
// configured number of consecutive seconds is logged out.

import type { ThrottleSettings } from '../config/settings.js';

export const ThrottleVerdict = { Allow: 0, Refuse: 1, LogOut: 2 } as const;
export type ThrottleVerdict = (typeof ThrottleVerdict)[keyof typeof ThrottleVerdict];

export class SessionThrottle {
  private tokens: number;
  private last = 0;
  /** Start of the current run of seconds with refusals in each. */
  private abuseSince = -1;
  private lastRefusalSecond = -1;

  constructor(private readonly settings: ThrottleSettings) {
    this.tokens = settings.messagesPerSecond;
  }

  get limit(): number {
    return this.settings.messagesPerSecond;
  }

  /** Called per application message at time `now` (ms). */
  admit(now: number): ThrottleVerdict {
    const rate = this.settings.messagesPerSecond;
    if (rate <= 0) return ThrottleVerdict.Allow;
    if (this.last === 0) this.last = now;
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(rate, this.tokens + (elapsed * rate) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      const second = Math.floor(now / 1000);
      // A whole second without refusals ends the abuse run.
      if (this.abuseSince >= 0 && second > this.lastRefusalSecond + 1) this.abuseSince = -1;
      return ThrottleVerdict.Allow;
    }
    const second = Math.floor(now / 1000);
    if (this.abuseSince < 0 || second > this.lastRefusalSecond + 1) this.abuseSince = second;
    this.lastRefusalSecond = second;
    const after = this.settings.logoutAfterSeconds;
    if (after > 0 && second - this.abuseSince >= after) return ThrottleVerdict.LogOut;
    return ThrottleVerdict.Refuse;
  }

  /** Forget history (new logon). */
  reset(): void {
    this.tokens = this.settings.messagesPerSecond;
    this.last = 0;
    this.abuseSince = -1;
    this.lastRefusalSecond = -1;
  }
}
