import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawFixClient } from './support/raw-fix-client.js';
import { RecordingApplication, sessionConfig, startTestEngine } from './support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };

describe('FIX session: sequence numbers across restarts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-restart-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resumes sequence numbers after a restart and serves a resend of messages sent before it', async () => {
    const app = new RecordingApplication();
    // Every order is answered with an ExecutionReport-like echo of its ClOrdID.
    app.onApp = (session, message) => {
      session.send('8', (w) => {
        w.str(37, `O-${message.getString(11)}`).str(17, `E-${message.getString(11)}`).char(150, '0').char(39, '0');
        w.str(55, 'BTCUSDT').char(54, '1').str(151, '1').str(14, '0').str(6, '0').str(11, message.getString(11)!);
      });
    };
    const first = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir, app });
    const client = await RawFixClient.connect(first.port, broker);
    client.logon();
    expect((await client.next()).msgType).to.equal('A');
    for (const id of ['a', 'b', 'c']) {
      client.send('D', [[11, id], [21, '1'], [55, 'BTCUSDT'], [54, '1'], [60, '20240101-00:00:00'], [38, '1'], [40, '1']]);
    }
    const reports = [await client.next(), await client.next(), await client.next()];
    expect(reports.map((r) => [r.msgType, r.get(34), r.get(11)])).to.deep.equal([
      ['8', '2', 'a'],
      ['8', '3', 'b'],
      ['8', '4', 'c'],
    ]);
    client.send('5');
    expect((await client.next()).msgType).to.equal('5');
    await client.closedByPeer();
    await first.stop();

    const second = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir, app: new RecordingApplication() });
    const again = await RawFixClient.connect(second.port, broker);
    again.seq = client.seq;
    again.logon();
    const logon = await again.next();
    expect(logon.msgType).to.equal('A');
    expect(logon.get(34), 'the restarted engine continues after the Logout it sent (seq 5)').to.equal('6');
    // Ask for everything from seq 1: Logon gap-filled, the three reports resent from the store on disk.
    again.send('2', [[7, '1'], [16, '0']]);
    const gapFill = await again.next();
    expect([gapFill.msgType, gapFill.get(34), gapFill.get(36), gapFill.get(123), gapFill.get(43)]).to.deep.equal(['4', '1', '2', 'Y', 'Y']);
    const resent = [await again.next(), await again.next(), await again.next()];
    expect(resent.map((r) => [r.msgType, r.get(34), r.get(11), r.get(43)])).to.deep.equal([
      ['8', '2', 'a', 'Y'],
      ['8', '3', 'b', 'Y'],
      ['8', '4', 'c', 'Y'],
    ]);
    for (let i = 0; i < 3; i++) {
      expect(resent[i]!.get(122), 'OrigSendingTime is the original SendingTime').to.equal(reports[i]!.get(52));
    }
    // The Logout (5) and the Logon (6) are admin: one gap fill to 7.
    const tail = await again.next();
    expect([tail.msgType, tail.get(34), tail.get(36)]).to.deep.equal(['4', '5', '7']);
    again.close();
    await second.stop();
  });

  it('keeps the expected incoming sequence number across a restart and asks for what it missed', async () => {
    const first = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir });
    const client = await RawFixClient.connect(first.port, broker);
    client.logon();
    await client.next();
    client.send('0');
    client.send('0');
    client.send('5');
    expect((await client.nextOfType('5')).msgType).to.equal('5');
    await first.stop();
    expect(client.seq).to.equal(5);

    const second = await startTestEngine({ sessions: [sessionConfig('BROKER')], dir });
    expect(second.engine.sessions()[0]!.nextTargetSeq).to.equal(5);
    const again = await RawFixClient.connect(second.port, broker);
    again.seq = 8; // three messages "lost" on our side
    again.logon();
    expect((await again.next()).msgType).to.equal('A');
    const resendRequest = await again.next();
    expect([resendRequest.msgType, resendRequest.get(7), resendRequest.get(16)]).to.deep.equal(['2', '5', '0']);
    again.close();
    await second.stop();
  });

  it('streams a resend larger than the outbound limit from disk, in order, with later output behind it', async function () {
    this.timeout(30_000);
    const t = await startTestEngine({
      sessions: [sessionConfig('BROKER', { resendCacheSize: 0 })],
      dir,
      acceptor: { maxOutboundBytes: 1024 * 1024 },
    });
    try {
      const client = await RawFixClient.connect(t.port, broker);
      client.logon();
      await client.next();
      const session = t.engine.session('FIX.4.4:VENUE->BROKER')!;
      const text = 'y'.repeat(1000);
      // 16 MB: more than the kernel's socket buffers on both ends can swallow, so only a resend that waits for the
      // reader stays under the 1 MB outbound limit.
      const total = 15_000;
      for (let sent = 0; sent < total; sent += 250) {
        for (let i = sent; i < sent + 250; i++) session.send('B', (w) => w.str(148, `h${i}`).group(33, 1).instance().str(58, text).endGroup());
        for (let i = 0; i < 250; i++) await client.next();
      }
      client.send('2', [[7, '2'], [16, '0']]);
      client.send('1', [[112, 'after-resend']]);
      // Stop reading for a while: everything pushed at once would trip the slow-consumer limit.
      client.socket.pause();
      await new Promise((r) => setTimeout(r, 500));
      expect(session.isLoggedOn, 'still connected while the reader paused').to.equal(true);
      client.socket.resume();
      for (let i = 0; i < total; i++) {
        const m = await client.next();
        expect([m.msgType, m.get(34), m.get(148), m.get(43)]).to.deep.equal(['B', String(i + 2), `h${i}`, 'Y']);
      }
      const hb = await client.next();
      expect([hb.msgType, hb.get(112)]).to.deep.equal(['0', 'after-resend']);
      expect(session.isLoggedOn, 'never cut off as a slow consumer').to.equal(true);
      client.close();
    } finally {
      await t.stop();
    }
  });
});
