// Issue 2 "Bad input": hostile or broken byte streams get a disconnect (or a FIX answer) with the reason logged,
// the engine does not crash, and a well-behaved logged-on session keeps being served throughout — shown by its
// TestRequest/Heartbeat round trips continuing while the attack is on, not by timing thresholds.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { RawFixClient } from '../session/support/raw-fix-client.js';
import { eventually, sessionConfig, startTestEngine, type TestEngine } from '../session/support/test-engine.js';

const healthyId = { sender: 'HEALTHY', target: 'VENUE' };
const attackerId = { sender: 'ATTACKER', target: 'VENUE' };

/** Keeps a logged-on session busy with TestRequest → Heartbeat round trips and counts them. */
class Pinger {
  roundTrips = 0;
  failure: Error | null = null;
  private running = true;
  private readonly done: Promise<void>;

  constructor(private readonly client: RawFixClient) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      for (let n = 0; this.running; n++) {
        this.client.send('1', [[112, `ping-${n}`]]);
        const answer = await this.client.next(10_000);
        if (answer.msgType !== '0' || answer.get(112) !== `ping-${n}`) throw new Error(`unexpected answer ${answer.raw}`);
        this.roundTrips++;
      }
    } catch (err) {
      this.failure = err as Error;
    }
  }

  /** Waits until `more` further round trips have completed. */
  async advances(more: number): Promise<void> {
    const target = this.roundTrips + more;
    await eventually(() => this.failure !== null || this.roundTrips >= target, `${more} more healthy round trips`, 15_000);
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: net.Socket): Promise<void> {
  return socket.destroyed && socket.readyState === 'closed' ? Promise.resolve() : new Promise((r) => socket.once('close', () => r()));
}

/** How many sockets this process may open (each connection costs two descriptors here: client and server). */
function descriptorLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || 1024;
  } catch {
    return 1024;
  }
}

describe('FIX engine: bad input', function () {
  this.timeout(60_000);
  let t: TestEngine;
  let healthy: RawFixClient;
  let pinger: Pinger;

  before(async () => {
    t = await startTestEngine({
      sessions: [sessionConfig('HEALTHY'), sessionConfig('ATTACKER')],
      acceptor: {
        maxUnauthenticatedConnections: 20_000,
        maxUnauthenticatedPerAddress: 20_000,
        logonTimeoutMs: 1500,
        maxJunkBytes: 64 * 1024,
      },
    });
    healthy = await RawFixClient.connect(t.port, healthyId);
    healthy.logon();
    expect((await healthy.next()).msgType).to.equal('A');
    pinger = new Pinger(healthy);
  });

  after(async () => {
    await pinger.stop();
    healthy.close();
    await t.stop();
  });

  afterEach(async () => {
    // Whatever the test threw at the engine, the healthy session is still answered.
    await pinger.advances(3);
  });

  const attackerLoggedOn = async (heartBtInt = 30): Promise<RawFixClient> => {
    await eventually(() => !t.engine.session('FIX.4.4:VENUE->ATTACKER')!.isLoggedOn, 'attacker session free');
    const c = await RawFixClient.connect(t.port, attackerId);
    c.seq = t.engine.session('FIX.4.4:VENUE->ATTACKER')!.nextTargetSeq;
    c.logon(heartBtInt);
    expect((await c.next()).msgType).to.equal('A');
    return c;
  };

  it('garbage bytes before a logon: disconnected, reason logged', async () => {
    const s = await connectRaw(t.port);
    s.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x41, 0x0a, 0x02]));
    await closed(s);
    expect(t.logger.text()).to.contain('FIX connection refused: invalid data before logon: garbage');
  });

  it('a few stray bytes after logon are skipped (as QuickFIX does); the session goes on', async () => {
    const c = await attackerLoggedOn();
    c.sendRaw('\x00\xffjunk\r\n');
    c.send('1', [[112, 'after-junk']]);
    expect((await c.next()).get(112)).to.equal('after-junk');
    expect(t.engine.session('FIX.4.4:VENUE->ATTACKER')!.isLoggedOn).to.equal(true);
    c.send('5');
    await c.nextOfType('5');
  });

  it('a 10 MB line with no SOH: disconnected as soon as it exceeds the limits, before or after logon', async () => {
    const tenMb = Buffer.alloc(10 * 1024 * 1024, 0x41);
    const before = await connectRaw(t.port);
    before.write(tenMb);
    await closed(before);

    const c = await attackerLoggedOn();
    c.sendRaw(Buffer.concat([Buffer.from('8=FIX.4.4'), tenMb]));
    const logout = await c.nextOfType('5');
    expect(logout.get(58)).to.match(/^message too large: no BodyLength\(9\) within 65536 bytes$/);
    await c.closedByPeer();

    const d = await attackerLoggedOn();
    d.sendRaw(tenMb);
    expect((await d.nextOfType('5')).get(58)).to.equal('more than 65536 bytes in a row that are not FIX');
    await d.closedByPeer();
    expect(t.logger.text()).to.contain('FIX session input cannot be framed');
  });

  it('a BodyLength of 999999999: refused without waiting for the body', async () => {
    const s = await connectRaw(t.port);
    s.write('8=FIX.4.4\x019=999999999\x0135=A\x0134=1\x01');
    await closed(s);
    expect(t.logger.text()).to.match(/invalid data before logon: message too large: BodyLength\(9\)=999999999 exceeds the 65536-byte limit/);
    const c = await attackerLoggedOn();
    c.sendRaw('8=FIX.4.4\x019=999999999\x0135=0\x01');
    expect((await c.nextOfType('5')).get(58)).to.contain('BodyLength(9)=999999999 exceeds');
    await c.closedByPeer();
  });

  it('messages split one byte per write are read normally', async () => {
    await eventually(() => !t.engine.session('FIX.4.4:VENUE->ATTACKER')!.isLoggedOn, 'attacker session free');
    const c = await RawFixClient.connect(t.port, attackerId);
    c.seq = t.engine.session('FIX.4.4:VENUE->ATTACKER')!.nextTargetSeq;
    const captured: Buffer[] = [];
    const realWrite = c.socket.write.bind(c.socket);
    // Capture what the client would send, then dribble it out one byte per write, one event-loop turn apart.
    (c.socket as { write: unknown }).write = (b: Buffer) => captured.push(Buffer.from(b));
    c.logon();
    c.send('1', [[112, 'dribbled']]);
    (c.socket as { write: unknown }).write = realWrite;
    const bytes = Buffer.concat(captured);
    for (let i = 0; i < bytes.length; i++) {
      c.socket.write(bytes.subarray(i, i + 1));
      await new Promise((r) => setImmediate(r));
    }
    expect((await c.next()).msgType).to.equal('A');
    expect((await c.next()).get(112)).to.equal('dribbled');
    c.send('5');
    await c.nextOfType('5');
  });

  it('a slow client that never finishes a frame: the logon timeout before logon, the heartbeat timeout after', async () => {
    const s = await connectRaw(t.port);
    s.write('8=FIX.4.4\x019=200\x0135=A\x01');
    await closed(s);
    expect(t.logger.text()).to.contain('no logon within the logon timeout');

    const reasons: string[] = [];
    const onDisconnect = (session: string, reason: string): void => {
      if (session === 'FIX.4.4:VENUE->ATTACKER') reasons.push(reason);
    };
    t.engine.events.on('disconnect', onDisconnect);
    const c = await attackerLoggedOn(1);
    c.sendRaw('8=FIX.4.4\x019=60\x0135=0\x0134=');
    await c.closedByPeer(6000);
    t.engine.events.off('disconnect', onDisconnect);
    expect(reasons).to.deep.equal(['Timed out waiting for heartbeat']);
    const got = c.pending().map((m) => m.msgType);
    expect(got, 'it was warned with a TestRequest first').to.include('1');
  });

  it('thousands of connections that never log on: the healthy session keeps its round trips, all of them are closed', async () => {
    // Its own engine: opening a few thousand connections takes seconds on a small VM, so the logon timeout here
    // must outlast the opening for "all of them waiting at once" to happen.
    const flood = await startTestEngine({
      sessions: [sessionConfig('HEALTHY')],
      acceptor: { maxUnauthenticatedConnections: 20_000, maxUnauthenticatedPerAddress: 20_000, logonTimeoutMs: 5000 },
    });
    const client = await RawFixClient.connect(flood.port, healthyId);
    client.logon();
    await client.next();
    const floodPinger = new Pinger(client);
    try {
      const count = Math.min(2000, Math.floor((descriptorLimit() - 300) / 2));
      const sockets: net.Socket[] = [];
      for (let i = 0; i < count; i += 500) {
        sockets.push(...(await Promise.all(Array.from({ length: Math.min(500, count - i) }, () => connectRaw(flood.port)))));
      }
      await eventually(() => flood.engine.admissionStats()[0]!.unauthenticated >= count, `${count} connections waiting`);
      // While all of them sit there, the healthy session is served as usual.
      await floodPinger.advances(20);
      expect(flood.engine.admissionStats()[0]!.unauthenticated).to.be.at.least(count);
      await Promise.all(sockets.map(closed));
      expect(flood.engine.admissionStats()[0]!.logonTimeouts).to.be.at.least(count);
      expect(flood.logger.text()).to.contain('no logon within the logon timeout');
      expect(flood.logger.text(), 'the flood is summarised in the log, not logged line by line').to.contain('suppressedSinceLast');
      await floodPinger.advances(3);
      expect(flood.engine.sessions()[0]!.status).to.equal('logged-on');
    } finally {
      await floodPinger.stop();
      client.close();
      await flood.stop();
    }
  });
});
