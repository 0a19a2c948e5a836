import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionHandle } from '../../../src/fix/index.js';
import { RecordingApplication, eventually, sessionConfig, startTestEngine, type TestEngine } from '../session/support/test-engine.js';
import { restartablePort } from '../../support/ports.js';
import { startInitiator, type TestInitiator } from './support.js';

const INITIATOR_KEY = 'FIX.4.4:BROKER->VENUE';

describe('FIX initiator', () => {
  let acceptor: TestEngine | null = null;
  let initiator: TestInitiator | null = null;
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-init-'));
  });
  afterEach(async () => {
    await initiator?.engine.stop(0);
    await acceptor?.stop();
    await rm(dir, { recursive: true, force: true });
    acceptor = null;
    initiator = null;
  });

  it('reconnects with a doubling backoff up to its ceiling, then logs on once the venue is up, and backs off from the start again after a logon', async () => {
    // Nothing listens there until the acceptor starts: a port no outgoing connection can be given meanwhile.
    const port = await restartablePort();
    initiator = await startInitiator(
      { host: '127.0.0.1', port, reconnectMinMs: 20, reconnectMaxMs: 160, jitter: 0 },
      join(dir, 'initiator'),
    );
    const delays: number[] = [];
    initiator.engine.events.on('reconnect', (_s, delay) => delays.push(delay));
    await eventually(() => delays.length >= 6, 'six reconnect attempts');
    expect(delays.slice(0, 6)).to.deep.equal([20, 40, 80, 160, 160, 160]);

    acceptor = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir: join(dir, 'acceptor'), acceptor: { port } });
    await eventually(() => initiator!.app.calls.includes(`logon ${INITIATOR_KEY}`), 'initiator logged on', 15_000);
    const before = delays.length;
    // The venue drops the connection: the initiator comes back after the first (shortest) delay.
    acceptor.engine.session('FIX.4.4:VENUE->BROKER')!.disconnect('test: venue drops the line');
    await eventually(() => delays.length > before, 'a reconnect after the drop');
    expect(delays[before]).to.equal(20);
    await eventually(() => initiator!.app.calls.filter((c) => c.startsWith('logon')).length === 2, 'logged on again');
  });

  it('recovers messages sent while it was away: its Logon answer is ahead, so it asks for a resend', async () => {
    let venueSide: SessionHandle | undefined;
    const venueApp = new RecordingApplication();
    venueApp.onCreate = (s) => {
      venueSide = s;
    };
    acceptor = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir: join(dir, 'acceptor'), app: venueApp });
    const config = { host: '127.0.0.1', port: acceptor.port, reconnectMinMs: 20 };
    initiator = await startInitiator(config, join(dir, 'initiator'));
    await eventually(() => initiator!.app.calls.includes(`logon ${INITIATOR_KEY}`), 'logged on');
    await initiator.engine.stop(2000);
    await eventually(() => !venueSide!.isLoggedOn, 'logged out');

    for (const id of ['r1', 'r2']) venueSide!.send('B', (w) => w.str(148, id).group(33, 1).instance().str(58, 'text').endGroup());
    initiator = await startInitiator(config, join(dir, 'initiator'));
    await eventually(() => initiator!.app.received.length === 2, 'both messages delivered after the resend');
    expect(initiator.app.received.map((m) => /\|148=(\w+)\|/.exec(m.raw)?.[1])).to.deep.equal(['r1', 'r2']);
    expect(initiator.app.received.every((m) => m.raw.includes('|43=Y|'))).to.equal(true);
    const [mine] = initiator.engine.sessions();
    expect(mine!.counters.resendRequestsSent).to.equal(1);
    expect(mine!.nextTargetSeq).to.equal(venueSide!.nextSenderSeq);
  });

  it('gives up on a venue that never answers its Logon (logon timeout) and tries again', async () => {
    const silent = net.createServer((s) => s.on('data', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const { initiatorSession } = await import('./support.js');
      initiator = await startInitiator(
        { host: '127.0.0.1', port, reconnectMinMs: 20, jitter: 0, session: initiatorSession({ logonTimeoutSeconds: 1 }) },
        join(dir, 'initiator'),
      );
      const reasons: string[] = [];
      initiator.engine.events.on('disconnect', (_s, reason) => reasons.push(reason));
      await eventually(() => reasons.length > 0, 'logon timeout', 15_000);
      expect(reasons[0]).to.equal('Timed out waiting for logon response');
    } finally {
      await initiator?.engine.stop(0);
      initiator = null;
      await new Promise((r) => silent.close(r));
    }
  });
});
