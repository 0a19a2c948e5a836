// The clocks of a session (QuickFIX's Session::next() without a message), checked about once a second and after
// every message read while logged on: no Logon answer or no Logout answer in time ends the connection; silence gets
// a Heartbeat from us after HeartBtInt, a TestRequest to the peer after 1.2 × HeartBtInt (SessionState has the
// rules) and the disconnect after 2.4 × HeartBtInt.

import type { AdminMessages } from './admin-messages.js';
import type { SessionCore } from './session-core.js';

export class SessionTimers {
  constructor(
    private readonly core: SessionCore,
    private readonly admin: AdminMessages,
  ) {}

  /** Does whatever is due at `now` (epoch ms); nothing while no connection is bound. */
  tick(now: number): void {
    if (!this.core.link) return;
    const s = this.core.state;
    if (!s.receivedLogon) {
      if (s.sentLogon && s.logonTimedOut(now, this.core.config.logonTimeoutSeconds * 1000)) {
        this.core.session.disconnect('Timed out waiting for logon response');
      }
      return;
    }
    if (s.heartBtInt === 0) return;
    if (s.logoutTimedOut(now, this.core.config.logoutTimeoutSeconds * 1000)) {
      this.core.session.disconnect('Timed out waiting for logout response');
      return;
    }
    if (s.withinHeartbeat(now)) return;
    if (s.timedOut(now)) {
      this.core.counters.heartbeatTimeouts++;
      this.core.session.disconnect('Timed out waiting for heartbeat');
    } else if (s.needTestRequest(now)) {
      this.core.host.emit('heartbeatLate', this.core.key, now - s.lastReceivedAt - s.heartBtInt * 1000);
      this.admin.generateTestRequest('TEST', now);
      s.testRequests++;
    } else if (s.needHeartbeat(now)) {
      this.admin.generateHeartbeat(null, now);
    }
  }
}
