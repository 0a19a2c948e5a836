import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { eventually, sessionConfig, startTestEngine, type TestEngine } from '../session/support/test-engine.js';
import { startInitiator, tlsFile, type TestInitiator } from './support.js';

const INITIATOR_KEY = 'FIX.4.4:BROKER->VENUE';

describe('FIX over TLS: acceptor and initiator', () => {
  let acceptor: TestEngine | null = null;
  let initiator: TestInitiator | null = null;
  afterEach(async () => {
    await initiator?.engine.stop(0);
    if (initiator) await rm(initiator.dir, { recursive: true, force: true });
    await acceptor?.stop();
    acceptor = null;
    initiator = null;
  });

  const tlsAcceptor = (extra: Record<string, unknown> = {}): Promise<TestEngine> =>
    startTestEngine({
      sessions: [sessionConfig('BROKER')],
      acceptor: {
        tls: {
          cert: tlsFile('venue.test.pem'),
          key: tlsFile('venue.test.key'),
          ca: tlsFile('ca.pem'),
          sni: { 'other.test': { cert: tlsFile('other.test.pem'), key: tlsFile('other.test.key') } },
          ...extra,
        },
      },
    });

  /** An initiator to the acceptor over TLS, trusting the test CA, retrying quickly. */
  const tlsInitiator = (tls: Record<string, unknown>): Promise<TestInitiator> =>
    startInitiator({
      host: '127.0.0.1',
      port: acceptor!.port,
      tls: { ca: readFileSync(tlsFile('ca.pem')), ...tls },
      reconnectMinMs: 50,
      reconnectMaxMs: 50,
    });

  it('logs on over TLS with the certificate chosen by the initiator\'s SNI name', async () => {
    acceptor = await tlsAcceptor();
    initiator = await tlsInitiator({ servername: 'other.test' });
    await eventually(() => initiator!.app.calls.includes(`logon ${INITIATOR_KEY}`), 'initiator logged on');
    await eventually(() => acceptor!.app.calls.includes('logon FIX.4.4:VENUE->BROKER'), 'acceptor logged on');
    // The default certificate (venue.test) would not verify for "other.test": SNI really chose the other one.
    const session = acceptor.engine.sessions()[0]!;
    expect(session.status).to.equal('logged-on');
    expect(session.remoteAddress).to.equal('127.0.0.1');
  });

  it('does not log on when the server certificate does not match the SNI name', async () => {
    acceptor = await tlsAcceptor();
    initiator = await tlsInitiator({ servername: 'unknown.test' });
    await eventually(
      () => initiator!.logger.lines.some((l) => l.message === 'FIX initiator could not connect' && /unknown\.test/.test(String(l.fields.reason))),
      'certificate name mismatch reported',
    );
    expect(initiator.app.calls.some((c) => c.startsWith('logon'))).to.equal(false);
  });

  it('requires a client certificate when configured, and accepts one signed by the CA', async () => {
    acceptor = await tlsAcceptor({ requestClientCert: true, requireClientCert: true });
    const refusals: string[] = [];
    acceptor.engine.events.on('connectionRefused', (_r, reason) => refusals.push(reason));
    initiator = await tlsInitiator({ servername: 'venue.test' });
    await eventually(() => acceptor!.logger.lines.some((l) => /TLS handshake failed/.test(l.message)), 'handshake refused');
    expect(initiator.app.calls.some((c) => c.startsWith('logon'))).to.equal(false);
    await initiator.engine.stop(0);
    await rm(initiator.dir, { recursive: true, force: true });

    initiator = await tlsInitiator({ servername: 'venue.test', cert: tlsFile('broker1.pem'), key: tlsFile('broker1.key') });
    await eventually(() => initiator!.app.calls.includes(`logon ${INITIATOR_KEY}`), 'logged on with a client certificate');
  });
});
