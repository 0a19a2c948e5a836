import { expect } from 'chai';
import net from 'node:net';
import { RawFixClient } from '../session/support/raw-fix-client.js';
import { RecordingApplication, eventually, sessionConfig, startTestEngine, type TestEngine } from '../session/support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };

function openSocket(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('FIX acceptor: admission control', () => {
  let t: TestEngine | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it('caps connections waiting to log on; a logon frees its place', async () => {
    t = await startTestEngine({
      sessions: [sessionConfig('BROKER')],
      acceptor: { maxUnauthenticatedConnections: 3, maxUnauthenticatedPerAddress: 3 },
    });
    const idle = [await openSocket(t.port), await openSocket(t.port)];
    const client = await RawFixClient.connect(t.port, broker);
    await eventually(() => t!.engine.admissionStats()[0]!.unauthenticated === 3, 'three waiting');
    const refused = await openSocket(t.port);
    await refused.closed;
    expect(t.engine.admissionStats()[0]).to.include({ refusedTooMany: 1 });
    client.logon();
    await client.next();
    await eventually(() => t!.engine.admissionStats()[0]!.unauthenticated === 2, 'the logged-on one no longer counts');
    const admitted = await openSocket(t.port);
    await eventually(() => t!.engine.admissionStats()[0]!.unauthenticated === 3, 'a new one admitted');
    expect(admitted.socket.destroyed).to.equal(false);
    expect(t.logger.text()).to.contain('FIX connection refused: too many connections waiting to log on (3)');
    for (const s of [...idle, admitted]) s.socket.destroy();
    client.close();
  });

  it('caps waiting connections per remote address', async () => {
    t = await startTestEngine({
      sessions: [sessionConfig('BROKER')],
      acceptor: { maxUnauthenticatedConnections: 100, maxUnauthenticatedPerAddress: 2 },
    });
    const ok = [await openSocket(t.port), await openSocket(t.port)];
    const third = await openSocket(t.port);
    await third.closed;
    expect(t.engine.admissionStats()[0]).to.include({ refusedPerAddress: 1 });
    expect(t.logger.text()).to.contain('too many connections waiting to log on from 127.0.0.1 (2)');
    for (const s of ok) s.socket.destroy();
  });

  it('closes a connection that does not log on within the logon timeout, and says why', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], acceptor: { logonTimeoutMs: 150 } });
    const idle = await openSocket(t.port);
    idle.socket.write('8=FIX.4.4\x019=70\x0135=A\x0134=1'); // half a Logon, never finished
    await idle.closed;
    expect(t.engine.admissionStats()[0]).to.include({ logonTimeouts: 1, unauthenticated: 0 });
    expect(t.logger.text()).to.contain('FIX connection closed: no logon within the logon timeout');
  });

  it('cuts off a counterparty that stops reading (slow consumer) instead of buffering without bound', async () => {
    const app = new RecordingApplication();
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app, acceptor: { maxOutboundBytes: 256 * 1024 } });
    const reasons: string[] = [];
    t.engine.events.on('disconnect', (_s, reason) => reasons.push(reason));
    const client = await RawFixClient.connect(t.port, broker);
    client.logon();
    await client.next();
    client.socket.pause();
    const session = t.engine.session('FIX.4.4:VENUE->BROKER')!;
    const text = 'x'.repeat(4000);
    // Keep producing until the engine gives up on the reader (bounded: 200 MB would mean no cap at all).
    for (let i = 0; i < 50_000 && reasons.length === 0; i++) {
      session.send('B', (w) => w.str(148, `n${i}`).group(33, 1).instance().str(58, text).endGroup());
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    await eventually(() => reasons.length > 0, 'slow consumer cut off');
    expect(reasons[0]).to.match(/^slow consumer: \d+ bytes unsent \(limit 262144\)$/);
    expect(session.isLoggedOn).to.equal(false);
    client.close();
  });
});
