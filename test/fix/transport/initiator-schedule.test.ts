// An initiator with a session schedule (its clock moved by hand): it does not connect outside the window, logs on
// once the window opens, logs out at its end and then waits for the next window instead of reconnecting.

import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../support/manual-clock.js';
import { eventually, sessionConfig, startTestEngine, type TestEngine } from '../session/support/test-engine.js';
import { initiatorSession, startInitiator, type TestInitiator } from './support.js';

const at = (text: string): number => Date.parse(text);
const WAITING = 'FIX initiator waiting for its session time';

describe('FIX initiator with a session schedule', () => {
  let acceptor: TestEngine | null = null;
  let initiator: TestInitiator | null = null;
  let dir = '';
  afterEach(async () => {
    await initiator?.engine.stop(0);
    await acceptor?.stop();
    await rm(dir, { recursive: true, force: true });
    acceptor = null;
    initiator = null;
  });

  it('connects only inside its window and logs out at the end of it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-init-schedule-'));
    acceptor = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir: join(dir, 'acceptor') });
    const clock = new ManualClock(at('2030-01-07T07:59:00Z'));
    const schedule = { timeZone: 'Europe/Paris', startTime: 9 * 3600, endTime: 18 * 3600 }; // 08:00-17:00 UTC in winter
    initiator = await startInitiator(
      { host: '127.0.0.1', port: acceptor.port, reconnectMinMs: 10, session: initiatorSession({ schedule }) },
      join(dir, 'initiator'),
      { scheduleClock: clock },
    );
    const waits = (): number => initiator!.logger.lines.filter((l) => l.message === WAITING).length;
    await eventually(() => waits() === 1, 'the initiator holding back before 09:00 Paris time');
    expect(acceptor.engine.admissionStats()[0]!.unauthenticated, 'no connection made').to.equal(0);
    expect(acceptor.app.calls.filter((c) => c.startsWith('logon'))).to.deep.equal([]);

    clock.advanceTo(at('2030-01-07T08:00:00Z'));
    await eventually(() => acceptor!.app.calls.includes('logon FIX.4.4:VENUE->BROKER'), 'logged on inside the window');

    clock.advanceTo(at('2030-01-07T17:00:01Z'));
    await eventually(() => initiator!.app.calls.some((c) => c.startsWith('logout')), 'logged out at the end of the window');
    await eventually(() => waits() === 2, 'waiting for the next window');
    expect(acceptor.app.calls.filter((c) => c.startsWith('logon')), 'no logon after the window').to.have.length(1);
  });
});
