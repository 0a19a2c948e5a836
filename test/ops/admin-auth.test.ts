// Who may do what on the admin API, for every endpoint: no token and a wrong token get 401 with a Bearer
// challenge, a viewer reads but gets 403 on every action, an operator passes. Every action attempt — done or
// refused — lands in the audit trail (API, log file) with who and what.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startOpsHarness, TOKENS, type OpsHarness } from './support/ops-harness.js';

interface Endpoint {
  method: string;
  path: string;
  access: 'viewer' | 'operator';
  /** A body the operator call may send (kept harmless: a validation failure is fine, only auth is under test). */
  body?: unknown;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/api/whoami', access: 'viewer' },
  { method: 'GET', path: '/api/audit', access: 'viewer' },
  { method: 'GET', path: '/api/sessions', access: 'viewer' },
  { method: 'GET', path: '/api/sessions/BROKER1', access: 'viewer' },
  { method: 'POST', path: '/api/sessions/BROKER2/logout', access: 'operator', body: {} },
  { method: 'POST', path: '/api/sessions/BROKER2/disconnect', access: 'operator', body: {} },
  { method: 'POST', path: '/api/sessions/BROKER2/sequence-numbers', access: 'operator', body: {} },
  { method: 'GET', path: '/api/instruments', access: 'viewer' },
  { method: 'GET', path: '/api/instruments/BTCUSDT', access: 'viewer' },
  { method: 'POST', path: '/api/instruments/BTCUSDT/halt', access: 'operator', body: {} },
  { method: 'POST', path: '/api/instruments/NOPE/resume', access: 'operator', body: {} },
  { method: 'GET', path: '/api/books', access: 'viewer' },
  { method: 'GET', path: '/api/books/BTCUSDT', access: 'viewer' },
  { method: 'GET', path: '/api/risk/status', access: 'viewer' },
  { method: 'GET', path: '/api/risk/limits', access: 'viewer' },
  { method: 'GET', path: '/api/risk/limits/effective?firm=BROKER1&account=B1-MAIN&symbol=BTCUSDT', access: 'viewer' },
  { method: 'PUT', path: '/api/risk/limits/firm:BROKER1', access: 'operator', body: {} },
  { method: 'GET', path: '/api/risk/audit', access: 'viewer' },
  { method: 'GET', path: '/api/kill-switches', access: 'viewer' },
  { method: 'POST', path: '/api/kill-switches/firm/BROKER2/on', access: 'operator', body: {} },
  { method: 'POST', path: '/api/kill-switches/firm/BROKER2/off', access: 'operator', body: { reason: 'auth matrix' } },
  { method: 'GET', path: '/api/clearing/queue', access: 'viewer' },
  { method: 'GET', path: '/api/clearing/failed', access: 'viewer' },
  { method: 'POST', path: '/api/clearing/failed/no-such-job/retry', access: 'operator', body: {} },
  { method: 'POST', path: '/api/clearing/reports', access: 'operator', body: {} },
  { method: 'GET', path: '/api/snapshots', access: 'viewer' },
  { method: 'POST', path: '/api/snapshots', access: 'operator', body: {} },
];

describe('ops admin API: authentication and audit', function () {
  this.timeout(30_000);
  let h: OpsHarness;

  before(async () => {
    h = await startOpsHarness({ clearingQueue: 'ops-auth-clearing' });
  });
  after(async () => {
    await h.dispose();
  });

  for (const e of ENDPOINTS) {
    it(`${e.method} ${e.path}: 401 without or with a wrong token, ${e.access === 'operator' ? '403 for a viewer' : '200 for a viewer'}, operator passes`, async () => {
      const none = await h.call(e.method, e.path, { as: 'none', body: e.body });
      expect(none.status, 'no token').to.equal(401);
      expect(none.headers.get('www-authenticate')).to.match(/^Bearer realm="venue-admin"/);
      expect(none.body.error).to.be.a('string');
      const wrong = await h.call(e.method, e.path, { as: 'wrong', body: e.body });
      expect(wrong.status, 'wrong token').to.equal(401);
      expect(wrong.headers.get('www-authenticate')).to.include('error="invalid_token"');
      const viewer = await h.call(e.method, e.path, { as: 'viewer', body: e.body });
      if (e.access === 'operator') {
        expect(viewer.status, 'viewer on an action').to.equal(403);
        expect(viewer.body.error).to.match(/viewer has role viewer: this action needs role operator/);
      } else {
        expect(viewer.status, `viewer read: ${viewer.text}`).to.equal(200);
      }
      const operator = await h.call(e.method, e.path, { as: 'operator', body: e.body });
      expect(operator.status, `operator: ${operator.text}`).to.not.be.oneOf([401, 403]);
      expect(operator.status, `operator: ${operator.text}`).to.be.below(500);
    });
  }

  it('a malformed Authorization header is a 401 that says how to write it', async () => {
    const r = await h.call('GET', '/api/sessions', { as: 'none', headers: { authorization: `Token ${'x'.repeat(20)}` } });
    expect(r.status).to.equal(401);
    expect(r.body.error).to.equal('Authorization header must be "Bearer <token>"');
    expect(r.headers.get('www-authenticate')).to.include('error="invalid_request"');
  });

  it('health, readiness, metrics and the page need no token; unknown paths are 404, wrong methods 405', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/', '/assets/dashboard.js', '/assets/dashboard.css']) {
      expect((await fetch(h.base + path)).status, path).to.equal(200);
    }
    const unknown = await h.call('GET', '/api/nothing-here', { as: 'operator' });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.equal('no such endpoint: /api/nothing-here');
    const method = await h.call('DELETE', '/api/sessions', { as: 'operator' });
    expect(method.status).to.equal(405);
  });

  it('records who did what: done, refused (viewer, bad input) and anonymous attempts, in the API and the file', async () => {
    const done = await h.call('POST', '/api/kill-switches/account/B2-HEDGE/on', { as: 'alice', body: { reason: 'audit test' } });
    expect(done.status).to.equal(200);
    await h.call('POST', '/api/kill-switches/account/B2-HEDGE/off', { as: 'viewer', body: { reason: 'viewer tries' } });
    await h.call('POST', '/api/kill-switches/account/B2-HEDGE/off', { as: 'none', body: { reason: 'anonymous tries' } });
    const bad = await h.call('POST', '/api/kill-switches/account/B2-HEDGE/off', { as: 'operator', raw: '{not json', headers: { 'content-type': 'application/json' } });
    expect(bad.status).to.equal(400);
    const off = await h.call('POST', '/api/kill-switches/account/B2-HEDGE/off', { as: 'operator', body: { reason: 'done testing' } });
    expect(off.status).to.equal(200);

    const { entries } = (await h.call('GET', '/api/audit?limit=5', { as: 'viewer' })).body as { entries: Record<string, unknown>[] };
    const mine = entries.filter((e) => e.target === 'account/B2-HEDGE');
    expect(mine.map((e) => [e.who, e.role, e.action, e.outcome, e.status])).to.deep.equal([
      ['operator', 'operator', 'kill-switch.off', 'done', 200],
      ['operator', 'operator', 'kill-switch.off', 'refused', 400],
      ['anonymous', 'none', 'kill-switch.off', 'refused', 401],
      ['viewer', 'viewer', 'kill-switch.off', 'refused', 403],
      ['alice', 'operator', 'kill-switch.on', 'done', 200],
    ]);
    expect(mine[4]!.params).to.deep.equal({ reason: 'audit test' });
    // Refused attempts keep what they asked for: the body nobody acted on, or its text when it is not JSON.
    expect(mine.slice(1, 4).map((e) => e.params)).to.deep.equal([{ body: '{not json' }, { reason: 'anonymous tries' }, { reason: 'viewer tries' }]);
    expect(mine[2]!.detail).to.match(/operator bearer token is required/);

    await h.ops.audit.flushed();
    const lines = readFileSync(join(h.venue.dir, 'ops-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const fromFile = lines.filter((e) => e.target === 'account/B2-HEDGE').map((e) => `${e.who} ${e.action} ${e.outcome}`);
    expect(fromFile).to.deep.equal([
      'alice kill-switch.on done',
      'viewer kill-switch.off refused',
      'anonymous kill-switch.off refused',
      'operator kill-switch.off refused',
      'operator kill-switch.off done',
    ]);

    // Risk's own audit (written behind to Redis) names the operator too.
    const riskEntries = await eventually(async () => {
      const risk = await h.call('GET', '/api/risk/audit?count=50', { as: 'viewer' });
      const found = (risk.body.entries as Record<string, string>[]).filter((e) => e.scope === 'account:B2-HEDGE').map((e) => `${e.action} ${e.by}`);
      return found.length >= 2 ? found : undefined;
    }, 'the risk audit stream in Redis');
    expect(riskEntries).to.include.members(['kill-on ops:alice', 'kill-off ops:operator']);
  });

  it('dashboard login: a token buys a read-only cookie that never authorises actions', async () => {
    const refused = await fetch(`${h.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'wrong-token-000000000000' }) });
    expect(refused.status).to.equal(401);
    const login = await fetch(`${h.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKENS.operator }) });
    expect(login.status).to.equal(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).to.match(/^ops_session=/);
    const read = await fetch(`${h.base}/api/whoami`, { headers: { cookie } });
    expect(read.status).to.equal(200);
    expect(await read.json()).to.deep.equal({ name: 'operator', role: 'operator' });
    const act = await fetch(`${h.base}/api/instruments/BTCUSDT/halt`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'csrf' }) });
    expect(act.status).to.equal(401);
    expect((await h.call('GET', '/api/instruments/BTCUSDT', { as: 'viewer' })).body.status).to.equal('open');
    const logout = await fetch(`${h.base}/api/logout`, { method: 'POST', headers: { cookie } });
    expect(logout.headers.get('set-cookie')).to.include('Max-Age=0');
    expect((await fetch(`${h.base}/api/whoami`, { headers: { cookie } })).status).to.equal(401);
  });
});
