// Admin API actions against a real venue, real risk engine (own redis-server) and real BullMQ clearing: each
// action's effect is checked where a member or ops would see it — FIX execution reports, the book, the queue.

import { expect } from 'chai';
import { Queue } from 'bullmq';
import { tradeDateOf } from '../../src/records/index.js';
import type { FixTestClient } from '../support/fix-test-client.js';
import { eventually, startOpsHarness, type OpsHarness } from './support/ops-harness.js';
import { limitOrder } from './support/orders.js';

const QUEUE = 'ops-actions-clearing';

describe('ops admin API: instruments, books, risk and clearing', function () {
  this.timeout(30_000);
  let h: OpsHarness;
  let b1: FixTestClient;
  let b2: FixTestClient;
  let seq = 0;
  const id = (prefix: string): string => `${prefix}-${++seq}`;

  before(async () => {
    h = await startOpsHarness({ clearingQueue: QUEUE });
    b1 = await h.venue.logon('BROKER1');
    b2 = await h.venue.logon('BROKER2');
  });
  after(async () => {
    await h.dispose();
  });

  describe('instruments and books', () => {
    it('shows the book level by level and the top of every book, as exact decimals', async () => {
      const a = id('BK');
      const b = id('BK');
      b1.send('D', limitOrder(a, '1', '0.5', '59990.50'));
      b1.send('D', limitOrder(b, '1', '0.25', '59990.50'));
      await b1.er(a, '0');
      await b1.er(b, '0');
      const book = await h.call('GET', '/api/books/BTCUSDT?depth=5', { as: 'viewer' });
      expect(book.status).to.equal(200);
      expect(book.body.status).to.equal('open');
      expect((book.body.bids as unknown[])[0]).to.deep.equal({ price: '59990.5', qty: '0.75', orders: 2 });
      const tops = (await h.call('GET', '/api/books', { as: 'viewer' })).body.books as Record<string, unknown>[];
      const btc = tops.find((t) => t.symbol === 'BTCUSDT')!;
      expect(btc.bid).to.deep.equal({ price: '59990.5', qty: '0.75', orders: 2 });
      expect(btc.bidLevels).to.be.at.least(1);
      expect(tops.map((t) => t.symbol)).to.deep.equal(['BTCUSDT', 'ETHUSDT']);
      const inst = await h.call('GET', '/api/instruments/BTCUSDT', { as: 'viewer' });
      expect(inst.body).to.include({ symbol: 'BTCUSDT', status: 'open', phase: 'continuous', indicative: null });
      expect(inst.body.bandHigh).to.be.a('string');
    });

    it('answers unknown instruments with 404 and a bad depth with 422, naming the field', async () => {
      const unknown = await h.call('GET', '/api/books/DOGEUSDT', { as: 'viewer' });
      expect(unknown.status).to.equal(404);
      expect(unknown.body).to.deep.equal({ error: 'unknown instrument DOGEUSDT', field: 'symbol' });
      const depth = await h.call('GET', '/api/books/BTCUSDT?depth=ten', { as: 'viewer' });
      expect(depth.status).to.equal(422);
      expect(depth.body.field).to.equal('depth');
      expect(depth.body.error).to.equal(`field 'depth': expected a whole number from 0 to 10000, got "ten"`);
    });

    it('halts an instrument (orders refused with the reason) and resumes it', async () => {
      const halt = await h.call('POST', '/api/instruments/ETHUSDT/halt', { body: { reason: 'exchange news' } });
      expect(halt.status, halt.text).to.equal(202);
      await eventually(async () => (await h.call('GET', '/api/instruments/ETHUSDT', { as: 'viewer' })).body.status === 'halted', 'ETHUSDT halted');
      const refused = id('HALT');
      b1.send('D', limitOrder(refused, '1', '1', '3000.00', 'ETHUSDT'));
      const er = await b1.er(refused, '8');
      expect(er.get(58)).to.match(/halt/i);
      const resume = await h.call('POST', '/api/instruments/ETHUSDT/resume', { body: {} });
      expect(resume.status, resume.text).to.equal(202);
      await eventually(async () => (await h.call('GET', '/api/instruments/ETHUSDT', { as: 'viewer' })).body.status === 'open', 'ETHUSDT open');
      const accepted = id('HALT');
      b1.send('D', limitOrder(accepted, '1', '1', '2990.00', 'ETHUSDT'));
      await b1.er(accepted, '0');
    });

    it('refuses a halt without a reason (400) or of an unknown symbol (404)', async () => {
      const noReason = await h.call('POST', '/api/instruments/BTCUSDT/halt', { body: {} });
      expect(noReason.status).to.equal(400);
      expect(noReason.body.field).to.equal('reason');
      const blank = await h.call('POST', '/api/instruments/BTCUSDT/halt', { body: { reason: 42 } });
      expect(blank.status).to.equal(422);
      expect(blank.body.error).to.match(/field 'reason': expected why trading stops/);
      const unknown = await h.call('POST', '/api/instruments/NOPE/halt', { body: { reason: 'x' } });
      expect(unknown.status).to.equal(404);
      expect((await h.call('GET', '/api/instruments/BTCUSDT', { as: 'viewer' })).body.status).to.equal('open');
    });
  });

  describe('risk', () => {
    it('reads limits and the limits in force for an order, with where each comes from', async () => {
      const all = await h.call('GET', '/api/risk/limits', { as: 'viewer' });
      const scopes = all.body.scopes as { id: string; values: Record<string, string> }[];
      expect(scopes.find((s) => s.id === 'firm:BROKER1')!.values.maxOrderQty).to.equal('50');
      const eff = await h.call('GET', '/api/risk/limits/effective?firm=BROKER1&account=B1-ALGO&symbol=BTCUSDT', { as: 'viewer' });
      expect(eff.status).to.equal(200);
      const limits = eff.body.limits as Record<string, { value: string; level: string } | null>;
      expect(limits.maxOrderQty).to.deep.equal({ value: '5', level: 'instrument' });
      expect(limits.creditLimit).to.deep.equal({ value: '5000000', level: 'account' });
      expect(limits.lossLimit).to.deep.equal({ value: '1000000', level: 'firm' });
      const missing = await h.call('GET', '/api/risk/limits/effective?firm=BROKER1&account=B1-ALGO', { as: 'viewer' });
      expect(missing.status).to.equal(400);
      expect(missing.body.field).to.equal('symbol');
      const unknown = await h.call('GET', '/api/risk/limits/effective?firm=BROKER9&account=B1-ALGO&symbol=BTCUSDT', { as: 'viewer' });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.field).to.equal('firm');
    });

    it('changes a limit at once: an order above it is refused naming the limit, clearing it lets the order in', async () => {
      const set = await h.call('PUT', '/api/risk/limits/account:B1-MAIN', { body: { limits: { maxOrderQty: '1' }, reason: 'ops test' } });
      expect(set.status, set.text).to.equal(200);
      const changes = set.body.changes as Record<string, string>[];
      expect(changes).to.have.length(1);
      expect(changes[0]).to.include({ action: 'set-limit', scope: 'account:B1-MAIN', name: 'maxOrderQty', old: '', new: '1', by: 'ops:operator', reason: 'ops test' });
      const big = id('LIM');
      b1.send('D', limitOrder(big, '1', '2', '59000.00'));
      const refused = await b1.er(big, '8');
      expect(refused.get(58)).to.equal('max order qty exceeded: 2 > 1 (account B1-MAIN)');
      const clear = await h.call('PUT', '/api/risk/limits/account:B1-MAIN', { body: { limits: { maxOrderQty: null } } });
      expect(clear.status, clear.text).to.equal(200);
      expect((clear.body.changes as Record<string, string>[])[0]).to.include({ action: 'clear-limit', old: '1', new: '' });
      const again = id('LIM');
      b1.send('D', limitOrder(again, '1', '2', '59000.00'));
      await b1.er(again, '0');
    });

    it('answers bad limit changes with 4xx naming the field, changing nothing', async () => {
      const cases: [string, unknown, number, string, RegExp][] = [
        ['account:B1-MAIN', {}, 400, 'limits', /field 'limits' is required/],
        ['account:B1-MAIN', { limits: 'x' }, 422, 'limits', /an object of limit name/],
        ['account:B1-MAIN', { limits: {} }, 422, 'limits', /at least one limit/],
        ['account:B1-MAIN', { limits: { maxFoo: '1' } }, 422, 'limits.maxFoo', /a limit name \(maxOrderQty/],
        ['account:B1-MAIN', { limits: { maxOrderQty: 5 } }, 422, 'limits.maxOrderQty', /decimal string like "100"/],
        ['account:B1-MAIN', { limits: { priceBandPercent: '120' } }, 422, 'limits.priceBandPercent', /from "0" to "100"/],
        ['desk:B1-MAIN', { limits: { maxOrderQty: '1' } }, 422, 'scope', /firm:<id>, account:<id> or instrument:<account>:<symbol>/],
        ['account:NOBODY', { limits: { maxOrderQty: '1' } }, 422, 'limits', /account:NOBODY not changed/],
      ];
      for (const [scope, body, status, field, message] of cases) {
        const r = await h.call('PUT', `/api/risk/limits/${encodeURIComponent(scope)}`, { body });
        expect(r.status, `${scope} ${JSON.stringify(body)}: ${r.text}`).to.equal(status);
        expect(r.body.field).to.equal(field);
        expect(r.body.error).to.match(message);
      }
      const scopes = (await h.call('GET', '/api/risk/limits', { as: 'viewer' })).body.scopes as { id: string }[];
      expect(scopes.map((s) => s.id)).to.not.include('account:NOBODY');
    });

    it('kill switch: cancels the firm\'s open orders, refuses new ones with the reason, and releases', async () => {
      const resting = id('KILL');
      b2.send('D', limitOrder(resting, '2', '0.1', '61000.00'));
      await b2.er(resting, '0');
      const on = await h.call('POST', '/api/kill-switches/firm/BROKER2/on', { body: { reason: 'runaway algo' } });
      expect(on.status, on.text).to.equal(200);
      expect(on.body).to.deep.equal({ scope: 'firm:BROKER2', on: true, changed: true });
      const cancelled = await b2.er(resting, '4');
      expect(cancelled.get(39)).to.equal('4');
      const listed = (await h.call('GET', '/api/kill-switches', { as: 'viewer' })).body.killSwitches as Record<string, unknown>[];
      expect(listed).to.have.length(1);
      expect(listed[0]).to.deep.include({ scope: { kind: 'firm', id: 'BROKER2' }, reason: 'runaway algo', by: 'ops:operator' });
      const refused = id('KILL');
      b2.send('D', limitOrder(refused, '2', '0.1', '61000.00'));
      expect((await b2.er(refused, '8')).get(58)).to.equal('kill switch on (firm BROKER2): runaway algo');
      const again = await h.call('POST', '/api/kill-switches/firm/BROKER2/on', { body: { reason: 'twice' } });
      expect(again.body.changed).to.equal(false);
      const off = await h.call('POST', '/api/kill-switches/firm/BROKER2/off', { body: { reason: 'fixed' } });
      expect(off.body).to.deep.equal({ scope: 'firm:BROKER2', on: false, changed: true });
      const accepted = id('KILL');
      b2.send('D', limitOrder(accepted, '2', '0.1', '61000.00'));
      await b2.er(accepted, '0');
    });

    it('kill switch on a session; bad scopes and ids get 422/404 naming the field', async () => {
      const on = await h.call('POST', '/api/kill-switches/session/BROKER1/on', { body: { reason: 'session test' } });
      expect(on.status, on.text).to.equal(200);
      expect((await h.call('POST', '/api/kill-switches/session/BROKER1/off', { body: {} })).body.changed).to.equal(true);
      const kind = await h.call('POST', '/api/kill-switches/desk/X/on', { body: { reason: 'r' } });
      expect(kind.status).to.equal(422);
      expect(kind.body).to.deep.equal({ error: `field 'scope': expected one of firm, account, session, got "desk"`, field: 'scope' });
      const who = await h.call('POST', '/api/kill-switches/account/NOBODY/on', { body: { reason: 'r' } });
      expect(who.status).to.equal(404);
      expect(who.body).to.deep.equal({ error: 'unknown account NOBODY', field: 'id' });
      const reason = await h.call('POST', '/api/kill-switches/firm/BROKER1/on', { body: {} });
      expect(reason.status).to.equal(400);
      expect(reason.body.field).to.equal('reason');
      expect((await h.call('GET', '/api/kill-switches', { as: 'viewer' })).body.killSwitches).to.deep.equal([]);
    });

    it('reports risk status', async () => {
      const status = await h.call('GET', '/api/risk/status', { as: 'viewer' });
      expect(status.body).to.include({ redis: 'up', recovering: false });
    });
  });

  describe('clearing', () => {
    it('shows queue depth, lists a job that failed for good, retries it, and 404s unknown jobs', async () => {
      const queue = new Queue(QUEUE, { connection: { url: h.venue.redis.url } });
      try {
        await queue.add('not-a-clearing-job', { purpose: 'ops test' }, { jobId: 'ops-bad-job', attempts: 1 });
        const failed = await eventually(async () => {
          const r = await h.call('GET', '/api/clearing/failed', { as: 'viewer' });
          return (r.body.jobs as Record<string, unknown>[]).find((j) => j.id === 'ops-bad-job');
        }, 'the bad job in the failed set');
        expect(failed).to.include({ name: 'not-a-clearing-job', attemptsMade: 1 });
        expect(failed.failedReason).to.match(/unknown clearing job "not-a-clearing-job"/);
        expect(failed.summary).to.deep.equal({ purpose: 'ops test' });
        const counts = (await h.call('GET', '/api/clearing/queue', { as: 'viewer' })).body.counts as Record<string, number>;
        expect(counts.failed).to.be.at.least(1);
        const retry = await h.call('POST', '/api/clearing/failed/ops-bad-job/retry');
        expect(retry.status, retry.text).to.equal(200);
        expect(retry.body).to.deep.equal({ job: 'ops-bad-job', retried: true });
        // It runs again (and fails again: the worker still does not know it).
        await eventually(async () => ((await queue.getJob('ops-bad-job'))?.attemptsStarted ?? 0) >= 2 && (await queue.getJob('ops-bad-job'))!.isFailed(), 'the retried job to run again');
        const missing = await h.call('POST', '/api/clearing/failed/no-such-job/retry');
        expect(missing.status).to.equal(404);
        expect(missing.body).to.deep.equal({ error: 'no failed clearing job no-such-job', field: 'id' });
      } finally {
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
    });

    it('triggers a clearing report and validates its fields', async () => {
      const today = tradeDateOf(Date.now());
      const r = await h.call('POST', '/api/clearing/reports', { body: { tradeDate: today, firm: 'BROKER1' } });
      expect(r.status, r.text).to.equal(200);
      expect(r.body.report).to.include({ tradeDate: today, firm: 'BROKER1' });
      const date = await h.call('POST', '/api/clearing/reports', { body: { tradeDate: '2024-13-45', firm: 'BROKER1' } });
      expect(date.status).to.equal(422);
      expect(date.body.field).to.equal('tradeDate');
      const firm = await h.call('POST', '/api/clearing/reports', { body: { tradeDate: today, firm: 'NOPE' } });
      expect(firm.status).to.equal(404);
      expect(firm.body).to.deep.equal({ error: 'unknown firm NOPE', field: 'firm' });
      const missing = await h.call('POST', '/api/clearing/reports', { body: { firm: 'BROKER1' } });
      expect(missing.status).to.equal(400);
      expect(missing.body.field).to.equal('tradeDate');
    });
  });
});
