// Who may use the admin API: bearer tokens from the environment, each naming a person (or tool) and a role.
//
//   ADMIN_TOKEN_OPERATOR=<token>          one operator token (audited as "operator")
//   ADMIN_TOKEN_VIEWER=<token>            one viewer token (audited as "viewer")
//   ADMIN_TOKENS=alice:operator:<token>,grafana:viewer:<token>   named tokens, so the audit log says who
//
// Tokens are at least 16 characters. Viewers read everything; operators also act. Tokens are compared as
// SHA-256 digests in constant time, every configured token each time, so timing says nothing about them.

import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'viewer' | 'operator';

export interface Principal {
  name: string;
  role: Role;
}

export interface TokenEnv {
  ADMIN_TOKEN_OPERATOR?: string;
  ADMIN_TOKEN_VIEWER?: string;
  ADMIN_TOKENS?: string;
}

export const MIN_TOKEN_LENGTH = 16;

export class TokenConfigError extends Error {}

interface Credential {
  principal: Principal;
  digest: Buffer;
}

export class TokenBook {
  private readonly credentials: Credential[] = [];

  constructor(entries: readonly { name: string; role: Role; token: string }[]) {
    for (const e of entries) {
      this.credentials.push({ principal: { name: e.name, role: e.role }, digest: digest(e.token) });
    }
  }

  static fromEnv(env: TokenEnv): TokenBook {
    const entries: { name: string; role: Role; token: string }[] = [];
    const single = (variable: string, role: Role, token: string | undefined): void => {
      if (token === undefined || token === '') return;
      requireLength(variable, token);
      entries.push({ name: role, role, token });
    };
    single('ADMIN_TOKEN_OPERATOR', 'operator', env.ADMIN_TOKEN_OPERATOR);
    single('ADMIN_TOKEN_VIEWER', 'viewer', env.ADMIN_TOKEN_VIEWER);
    for (const [i, item] of (env.ADMIN_TOKENS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').entries()) {
      const first = item.indexOf(':');
      const second = item.indexOf(':', first + 1);
      const name = item.slice(0, Math.max(first, 0));
      const role = item.slice(first + 1, second);
      const token = item.slice(second + 1);
      if (first <= 0 || second < 0 || (role !== 'viewer' && role !== 'operator')) {
        throw new TokenConfigError(`ADMIN_TOKENS entry ${i + 1}: expected name:role:token with role viewer or operator`);
      }
      requireLength(`ADMIN_TOKENS entry ${i + 1} (${name})`, token);
      entries.push({ name, role, token });
    }
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.token)) throw new TokenConfigError(`the same admin token is configured twice (for ${e.name})`);
      seen.add(e.token);
    }
    return new TokenBook(entries);
  }

  get size(): number {
    return this.credentials.length;
  }

  /** The principal a token belongs to, or null. */
  find(token: string): Principal | null {
    const d = digest(token);
    let found: Principal | null = null;
    for (const c of this.credentials) if (timingSafeEqual(c.digest, d) && found === null) found = c.principal;
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function requireLength(variable: string, token: string): void {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new TokenConfigError(`${variable}: an admin token must have at least ${MIN_TOKEN_LENGTH} characters`);
  }
}

export function mayAct(principal: Principal): boolean {
  return principal.role === 'operator';
}
