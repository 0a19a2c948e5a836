// Automatic recovery from a full disk under a FIX session store, in-process, end to end: real sockets, real files,
// a real redis-server, and a real ENOSPC (the store's next epoch file is a link to /dev/full, which a logon with
// ResetSeqNumFlag writes). The probe is held failing by the soak's flag-file failpoint until the test "clears the
// disk". While the store is failed its member's logons are refused and ops are told; once cleared the supervisor
// restarts the venue in-process and the report the store missed reaches the member by ordinary resend.

import { expect } from 'chai';
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseFailpoint } from '../../src/app/failpoints.js';
import { RESTART_TEXT, VenueSupervisor } from '../../src/app/venue-supervisor.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import type { VenueSettings } from '../../src/config/settings.js';
import { OpsServer, TokenBook } from '../../src/ops/index.js';
import { FixTestClient, stamp, type FixMsg } from '../support/fix-test-client.js';
import { restartablePort } from '../support/ports.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { WaitingLogger } from '../support/waiting-logger.js';

const body = FixTestClient.body;

describe('venue supervisor: recovery from a full session-store disk', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let supervisor: VenueSupervisor | null = null;
  let ops: OpsServer | null = null;
  const clients: FixTestClient[] = [];

  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis.dispose();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await supervisor?.stop();
    await ops?.close();
    supervisor = ops = null;
  });

  function settingsIn(dir: string): VenueSettings {
    const settings = loadVenueConfig('config/venue.json', {});
    settings.redisUrl = redis.url;
    settings.dataDir = join(dir, 'data');
    settings.sessionsDir = join(dir, 'sessions');
    settings.records.dir = join(dir, 'data', 'records');
    settings.clearing.reportsDir = join(dir, 'reports');
    settings.fix.port = 0;
    settings.fix.host = '127.0.0.1';
    return settings;
  }

  async function ready(): Promise<{ httpStatus: number; components: { name: string; status: string; reason: string }[] }> {
    const res = await fetch(`http://127.0.0.1:${ops!.port}/ready`);
    return { httpStatus: res.status, ...((await res.json()) as { components: { name: string; status: string; reason: string }[] }) };
  }

  it('refuses the member while its store is failed, restarts by itself once the disk is cleared, and delivers what the store missed', async () => {
    const dir = makeTempDir('venue-supervisor-');
    const flag = join(dir, 'disk-full');
    const settings = settingsIn(dir);
    // The in-process restart listens on the same port again: one outside the ephemeral range.
    settings.fix.port = await restartablePort();
    const logger = new WaitingLogger();
    supervisor = new VenueSupervisor({
      settings,
      logger,
      recovery: { intervalMs: 100, failpoints: { journal: null, 'fix-store': parseFailpoint(`store-write:enospc-while:${flag}`) } },
    });
    ops = new OpsServer({ host: '127.0.0.1', port: 0, logger, registry: supervisor.registry, tokens: TokenBook.fromEnv({}) });
    await ops.listen();
    const { fixPort } = await supervisor.start(ops);
    // The restarted venue listens where the members connect.
    settings.fix.port = fixPort;
    const client = (id: string, extra: Partial<ConstructorParameters<typeof FixTestClient>[0]> = {}): FixTestClient => {
      const c = new FixTestClient({ port: fixPort, senderCompId: id, targetCompId: 'VENUE', password: `${id.toLowerCase()}-secret`, ...extra });
      clients.push(c);
      return c;
    };

    // BROKER2 rests an order (it does not cancel on disconnect) and leaves.
    const b2 = client('BROKER2');
    expect((await b2.logon()).type).to.equal('A');
    b2.send('D', body([[11, 'REST'], [38, '2'], [40, '2'], [44, '3000.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    const ack = await b2.er('REST', '0');
    const b2Next = b2.seq + 1;
    await b2.logout();

    // Its store's disk fills up: the reset its next logon asks for cannot be written.
    symlinkSync('/dev/full', join(settings.sessionsDir, 'FIX.4.4-VENUE-BROKER2', 'store.2.dat'));
    writeFileSync(flag, 'full');
    const fault = logger.next('storage fault');
    const resetting = client('BROKER2', { resetSeqNum: true });
    await resetting.connect();
    resetting.send('A', body([[98, '0'], [108, '30'], [141, 'Y'], [554, 'broker2-secret']]));
    await resetting.waitClosed();
    expect(resetting.pending(), 'the Logon reply was never durable, so it was never sent').to.deep.equal([]);
    expect((await fault).fields).to.include({ what: 'FIX session store of BROKER2' });

    // BROKER1 trades against half of the resting order: BROKER2's fill cannot be stored, so it is not sent.
    const b1 = client('BROKER1');
    expect((await b1.logon()).type).to.equal('A');
    const hit = (id: string): number => b1.send('D', body([[11, id], [38, '1'], [40, '2'], [44, '3000.00'], [54, '2'], [55, 'ETHUSDT'], [59, '3'], [60, stamp()]]));
    hit('HIT1');
    await b1.er('HIT1', 'F');
    expect(logger.with('cannot send report: session store failed').map((l) => l.fields.session)).to.include('BROKER2');

    // Ops see it, and that it recovers by itself; BROKER2's logons are refused with the reason.
    const stores = (await ready()).components.find((c) => c.name === 'fix-stores')!;
    expect(stores.status).to.equal('degraded');
    expect(stores.reason).to.match(/BROKER2.*ENOSPC.*logons are refused until the venue recovers, automatically: probing .*BROKER2/);
    const refusedLogon = async (): Promise<void> => {
      const refusedLogged = logger.next('session store unavailable');
      const refused = client('BROKER2', { seqNum: b2Next });
      await refused.connect();
      refused.send('A', body([[98, '0'], [108, '30'], [554, 'broker2-secret']]));
      await refused.waitClosed();
      expect(refused.pending()).to.deep.equal([]);
      expect((await refusedLogged).message).to.match(/session store unavailable: ENOSPC/);
    };
    await refusedLogon();
    // A probe later the fault still lasts, and the store was not reopened meanwhile (the refusal does not do it).
    await logger.next('storage probe failed');
    // A later report for BROKER2 is not stored either (the store is not reopened): a store that took it would
    // have its head past the first fill, and the restart's catch-up would not derive that one again.
    hit('HIT2');
    await b1.er('HIT2', 'F');
    await refusedLogon();

    // The disk is cleared: the venue restarts in-process, BROKER1 is told why.
    const recovered = once(supervisor.events, 'recovered');
    rmSync(flag);
    const logout = await b1.next((m) => m.type === '5', 15_000);
    expect(logout.get(58)).to.equal(RESTART_TEXT);
    await recovered;
    expect(existsSync(join(settings.sessionsDir, 'FIX.4.4-VENUE-BROKER2', 'store.2.dat')), 'the half-made epoch is gone').to.equal(false);
    const after = await ready();
    expect(after.httpStatus).to.equal(200);
    expect(after.components.filter((c) => c.status !== 'up')).to.deep.equal([]);

    // BROKER2 logs on with its sequence numbers (nothing was reset) and gets both fills by resend.
    const back = client('BROKER2', { seqNum: b2Next });
    const logon = await back.logon();
    expect(logon.type).to.equal('A');
    const ackSeq = Number(ack.get(34));
    back.send('2', body([[7, String(ackSeq + 1)], [16, '0']]));
    const fills: FixMsg[] = [];
    for (let i = 0; i < 2; i++) fills.push(await back.next((m) => m.type === '8' && m.get(11) === 'REST', 15_000));
    expect(fills.map((f) => [f.get(150), f.get(39), f.get(14), f.get(43)])).to.deep.equal([
      ['F', '1', '1.0000', 'Y'],
      ['F', '2', '2.0000', 'Y'],
    ]);
  });
});
