// The members of a soak run: one soak client + order flow per order-entry session and one drop-copy client
// collecting every ExecID it processes. Reconnecting after a crash and quiescing before the checks live here,
// so every scenario does them the same way.

import type { FixMsg } from '../../support/fix-test-client.js';
import { OrderFlow } from './order-flow.js';
import { DROP_COPY, SOAK_COMPID, SYMBOLS, type SoakConfig } from './soak-config.js';
import { SoakFixClient } from './soak-client.js';
import type { VenueProcess } from './venue-process.js';

/** OrdStatus of an order whose request the venue has not answered yet: pending new, pending replace, pending cancel. */
const PENDING_STATUSES = new Set(['A', 'E', '6']);

export class Fleet {
  readonly flows: OrderFlow[];
  readonly dropCopy: SoakFixClient;
  /** ExecIDs the drop copy processed (status answers excluded), in order. */
  readonly dropCopyExecIds: string[] = [];

  constructor(config: SoakConfig, venue: VenueProcess, opts: { seed: number; heartBtInt?: number; sessions?: number; trace?: boolean }) {
    const sessions = config.sessions.slice(0, opts.sessions ?? config.sessions.length);
    this.flows = sessions.map((s, i) => {
      const client = new SoakFixClient({ port: venue.fixPort, senderCompId: s.id, targetCompId: SOAK_COMPID, password: s.password, heartBtInt: opts.heartBtInt ?? 5, trace: opts.trace });
      return new OrderFlow(client, { symbols: SYMBOLS, seed: opts.seed * 1000 + i, tag: `${s.id}-${opts.seed}` });
    });
    this.dropCopy = new SoakFixClient({ port: venue.fixPort, senderCompId: DROP_COPY, targetCompId: SOAK_COMPID, password: 'pw-dropcopy', heartBtInt: opts.heartBtInt ?? 5, trace: opts.trace });
    this.dropCopy.onApp.push((m: FixMsg) => {
      if (m.type === '8' && m.get(150) !== 'I') this.dropCopyExecIds.push(m.get(17) ?? '');
    });
  }

  get clients(): SoakFixClient[] {
    return [...this.flows.map((f) => f.client), this.dropCopy];
  }

  /** Messages the members sent (orders, cancels, replaces). */
  get ordersSent(): number {
    return this.flows.reduce((n, f) => n + f.stats.sent, 0);
  }

  start(perSecondEach: number): void {
    for (const f of this.flows) f.start(perSecondEach);
  }

  stop(): void {
    for (const f of this.flows) f.stop();
  }

  /**
   * Logs every client on again (retrying while the venue starts) and waits for each to catch up by resend.
   * Resolves with the time at which the last one caught up.
   */
  async reconnectAll(deadlineMs: number): Promise<number> {
    const deadline = Date.now() + deadlineMs;
    await Promise.all(
      this.clients.map(async (c) => {
        for (;;) {
          if (c.state === 'disconnected') {
            if (await c.logon(3000)) {
              try {
                await c.catchUp(Math.max(1000, deadline - Date.now()));
                break;
              } catch {
                // disconnected while catching up: try again
              }
            }
          } else if (c.caughtUp) break;
          if (Date.now() > deadline) throw new Error(`${c.id}: not logged on and caught up within ${deadlineMs} ms (${c.lastCloseReason})`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
    for (const f of this.flows) f.forgetInFlight();
    return Date.now();
  }

  /**
   * Resolves true once no member order waits for an answer (its last report pending new, replace or cancel),
   * checked as reports arrive; false when timeoutMs passes first (the checks then name the orders). A routed
   * order's answer comes from the external venue, so a TestRequest round trip (quiesce) does not wait for it.
   */
  answered(timeoutMs: number): Promise<boolean> {
    const pending = (): boolean => this.flows.some((f) => [...f.orders.values()].some((o) => PENDING_STATUSES.has(o.status)));
    if (!pending()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        for (const f of this.flows) f.client.onApp.splice(f.client.onApp.indexOf(check), 1);
        resolve(ok);
      };
      const check = (): void => {
        if (!pending()) done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      for (const f of this.flows) f.client.onApp.push(check);
    });
  }

  /** Every client has processed everything the venue sent before now (a TestRequest round trip each). */
  async quiesce(): Promise<void> {
    this.stop();
    await Promise.all(this.clients.map((c) => c.roundTrip(15_000)));
    // A second round: answers to the last orders may have caused reports to other sessions (fills).
    await Promise.all(this.clients.map((c) => c.roundTrip(15_000)));
  }

  /** Waits until every client has seen its connection go (after a kill). */
  async allDisconnected(timeoutMs: number): Promise<void> {
    await Promise.all(this.clients.map((c) => c.disconnected(timeoutMs)));
  }

  async logoutAll(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.logout()));
  }
}
