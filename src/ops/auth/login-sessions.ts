// Dashboard logins. A browser cannot put a bearer header on an EventSource (the live stream), and a token
// in a URL ends up in history and proxy logs, so the page trades the token once (POST /api/login) for an
// HttpOnly, SameSite=Strict cookie holding a random session id. The cookie authorises reading only: every
// action still needs the bearer header, so a forged cross-site request can never act.

import { randomBytes } from 'node:crypto';
import type { Principal } from './principals.js';

export const SESSION_COOKIE = 'ops_session';

interface LoginSession {
  principal: Principal;
  expiresAt: number;
}

export class LoginSessions {
  private readonly sessions = new Map<string, LoginSession>();

  constructor(
    private readonly ttlMs = 12 * 3600_000,
    private readonly maxSessions = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  create(principal: Principal): { id: string; cookie: string } {
    if (this.sessions.size >= this.maxSessions) {
      // The oldest login goes first (Map keeps insertion order).
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { principal, expiresAt: this.clock() + this.ttlMs });
    const cookie = `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(this.ttlMs / 1000)}`;
    return { id, cookie };
  }

  find(cookieHeader: string | undefined): Principal | null {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (id === null) return null;
    const s = this.sessions.get(id);
    if (s === undefined) return null;
    if (s.expiresAt <= this.clock()) {
      this.sessions.delete(id);
      return null;
    }
    return s.principal;
  }

  /** Ends the login of this cookie; returns a cookie that clears it in the browser. */
  end(cookieHeader: string | undefined): string {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (id !== null) this.sessions.delete(id);
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
  }
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
