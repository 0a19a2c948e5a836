// The protocol flags and clocks of one session, with the timer rules of QuickFIX's SessionState: heartbeat when we
// have been quiet for HeartBtInt, TestRequest when the peer has been quiet for 1.2 × (n+1) × HeartBtInt, and
// disconnect at 2.4 × HeartBtInt of silence. Times are epoch milliseconds.

export class SessionState {
  receivedLogon = false;
  sentLogon = false;
  sentLogout = false;
  receivedReset = false;
  sentReset = false;
  /** HeartBtInt in seconds (the counterparty's, for an acceptor). */
  heartBtInt = 0;
  /** TestRequests sent since the peer last said anything. */
  testRequests = 0;
  lastSentAt = 0;
  lastReceivedAt = 0;
  /** Outstanding ResendRequest range we sent (0, 0 when none). */
  resendBegin = 0;
  resendEnd = 0;
  logoutReason = '';

  get isLoggedOn(): boolean {
    return this.receivedLogon && this.sentLogon;
  }

  get resendRequested(): boolean {
    return !(this.resendBegin === 0 && this.resendEnd === 0);
  }

  setResendRange(begin: number, end: number): void {
    this.resendBegin = begin;
    this.resendEnd = end;
  }

  withinHeartbeat(now: number): boolean {
    const hb = this.heartBtInt * 1000;
    return now - this.lastSentAt < hb && now - this.lastReceivedAt < hb;
  }

  timedOut(now: number): boolean {
    return now - this.lastReceivedAt >= 2.4 * this.heartBtInt * 1000;
  }

  needTestRequest(now: number): boolean {
    return now - this.lastReceivedAt >= 1.2 * (this.testRequests + 1) * this.heartBtInt * 1000;
  }

  needHeartbeat(now: number): boolean {
    return now - this.lastSentAt >= this.heartBtInt * 1000 && this.testRequests === 0;
  }

  logonTimedOut(now: number, logonTimeoutMs: number): boolean {
    return now - this.lastReceivedAt >= logonTimeoutMs;
  }

  logoutTimedOut(now: number, logoutTimeoutMs: number): boolean {
    return this.sentLogout && now - this.lastSentAt >= logoutTimeoutMs;
  }

  /** What a disconnect clears (QuickFIX Session::disconnect). */
  clearConnectionFlags(): void {
    this.receivedLogon = false;
    this.sentLogon = false;
    this.sentLogout = false;
    this.receivedReset = false;
    this.sentReset = false;
    this.testRequests = 0;
    this.logoutReason = '';
    this.setResendRange(0, 0);
  }
}
