// A session's schedule over real sockets, with the schedule clock moved by hand (test/support/manual-clock.ts):
// a Logon outside the window is refused with a Logout saying why, the window's end logs the session out, and a new
// session period starts sequence numbers from 1 (the store was created before the period began). The stores are
// real files created now, long before the clock's 2030 periods: a store from an earlier period, as QuickFIX sees it.

import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionSchedule } from '../../../src/fix/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { RawFixClient } from './support/raw-fix-client.js';
import { sessionConfig, startTestEngine, type TestEngine } from './support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };
const at = (text: string): number => Date.parse(text);
const hms = (h: number, m = 0, s = 0): number => h * 3600 + m * 60 + s;
/** 08:00:00 to 17:00:00 UTC every day. */
const officeHours: SessionSchedule = { timeZone: 'UTC', startTime: hms(8), endTime: hms(17) };

describe('FIX session schedule over sockets', () => {
  let t: TestEngine | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  async function start(schedule: SessionSchedule, clock: ManualClock): Promise<TestEngine> {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER', { schedule })], engine: { scheduleClock: clock } });
    return t;
  }

  async function logOn(port: number, seq = 1): Promise<RawFixClient> {
    const c = await RawFixClient.connect(port, broker);
    c.seq = seq;
    c.logon();
    const reply = await c.next();
    expect(reply.msgType, reply.raw).to.equal('A');
    return c;
  }

  it('refuses a Logon outside the window with a Logout naming the next start, and accepts one inside it', async () => {
    const clock = new ManualClock(at('2030-01-07T07:59:59Z'));
    const { port, engine, app } = await start(officeHours, clock);
    const early = await RawFixClient.connect(port, broker);
    early.logon();
    const logout = await early.next();
    expect([logout.msgType, logout.get(58)]).to.deep.equal([
      '5',
      'Logon attempt not within session time (next session starts 2030-01-07 08:00:00 UTC)',
    ]);
    await early.closedByPeer();
    expect(app.calls.filter((c) => c.startsWith('logon'))).to.deep.equal([]);
    expect(engine.sessions()[0]!.status).to.equal('disconnected');

    clock.advanceTo(at('2030-01-07T08:00:00Z'));
    const inTime = await logOn(port);
    inTime.close();
  });

  it('logs the session out at the end of the window (EndTime is the last second inside) and disconnects it', async () => {
    const clock = new ManualClock(at('2030-01-07T16:59:00Z'));
    const { port, engine } = await start(officeHours, clock);
    const c = await logOn(port);

    clock.advanceTo(at('2030-01-07T17:00:00.999Z'));
    c.send('1', [[112, 'still-open']]);
    const heartbeat = await c.next();
    expect([heartbeat.msgType, heartbeat.get(112)], 'no Logout before the heartbeat: still in the window').to.deep.equal(['0', 'still-open']);

    clock.advanceTo(at('2030-01-07T17:00:01Z'));
    const logout = await c.next();
    expect([logout.msgType, logout.get(58)]).to.deep.equal(['5', 'End of session time (EndTime 17:00:00 UTC)']);
    c.send('5');
    await c.closedByPeer();
    expect(engine.sessions()[0]!.status).to.equal('disconnected');
  });

  it('refuses a Logon just after EndTime, naming the next day\'s start', async () => {
    const clock = new ManualClock(at('2030-01-07T16:00:00Z'));
    const { port, engine } = await start(officeHours, clock);
    const c = await RawFixClient.connect(port, broker);
    clock.advanceTo(at('2030-01-07T17:00:01Z'));
    c.logon();
    const logout = await c.next();
    expect(logout.get(58)).to.equal('Logon attempt not within session time (next session starts 2030-01-08 08:00:00 UTC)');
    await c.closedByPeer();
    expect(engine.sessions()[0]!.status).to.equal('disconnected');
  });

  it('resets the sequence numbers at the start of a new period while the session is offline', async () => {
    const clock = new ManualClock(at('2030-01-07T09:00:00Z'));
    const { port, engine } = await start(officeHours, clock);
    const c = await logOn(port);
    c.send('1', [[112, 'a']]);
    await c.nextOfType('0');
    c.send('5');
    await c.nextOfType('5');
    await c.closedByPeer();
    const monday = engine.sessions()[0]!;
    expect([monday.nextSenderSeq, monday.nextTargetSeq]).to.deep.equal([4, 4]);

    clock.advanceTo(at('2030-01-08T07:59:59Z'));
    expect(engine.sessions()[0]!.nextTargetSeq, 'between the periods the numbers stay').to.equal(4);
    clock.advanceTo(at('2030-01-08T08:00:00Z'));
    const tuesday = engine.sessions()[0]!;
    expect([tuesday.nextSenderSeq, tuesday.nextTargetSeq]).to.deep.equal([1, 1]);
    const again = await RawFixClient.connect(port, broker);
    again.logon();
    const reply = await again.next();
    expect([reply.msgType, reply.get(34)]).to.deep.equal(['A', '1']);
    again.close();
  });

  it('resets at the next Logon a 24-hour session that was logged on when its new period began', async () => {
    // StartTime = EndTime: a new period every day at 17:00 with no gap, so the session is still connected at the edge.
    const clock = new ManualClock(at('2030-01-07T12:00:00Z'));
    const { port, engine } = await start({ timeZone: 'UTC', startTime: hms(17), endTime: hms(17) }, clock);
    const c = await logOn(port);
    c.send('1', [[112, 'a']]);
    await c.nextOfType('0');

    clock.advanceTo(at('2030-01-07T17:00:00Z'));
    const logout = await c.next();
    expect([logout.msgType, logout.get(58)]).to.deep.equal(['5', 'End of session time (EndTime 17:00:00 UTC)']);
    c.send('5');
    await c.closedByPeer();
    expect(engine.sessions()[0]!.nextTargetSeq, 'connected at the edge: not reset yet').to.equal(4);

    const next = await RawFixClient.connect(port, broker);
    next.logon();
    const reply = await next.next();
    expect([reply.msgType, reply.get(34)], 'the Logon of the new period starts from 1').to.deep.equal(['A', '1']);
    expect(engine.sessions()[0]!.nextTargetSeq).to.equal(2);
    next.close();
  });

  it('resets on start-up a store kept on disk from an earlier period, and keeps one from the current period', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fix-schedule-restart-'));
    try {
      const startIn = async (time: string): Promise<TestEngine> =>
        startTestEngine({ sessions: [sessionConfig('BROKER', { schedule: officeHours })], dir, engine: { scheduleClock: new ManualClock(at(time)) } });
      let e = await startIn('2030-01-07T09:00:00Z');
      const c = await logOn(e.port);
      c.send('5');
      await c.nextOfType('5');
      await c.closedByPeer();
      await e.stop();
      e = await startIn('2030-01-07T16:00:00Z');
      expect(e.engine.sessions()[0]!.nextTargetSeq, 'same period: kept').to.equal(3);
      await e.stop();
      e = await startIn('2030-01-08T09:00:00Z');
      expect([e.engine.sessions()[0]!.nextSenderSeq, e.engine.sessions()[0]!.nextTargetSeq], 'a new period: reset').to.deep.equal([1, 1]);
      await e.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the sequence numbers across logons within one period', async () => {
    const clock = new ManualClock(at('2030-01-07T09:00:00Z'));
    const { port, engine } = await start(officeHours, clock);
    const c = await logOn(port);
    c.send('5');
    await c.nextOfType('5');
    await c.closedByPeer();
    clock.advanceTo(at('2030-01-07T16:00:00Z'));
    const again = await logOn(port, 3);
    expect(engine.sessions()[0]!.nextTargetSeq).to.equal(4);
    again.close();
  });
});
