// Who is asking, and may they: 401 without valid credentials (with WWW-Authenticate, as RFC 6750 asks),
// 403 for a viewer on an operator route. Credentials: `Authorization: Bearer <token>`, or the dashboard login
// cookie on reading routes only.

import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/http-error.js';
import type { Access } from '../http/router.js';
import type { LoginSessions } from './login-sessions.js';
import type { Principal, TokenBook } from './principals.js';

export function authenticate(req: IncomingMessage, access: Access, tokens: TokenBook, logins: LoginSessions): Principal | null {
  if (access === 'public') return null;
  const header = req.headers.authorization;
  let principal: Principal | null = null;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m === null) throw unauthorized('Authorization header must be "Bearer <token>"', 'invalid_request');
    principal = tokens.find(m[1]!);
    if (principal === null) throw unauthorized('unknown or revoked token', 'invalid_token');
  } else if (access === 'viewer') {
    principal = logins.find(req.headers.cookie);
  }
  if (principal === null) {
    throw unauthorized(access === 'operator' ? 'an operator bearer token is required' : 'a bearer token (or a dashboard login) is required');
  }
  if (access === 'operator' && principal.role !== 'operator') {
    throw new HttpError(403, `${principal.name} has role ${principal.role}: this action needs role operator`);
  }
  return principal;
}

function unauthorized(message: string, error?: string): HttpError {
  const challenge = error === undefined ? 'Bearer realm="venue-admin"' : `Bearer realm="venue-admin", error="${error}"`;
  return new HttpError(401, message, undefined, { 'www-authenticate': challenge });
}
