// What an accepted connection talks to until it has logged on: the first frame must be a valid Logon for a
// configured session that is not connected yet, from an allowed address, within the session's logon-attempt rate.
// Anything else closes the connection without a word (QuickFIX's acceptor behaviour), with the reason logged
// (rate-limited) and emitted as a `connectionRefused` event. A good Logon binds the connection to its session.

import { FixParser, ParseStatus, parseStatusText } from '../codec/parser.js';
import type { FixSession } from '../session/fix-session.js';
import { sessionKey } from '../session/session-config.js';
import type { FixConnection, FrameHandler } from '../transport/fix-connection.js';
import type { FixListener } from '../transport/fix-listener.js';
import { TokenBucket } from '../transport/rate-limiter.js';

export interface GateHost {
  refused(remoteAddress: string, reason: string, kind: string): void;
  /** The session's store failed earlier: try to reopen it for the next logon (when the engine is set to). */
  reopenStore(session: FixSession): void;
  /** True while the engine stops: connections that were already open may not log on any more. */
  stopping(): boolean;
}

export class LogonGate implements FrameHandler {
  private readonly parser = new FixParser();
  private readonly limiters = new Map<string, TokenBucket>();

  constructor(
    private readonly sessions: ReadonlyMap<string, FixSession>,
    private readonly listener: FixListener,
    private readonly host: GateHost,
  ) {}

  onFrame(conn: FixConnection, buf: Buffer, start: number, end: number): void {
    const status = this.parser.parse(buf, start, end);
    if (status !== ParseStatus.Ok) {
      this.refuse(conn, `first message is not valid FIX: ${parseStatusText(status)}`, 'invalid');
      return;
    }
    const v = this.parser.view;
    if (v.msgType !== 'A') {
      this.refuse(conn, `first message is not a Logon (MsgType ${v.msgType})`, 'not-logon');
      return;
    }
    // The counterparty's SenderCompID is our TargetCompID.
    const key = sessionKey({
      beginString: v.getString(8) ?? '',
      senderCompId: v.getString(56) ?? '',
      targetCompId: v.getString(49) ?? '',
    });
    const session = this.sessions.get(key);
    if (!session) {
      this.refuse(conn, `no session ${key}`, 'unknown-session');
      return;
    }
    if (this.host.stopping()) {
      this.refuse(conn, `session ${key}: the FIX engine is stopping`, 'stopping');
      return;
    }
    if (session.hasConnection) {
      this.refuse(conn, `session ${key} is already connected from ${session.remoteAddress ?? '?'}`, 'duplicate');
      return;
    }
    const allowed = session.config.allowedAddresses;
    if (allowed.length > 0 && !allowed.includes(conn.remoteAddress)) {
      this.refuse(conn, `address ${conn.remoteAddress} is not allowed for session ${key}`, 'address');
      return;
    }
    if (!this.limiter(session).tryTake()) {
      this.refuse(conn, `too many logon attempts for session ${key}`, 'logon-rate');
      return;
    }
    if (session.storeFailure) {
      // No Logout: it would need a sequence number, and one that cannot be stored would be counted by the
      // counterparty's engine and then handed out again. The reason goes to ops (log, connectionRefused).
      this.host.reopenStore(session);
      this.refuse(conn, `session store unavailable: ${session.storeFailure.message} (session ${key})`, 'store');
      return;
    }
    this.listener.authenticated(conn);
    session.attach(conn);
    session.onFrame(conn, buf, start, end);
  }

  onBadFrame(conn: FixConnection, reason: string): void {
    this.refuse(conn, `invalid data before logon: ${reason}`, 'invalid');
  }

  onFatalFrame(conn: FixConnection, reason: string): void {
    this.refuse(conn, `invalid data before logon: ${reason}`, 'invalid');
  }

  private refuse(conn: FixConnection, reason: string, kind: string): void {
    this.host.refused(conn.remoteAddress, reason, kind);
    conn.end(reason);
  }

  private limiter(session: FixSession): TokenBucket {
    let bucket = this.limiters.get(session.key);
    if (!bucket) {
      bucket = new TokenBucket(session.config.logonAttemptBurst, session.config.logonAttemptsPerSecond);
      this.limiters.set(session.key, bucket);
    }
    return bucket;
  }
}
