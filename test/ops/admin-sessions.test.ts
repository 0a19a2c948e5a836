// Admin API on FIX sessions, against a real venue and a real FIX client: the table shows what the session
// does, logout and disconnect act on the live connection, sequence numbers change only while logged off (and
// the next logon proves it), and bad requests get a 4xx naming the field.

import { expect } from 'chai';
import type { FixTestClient } from '../support/fix-test-client.js';
import { eventually, startOpsHarness, type OpsHarness } from './support/ops-harness.js';
import { limitOrder } from './support/orders.js';

type Row = Record<string, unknown>;

describe('ops admin API: FIX sessions', function () {
  this.timeout(30_000);
  let h: OpsHarness;

  before(async () => {
    h = await startOpsHarness();
  });
  after(async () => {
    await h.dispose();
  });

  const row = async (id: string): Promise<Row> => {
    const r = await h.call('GET', `/api/sessions/${id}`, { as: 'viewer' });
    expect(r.status, r.text).to.equal(200);
    return r.body;
  };

  it('lists every configured session with role, firm and state', async () => {
    const r = await h.call('GET', '/api/sessions', { as: 'viewer' });
    expect(r.status).to.equal(200);
    const rows = r.body.sessions as Row[];
    expect(rows.map((s) => [s.id, s.role, s.firm, s.state, s.health])).to.deep.equal([
      ['BROKER1', 'order-entry', 'BROKER1', 'disconnected', 'disconnected'],
      ['BROKER2', 'order-entry', 'BROKER2', 'disconnected', 'disconnected'],
      ['COMPLIANCE', 'drop-copy', 'none', 'disconnected', 'disconnected'],
      ['MDFEED', 'market-data', 'none', 'disconnected', 'disconnected'],
    ]);
  });

  it('shows a logged-on session: address, sequence numbers, last message times, counts and open orders', async () => {
    const client = await h.venue.logon('BROKER1');
    try {
      client.send('D', limitOrder('SESS-1', '1', '0.5', '59000.00'));
      client.send('D', limitOrder('SESS-2', '1', '0.25', '58000.00'));
      await client.er('SESS-1', '0');
      await client.er('SESS-2', '0');
      const s = await eventually(async () => {
        const r = await row('BROKER1');
        return r.openOrders === 2 ? r : undefined;
      }, 'two open orders');
      expect(s.state).to.equal('logged-on');
      expect(s.health).to.equal('logged-on');
      expect(s.remoteAddress).to.equal('127.0.0.1');
      expect(s.nextTargetSeq).to.equal(4); // Logon + 2 orders received
      expect(s.nextSenderSeq).to.equal(4); // Logon + 2 execution reports sent
      expect(s.messagesIn).to.equal(3);
      expect(s.messagesOut).to.equal(3);
      expect(s.heartBtInt).to.equal(30);
      expect(Date.parse(s.lastReceivedAt as string)).to.be.closeTo(Date.now(), 10_000);
      expect(Date.parse(s.loggedOnAt as string)).to.be.at.most(Date.parse(s.lastReceivedAt as string));
    } finally {
      await client.logout();
    }
  });

  it('logs a session out: the member gets a Logout with the reason, the table shows it disconnected', async () => {
    const client = await h.venue.logon('BROKER2');
    const r = await h.call('POST', '/api/sessions/BROKER2/logout', { body: { reason: 'end of day maintenance' } });
    expect(r.status, r.text).to.equal(202);
    expect(r.body).to.include({ session: 'BROKER2', requested: 'logout', reason: 'end of day maintenance' });
    const logout = await client.next((m) => m.type === '5');
    expect(logout.get(58)).to.equal('end of day maintenance');
    client.send('5', '');
    await client.waitClosed();
    const before = await row('BROKER2');
    await eventually(async () => (await row('BROKER2')).state === 'disconnected', 'BROKER2 disconnected');
    // Once disconnected it still says when the member was last heard from (its Logout), and is not "silent".
    const after = await row('BROKER2');
    expect(after.lastReceivedAt).to.be.a('string');
    expect(Date.parse(after.lastReceivedAt as string)).to.be.at.least(Date.parse(before.lastReceivedAt as string));
    expect(Date.parse(after.lastReceivedAt as string)).to.be.closeTo(Date.now(), 10_000);
    expect(after.silentMs).to.equal(null);
  });

  it('drops a connection without a Logout', async () => {
    const client = await h.venue.logon('COMPLIANCE');
    const r = await h.call('POST', '/api/sessions/COMPLIANCE/disconnect', { body: { reason: 'stuck peer' } });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.include({ session: 'COMPLIANCE', requested: 'disconnect', reason: 'stuck peer' });
    await client.waitClosed();
    expect(client.received.some((m) => m.type === '5')).to.equal(false);
    expect((await row('COMPLIANCE')).state).to.equal('disconnected');
  });

  it('refuses to log out or drop a session that is not connected (409), and unknown sessions (404)', async () => {
    const logout = await h.call('POST', '/api/sessions/MDFEED/logout', { body: {} });
    expect(logout.status).to.equal(409);
    expect(logout.body.error).to.equal('session MDFEED is not connected');
    const drop = await h.call('POST', '/api/sessions/MDFEED/disconnect');
    expect(drop.status).to.equal(409);
    for (const [method, path] of [
      ['GET', '/api/sessions/NOBODY'],
      ['POST', '/api/sessions/NOBODY/logout'],
      ['POST', '/api/sessions/NOBODY/sequence-numbers'],
    ] as const) {
      const r = await h.call(method, path, { body: method === 'GET' ? undefined : {} });
      expect(r.status, path).to.equal(404);
      expect(r.body).to.deep.equal({ error: 'unknown session NOBODY', field: 'id' });
    }
  });

  it('sets sequence numbers of a logged-off session; the next logon uses them', async () => {
    const set = await h.call('POST', '/api/sessions/MDFEED/sequence-numbers', { body: { nextSenderSeq: 40, nextTargetSeq: 7 } });
    expect(set.status, set.text).to.equal(200);
    expect(set.body).to.deep.equal({ session: 'MDFEED', before: { nextSenderSeq: 1, nextTargetSeq: 1 }, after: { nextSenderSeq: 40, nextTargetSeq: 7 } });
    let client: FixTestClient | null = null;
    try {
      client = await h.venue.logon('MDFEED', { seqNum: 7 });
      const logon = client.received.find((m) => m.type === 'A')!;
      expect(logon.get(34)).to.equal('40');
      expect((await row('MDFEED')).nextTargetSeq).to.equal(8);
      const refused = await h.call('POST', '/api/sessions/MDFEED/sequence-numbers', { body: { nextSenderSeq: 1 } });
      expect(refused.status).to.equal(409);
      expect(refused.body.error).to.equal('session MDFEED is logged-on: sequence numbers can only be set while it is logged off (log it out first)');
    } finally {
      await client?.logout();
    }
  });

  it('answers bad sequence-number requests with 4xx naming the field', async () => {
    const cases: [unknown, number, string, RegExp][] = [
      [{}, 400, 'nextSenderSeq', /nextSenderSeq and\/or nextTargetSeq/],
      [{ nextSenderSeq: 0 }, 422, 'nextSenderSeq', /field 'nextSenderSeq': expected a whole number from 1/],
      [{ nextSenderSeq: '12' }, 422, 'nextSenderSeq', /got "12"/],
      [{ nextTargetSeq: 1.5 }, 422, 'nextTargetSeq', /field 'nextTargetSeq'/],
    ];
    for (const [body, status, field, message] of cases) {
      const r = await h.call('POST', '/api/sessions/BROKER2/sequence-numbers', { body });
      expect(r.status, JSON.stringify(body)).to.equal(status);
      expect(r.body.field).to.equal(field);
      expect(r.body.error).to.match(message);
    }
    const notJson = await h.call('POST', '/api/sessions/BROKER2/sequence-numbers', { raw: 'nextSenderSeq=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).to.equal(415);
    expect(notJson.body.error).to.match(/must be JSON/);
    const garbled = await h.call('POST', '/api/sessions/BROKER2/sequence-numbers', { raw: '{"nextSenderSeq":', headers: { 'content-type': 'application/json' } });
    expect(garbled.status).to.equal(400);
    expect(garbled.body.error).to.match(/not valid JSON/);
    const array = await h.call('POST', '/api/sessions/BROKER2/sequence-numbers', { body: [5] });
    expect(array.status).to.equal(400);
    expect(array.body.error).to.equal('request body must be a JSON object');
    const huge = await h.call('POST', '/api/sessions/BROKER2/sequence-numbers', { raw: JSON.stringify({ pad: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' } });
    expect(huge.status).to.equal(413);
    expect((await row('BROKER2')).nextSenderSeq).to.not.equal(0);
  });
});
