// Admin tokens from the environment: roles, named tokens, and refusals that name the variable at fault.

import { expect } from 'chai';
import { TokenBook, TokenConfigError } from '../../src/ops/auth/principals.js';
import { LoginSessions } from '../../src/ops/auth/login-sessions.js';

describe('ops admin tokens', () => {
  it('reads single and named tokens and finds their principals', () => {
    const book = TokenBook.fromEnv({
      ADMIN_TOKEN_OPERATOR: 'op-0123456789abcdef',
      ADMIN_TOKEN_VIEWER: 'vw-0123456789abcdef',
      ADMIN_TOKENS: 'alice:operator:alice-0123456789ab, grafana:viewer:graf-0123456789abcd',
    });
    expect(book.size).to.equal(4);
    expect(book.find('op-0123456789abcdef')).to.deep.equal({ name: 'operator', role: 'operator' });
    expect(book.find('vw-0123456789abcdef')).to.deep.equal({ name: 'viewer', role: 'viewer' });
    expect(book.find('alice-0123456789ab')).to.deep.equal({ name: 'alice', role: 'operator' });
    expect(book.find('graf-0123456789abcd')).to.deep.equal({ name: 'grafana', role: 'viewer' });
    expect(book.find('op-0123456789abcdeX')).to.equal(null);
    expect(book.find('')).to.equal(null);
  });

  it('refuses short, malformed and duplicate tokens, naming the variable', () => {
    expect(() => TokenBook.fromEnv({ ADMIN_TOKEN_OPERATOR: 'short' })).to.throw(TokenConfigError, /ADMIN_TOKEN_OPERATOR.*16/);
    expect(() => TokenBook.fromEnv({ ADMIN_TOKENS: 'bob:admin:0123456789abcdefgh' })).to.throw(TokenConfigError, /ADMIN_TOKENS entry 1.*viewer or operator/);
    expect(() => TokenBook.fromEnv({ ADMIN_TOKENS: 'no-colons-here-at-all' })).to.throw(TokenConfigError, /name:role:token/);
    expect(() => TokenBook.fromEnv({ ADMIN_TOKENS: 'a:viewer:0123456789abcdefgh,b:operator:0123456789abcdefgh' })).to.throw(TokenConfigError, /twice/);
    expect(TokenBook.fromEnv({}).size).to.equal(0);
  });

  it('keeps dashboard logins until they expire or end', () => {
    let now = 1_000;
    const logins = new LoginSessions(60_000, 2, () => now);
    const a = logins.create({ name: 'alice', role: 'viewer' });
    expect(a.cookie).to.match(/^ops_session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=60$/);
    const header = `other=1; ops_session=${a.id}`;
    expect(logins.find(header)).to.deep.equal({ name: 'alice', role: 'viewer' });
    expect(logins.find('ops_session=forged')).to.equal(null);
    expect(logins.find(undefined)).to.equal(null);
    now += 60_001;
    expect(logins.find(header)).to.equal(null);
    const b = logins.create({ name: 'bob', role: 'operator' });
    expect(logins.end(`ops_session=${b.id}`)).to.include('Max-Age=0');
    expect(logins.find(`ops_session=${b.id}`)).to.equal(null);
  });

  it('drops the oldest login beyond the cap', () => {
    const logins = new LoginSessions(60_000, 2);
    const first = logins.create({ name: 'a', role: 'viewer' });
    logins.create({ name: 'b', role: 'viewer' });
    const third = logins.create({ name: 'c', role: 'viewer' });
    expect(logins.find(`ops_session=${first.id}`)).to.equal(null);
    expect(logins.find(`ops_session=${third.id}`)?.name).to.equal('c');
  });
});
