import { expect } from 'chai';
import { RawFixClient } from './support/raw-fix-client.js';
import { RecordingApplication, eventually, sessionConfig, startTestEngine, type TestEngine } from './support/test-engine.js';

const broker = { sender: 'BROKER', target: 'VENUE' };

describe('FIX session: logon rules', () => {
  let t: TestEngine | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it('answers a Logon with HeartBtInt echoed, EncryptMethod 0, and no ResetSeqNumFlag unless asked', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon(17);
    const reply = await c.next();
    expect(reply.raw).to.match(/\|35=A\|34=1\|49=VENUE\|52=\d{8}-\d\d:\d\d:\d\d\.\d{3}\|56=BROKER\|98=0\|108=17\|10=\d{3}\|$/);
    expect(t.app.calls).to.include('logon FIX.4.4:VENUE->BROKER');
    c.close();
  });

  it('refuses a wrong password with a Logout and a disconnect, without touching sequence numbers', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER', { password: 's3cret', resetOnLogon: true })] });
    const ok = await RawFixClient.connect(t.port, broker);
    ok.logon(30, [[554, 's3cret']]);
    expect((await ok.next()).msgType).to.equal('A');
    ok.send('0');
    ok.send('5');
    await ok.nextOfType('5');
    await ok.closedByPeer();
    const before = t.engine.sessions()[0]!;

    const bad = await RawFixClient.connect(t.port, broker);
    bad.seq = 1;
    bad.logon(30, [[554, 'guess']]);
    const logout = await bad.next();
    expect([logout.msgType, logout.get(58)]).to.deep.equal(['5', 'Invalid username or password']);
    await bad.closedByPeer();
    const after = t.engine.sessions()[0]!;
    expect(after.nextTargetSeq, 'a refused logon does not reset (ResetOnLogon) the incoming seq').to.equal(before.nextTargetSeq);
    expect(t.app.calls.filter((c) => c.startsWith('logon'))).to.have.length(1);
    expect(t.logger.text()).to.contain('Invalid username or password');
  });

  it('refuses a logon from an address outside the session allowlist, and accepts one inside it', async () => {
    t = await startTestEngine({
      sessions: [sessionConfig('BROKER', { allowedAddresses: ['10.1.2.3'] }), sessionConfig('LOCAL', { allowedAddresses: ['127.0.0.1'] })],
    });
    const refused: string[] = [];
    t.engine.events.on('connectionRefused', (_remote, reason) => refused.push(reason));
    const outsider = await RawFixClient.connect(t.port, broker);
    outsider.logon();
    await outsider.closedByPeer();
    expect(outsider.pending()).to.deep.equal([]);
    expect(refused[0]).to.equal('address 127.0.0.1 is not allowed for session FIX.4.4:VENUE->BROKER');

    const local = await RawFixClient.connect(t.port, { sender: 'LOCAL', target: 'VENUE' });
    local.logon();
    expect((await local.next()).msgType).to.equal('A');
    local.close();
  });

  it('lets fromAdmin refuse a Logon: the counterparty gets a Logout with the reason', async () => {
    const app = new RecordingApplication();
    app.fromAdminHook = (_s, m) => (m.msgType === 'A' && m.getString(553) !== 'alice' ? { refuseLogon: 'unknown user' } : undefined);
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')], app });
    const c = await RawFixClient.connect(t.port, broker);
    c.logon(30, [[553, 'mallory']]);
    const reply = await c.next();
    expect([reply.msgType, reply.get(58)]).to.deep.equal(['5', 'unknown user']);
    await c.closedByPeer();
    const good = await RawFixClient.connect(t.port, broker);
    good.seq = 2;
    good.logon(30, [[553, 'alice']]);
    expect((await good.next()).msgType).to.equal('A');
    good.close();
  });

  it('limits logon attempts per session (flood resistance) and says so in the log', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER', { password: 'pw', logonAttemptBurst: 3, logonAttemptsPerSecond: 0.001 })] });
    const reasons: string[] = [];
    t.engine.events.on('connectionRefused', (_r, reason) => reasons.push(reason));
    for (let i = 0; i < 3; i++) {
      const c = await RawFixClient.connect(t.port, broker);
      c.logon(30, [[554, 'wrong']]);
      expect((await c.next()).msgType).to.equal('5');
      await c.closedByPeer();
    }
    const flooded = await RawFixClient.connect(t.port, broker);
    flooded.logon(30, [[554, 'pw']]);
    await flooded.closedByPeer();
    expect(flooded.pending(), 'refused silently, even with the right password').to.deep.equal([]);
    expect(reasons).to.deep.equal(['too many logon attempts for session FIX.4.4:VENUE->BROKER']);
    expect(t.logger.text()).to.contain('FIX connection refused: too many logon attempts for session FIX.4.4:VENUE->BROKER');
  });

  it('closes a second connection for a session that is already logged on, leaving the first up', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const first = await RawFixClient.connect(t.port, broker);
    first.logon();
    await first.next();
    const second = await RawFixClient.connect(t.port, broker);
    second.logon();
    await second.closedByPeer();
    first.send('1', [[112, 'still-there']]);
    const hb = await first.next();
    expect([hb.msgType, hb.get(112)]).to.deep.equal(['0', 'still-there']);
    await eventually(() => t!.engine.sessions()[0]!.status === 'logged-on', 'first session still logged on');
    first.close();
  });

  it('closes a connection whose first message is not a Logon, or names an unknown session', async () => {
    t = await startTestEngine({ sessions: [sessionConfig('BROKER')] });
    const reasons: string[] = [];
    t.engine.events.on('connectionRefused', (_r, reason) => reasons.push(reason));
    const heartbeatFirst = await RawFixClient.connect(t.port, broker);
    heartbeatFirst.send('0');
    await heartbeatFirst.closedByPeer();
    const stranger = await RawFixClient.connect(t.port, { sender: 'NOBODY', target: 'VENUE' });
    stranger.logon();
    await stranger.closedByPeer();
    expect(reasons).to.deep.equal(['first message is not a Logon (MsgType 0)', 'no session FIX.4.4:VENUE->NOBODY']);
  });
});
