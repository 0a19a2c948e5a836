import { expect } from 'chai';
import type { FixMessageView } from '../../../src/fix/codec/message-view.js';
import { BusinessRejectReason, SessionRejectReason, SessionStoreError, type SessionHandle } from '../../../src/fix/index.js';
import { RawFixClient } from './support/raw-fix-client.js';
import { RecordingApplication, eventually, sessionConfig, startTestEngine, type TestEngine } from './support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };
const order = (id: string): [number, string][] => [[11, id], [21, '1'], [38, '1'], [40, '1'], [54, '1'], [55, 'X'], [60, '20240101-00:00:00']];

describe('FIX session: application interface', () => {
  let t: TestEngine | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it('sends application messages with the header stamped and fields in QuickFIX order, header fields included', async () => {
    const app = new RecordingApplication();
    app.onApp = (session) => {
      session.send('8', (w) => {
        w.str(55, 'BTCUSDT').str(37, 'O1').str(128, 'DESK').char(97, 'Y').decimal(44, 123450, 2);
        w.group(453, 1).instance().str(448, 'PARTY').char(447, 'D').int(452, 3).endGroup();
        w.str(34, '999'); // session-owned: ignored in favour of the real sequence number
      });
    };
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    c.send('D', order('a'));
    const report = await c.next();
    expect(report.raw).to.match(
      /^8=FIX\.4\.4\|9=\d+\|35=8\|34=2\|49=VENUE\|52=[\d:.-]+\|56=BROKER\|97=Y\|128=DESK\|37=O1\|44=1234\.50\|55=BTCUSDT\|453=1\|448=PARTY\|447=D\|452=3\|10=\d{3}\|$/,
    );
    c.close();
  });

  it('stores messages sent while logged out and delivers them on the next ResendRequest', async () => {
    let handle: SessionHandle | undefined;
    const app = new RecordingApplication();
    app.onLogonHook = (s) => (handle = s);
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    c.send('5');
    await c.nextOfType('5');
    await c.closedByPeer();
    await eventually(() => !handle!.isLoggedOn, 'session logged out');
    const seq = handle!.send('8', (w) => w.str(37, 'while-away').str(17, 'E1'));
    expect(seq).to.equal(3);

    const back = await RawFixClient.connect(t.port, broker);
    back.seq = c.seq;
    back.logon();
    const logon = await back.next();
    expect(logon.get(34)).to.equal('4');
    back.send('2', [[7, '3'], [16, '3']]);
    const resent = await back.next();
    expect([resent.msgType, resent.get(34), resent.get(37), resent.get(43)]).to.deep.equal(['8', '3', 'while-away', 'Y']);
    back.close();
  });

  it('turns an application message into a gap fill when toApp declines to resend it', async () => {
    class DecliningStaleResends extends RecordingApplication {
      toApp(_s: SessionHandle, m: FixMessageView, isResend: boolean): boolean {
        return !(isResend && m.getString(37) === 'stale');
      }
    }
    const app = new DecliningStaleResends();
    app.onApp = (session, message) => session.send('8', (w) => w.str(37, message.getString(11)!).str(17, 'x'));
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    c.send('D', order('stale'));
    c.send('D', order('fresh'));
    await c.next();
    await c.next();
    c.send('2', [[7, '2'], [16, '3']]);
    const gap = await c.next();
    expect([gap.msgType, gap.get(34), gap.get(36)]).to.deep.equal(['4', '2', '3']);
    const resent = await c.next();
    expect([resent.msgType, resent.get(34), resent.get(37)]).to.deep.equal(['8', '3', 'fresh']);
    c.close();
  });

  it('lets fromApp answer with a session Reject or a BusinessMessageReject, each consuming the sequence number once', async () => {
    const app = new RecordingApplication();
    app.onApp = (_s, message, ctx) => {
      if (message.getString(11) === 'bad-field') ctx.reject(SessionRejectReason.ValueIsIncorrect, 54, 'Side not allowed here');
      else ctx.businessReject(BusinessRejectReason.NotAuthorized, 'Trading not allowed', 1);
    };
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    c.send('D', order('bad-field'));
    const reject = await c.next();
    expect([reject.msgType, reject.get(45), reject.get(58), reject.get(371), reject.get(372), reject.get(373)]).to.deep.equal(
      ['3', '2', 'Side not allowed here', '54', 'D', '5'],
    );
    c.send('D', order('other'));
    const bmr = await c.next();
    expect([bmr.msgType, bmr.get(45), bmr.get(58), bmr.get(372), bmr.get(380)]).to.deep.equal(
      ['j', '3', 'Trading not allowed (1)', 'D', '6'],
    );
    c.send('1', [[112, 'seq-check']]);
    const hb = await c.next();
    expect(hb.get(112), 'the TestRequest (seq 4) was in sequence: each reject consumed exactly one').to.equal('seq-check');
    expect(t.engine.sessions()[0]!.nextTargetSeq).to.equal(5);
    c.close();
  });

  it('reports state changes, traffic and rejects through events and sessions()', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const seen: string[] = [];
    const ev = t.engine.events;
    ev.on('status', (s, from, to) => seen.push(`status ${s} ${from}->${to}`));
    ev.on('logon', (s) => seen.push(`logon ${s}`));
    ev.on('logout', (s, reason) => seen.push(`logout ${s} ${reason}`));
    ev.on('sessionReject', (_s, reason, type, dir) => seen.push(`reject ${reason} ${type} ${dir}`));
    let messagesIn = 0;
    ev.on('messageIn', () => messagesIn++);
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.next();
    c.send('0', [[55, 'not-allowed-on-heartbeat']]);
    await c.next();
    c.send('5');
    await c.nextOfType('5');
    await c.closedByPeer();
    await eventually(() => seen.some((l) => l.startsWith('logout')), 'logout event');
    const key = 'FIX.4.4:VENUE->BROKER';
    expect(seen).to.deep.equal([
      `status ${key} disconnected->connected`,
      `status ${key} connected->logged-on`,
      `logon ${key}`,
      'reject 2 0 sent',
      `status ${key} logged-on->logout-sent`,
      `status ${key} logout-sent->disconnected`,
      `logout ${key} counterparty logged out`,
    ]);
    expect(messagesIn).to.equal(3);
    const [info] = t.engine.sessions();
    expect(info).to.include({ key, status: 'disconnected', nextSenderSeq: 4, nextTargetSeq: 4, storeFailure: null });
    expect(info!.counters.messagesIn).to.deep.equal({ A: 1, '0': 1, '5': 1 });
    expect(info!.counters.messagesOut).to.deep.equal({ A: 1, '3': 1, '5': 1 });
    expect(info!.counters.rejectsSent).to.deep.equal({ 2: 1 });
    expect(info!.counters.logons).to.equal(1);
  });

  it('writes the per-session message log (both directions and events) where enabled, and none where switched off', async () => {
    const { mkdtemp, readFile, readdir, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'fix-msglog-'));
    t = await startTestEngine({
      dir,
      sessions: [sessionConfig('BROKER', { messageLog: true }), sessionConfig('QUIET', { messageLog: false })],
    });
    for (const id of [broker, { sender: 'QUIET', target: 'VENUE' }]) {
      const c = await RawFixClient.connect(t.port, id);
      c.logon();
      await c.next();
      c.send('5');
      await c.nextOfType('5');
      await c.closedByPeer();
    }
    await t.stop();
    t = null;
    const text = await readFile(join(dir, 'FIX.4.4-VENUE-BROKER', 'messages.log'), 'latin1');
    expect(text).to.match(/ IN  8=FIX\.4\.4\|9=\d+\|35=A\|34=1\|49=BROKER\|/);
    expect(text).to.match(/ OUT 8=FIX\.4\.4\|9=\d+\|35=A\|34=1\|49=VENUE\|/);
    expect(text).to.contain(' EVT Logon completed');
    expect(text).to.contain(' EVT Disconnecting: counterparty logged out');
    expect(await readdir(join(dir, 'FIX.4.4-VENUE-QUIET'))).to.not.include('messages.log');
    await rm(dir, { recursive: true, force: true });
  });

  it('logs a throwing application callback and carries on; a throwing fromApp gets a BusinessMessageReject', async () => {
    const app = new RecordingApplication();
    app.onLogonHook = () => {
      throw new Error('gateway bug in onLogon');
    };
    app.onApp = () => {
      throw new Error('gateway bug in fromApp');
    };
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    expect((await c.next()).msgType).to.equal('A');
    c.send('D', order('x'));
    const bmr = await c.next();
    expect([bmr.msgType, bmr.get(380), bmr.get(58)]).to.deep.equal(['j', '4', 'Application not available']);
    c.send('1', [[112, 'alive']]);
    expect((await c.next()).get(112)).to.equal('alive');
    expect(t.logger.text()).to.contain('FIX application onLogon failed');
    expect(t.logger.text()).to.contain('gateway bug in fromApp');
    c.close();
  });

  it('refuses send() with SessionStoreError once the store cannot persist, and recovers by reopening the store', async () => {
    const { symlink } = await import('node:fs/promises');
    const { join } = await import('node:path');
    let handle: SessionHandle | undefined;
    const app = new RecordingApplication();
    app.onCreate = (s) => {
      handle = s;
    };
    t = await startTestEngine({ sessions: [sessionConfig('BROKER', { resetOnLogon: true })], app });
    // The next store epoch (written by the reset a Logon triggers) lands on the full device.
    await symlink('/dev/full', join(t.dir, 'FIX.4.4-VENUE-BROKER', 'store.2.dat'));
    const storeErrors: string[] = [];
    t.engine.events.on('storeError', (s, e) => storeErrors.push(`${s} ${e.message}`));
    const c = await RawFixClient.connect(t.port, broker);
    c.logon();
    await c.closedByPeer();
    expect(c.pending(), 'the Logon reply was never durable, so it was never sent').to.deep.equal([]);
    expect(storeErrors).to.have.length(1);
    expect(storeErrors[0]).to.match(/ENOSPC/);
    expect(app.storeErrors).to.have.length(1);
    expect(() => handle!.send('8', (w) => w.str(37, 'x'))).to.throw(SessionStoreError, /cannot persist/);
    expect(t.engine.sessions()[0]!.storeFailure).to.match(/ENOSPC/);
    expect(t.logger.text()).to.contain('FIX session store write failed; session disconnected');

    // Logons are refused while the store is broken; the refusal triggers a reopen from disk (which drops the
    // half-made epoch file), and the session is usable again.
    const refused = await RawFixClient.connect(t.port, broker);
    refused.logon();
    await refused.closedByPeer();
    expect(refused.pending()).to.deep.equal([]);
    await eventually(() => t!.engine.sessions()[0]!.storeFailure === null, 'store reopened');
    const back = await RawFixClient.connect(t.port, broker);
    back.logon();
    expect((await back.next()).msgType).to.equal('A');
    back.close();
  });
});
