// A venue process SIGKILLed in the middle of a snapshot write (src/app/failpoints.ts: snapshot-write) starts again
// from the snapshot before it and loses nothing it acknowledged: once with the write torn in its temporary file (a
// crash mid-write), once with the torn file renamed into place (a disk that lied: the checksum refuses it).

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { writeSoakConfig, type SoakConfig } from '../soak/harness/soak-config.js';
import { OPERATOR_TOKEN, VenueProcess } from '../soak/harness/venue-process.js';
import { listSnapshots, readSnapshotFile } from '../../src/venue/journal/snapshot-store.js';

const body = FixTestClient.body;

describe('venue process: SIGKILL during a snapshot write', function () {
  this.timeout(120_000);
  let dir: string;
  let redis: TestRedis;
  let config: SoakConfig;
  let venue: VenueProcess;
  let client: FixTestClient | null = null;
  let nextSeq = 1;
  const acked: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venue-snapshot-crash-'));
    redis = await startTestRedis();
    config = writeSoakConfig({ dir, redisUrl: redis.url, logLevel: 'info', snapshots: { intervalSeconds: 0, keep: 3 } });
    venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  });
  after(async () => {
    client?.close();
    if (venue.running) await venue.kill('SIGKILL');
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(failpoint?: string): Promise<void> {
    await venue.start(failpoint ? { failpoint } : {});
    client?.close();
    client = new FixTestClient({ port: venue.fixPort, senderCompId: 'S1', targetCompId: 'VENUE', password: 'pw-S1', seqNum: nextSeq });
    const logon = await client.logon();
    expect(logon.type).to.equal('A');
  }

  /** Sends `n` resting buy orders and waits for every ack. */
  async function rest(n: number): Promise<void> {
    const c = client!;
    for (let i = 0; i < n; i++) {
      const id = `R${acked.length}`;
      c.send('D', body([[11, id], [38, '1'], [40, '2'], [44, `${40 - (acked.length % 50) / 10}`], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
      await c.er(id, '0');
      acked.push(id);
    }
    nextSeq = c.seq;
  }

  function takeSnapshot(): Promise<Response> {
    return fetch(`${venue.adminBase}/api/snapshots`, { method: 'POST', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
  }

  /** Every acknowledged order is live in the restarted venue (OrderStatusRequest for each). */
  async function everyAckedOrderLive(): Promise<void> {
    const c = client!;
    for (const id of acked) {
      c.send('H', body([[11, id], [54, '1'], [55, 'ETHUSDT']]));
      const status = await c.er(id, 'I');
      expect(status.get(39), id).to.equal('0');
    }
    nextSeq = c.seq;
  }

  function lastReplay(): { snapshotSeq: number; commands: number } {
    const line = venue.logsWith('journal replayed').at(-1)!;
    return { snapshotSeq: Number(line.snapshotSeq), commands: Number(line.commands) };
  }

  async function killedByFailpoint(): Promise<void> {
    await takeSnapshot().then(
      (r) => expect.fail(`the snapshot request answered ${r.status}: the failpoint should have killed the venue`),
      () => undefined, // the connection died with the process
    );
    const exit = await venue.exited(30_000);
    expect(exit.signal).to.equal('SIGKILL');
  }

  it('starts from the previous snapshot after a write torn mid-file or torn in place, with every acked order', async () => {
    await start();
    await rest(20);
    const good = await takeSnapshot();
    expect(good.status).to.equal(200);
    const goodSeq = ((await good.json()) as { snapshot: { commandSeq: number } }).snapshot.commandSeq;
    await rest(10);

    // 1. Killed with half the body in the temporary file.
    await venue.kill('SIGKILL');
    await start('snapshot-write:torn-tmp:1');
    await rest(10);
    await killedByFailpoint();
    expect(listSnapshots(config.journalDir).map((s) => s.commandSeq)).to.deep.equal([goodSeq]);
    await start();
    expect(lastReplay().snapshotSeq).to.equal(goodSeq);
    await everyAckedOrderLive();

    // 2. Killed with half the body renamed into place: the newest file is there but fails its check.
    await rest(10);
    await venue.kill('SIGKILL');
    await start('snapshot-write:torn-final:1');
    await rest(10);
    await killedByFailpoint();
    const [torn] = listSnapshots(config.journalDir);
    expect(torn!.commandSeq).to.be.greaterThan(goodSeq);
    expect(readSnapshotFile(torn!.path)).to.have.property('error').that.matches(/torn write/);
    await start();
    expect(lastReplay().snapshotSeq).to.equal(goodSeq);
    const skipped = venue.logsWith('snapshot unusable').at(-1)!;
    expect(basename(String(skipped.file))).to.equal(basename(torn!.path));
    await everyAckedOrderLive();

    // A snapshot now supersedes both; the next start replays only what follows it.
    await rest(5);
    const again = await takeSnapshot();
    expect(again.status).to.equal(200);
    const listed = (await (await fetch(`${venue.adminBase}/api/snapshots`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).json()) as {
      snapshots: { commandSeq: number; ageSeconds: number }[];
    };
    expect(listed.snapshots[0]!.commandSeq).to.be.greaterThan(torn!.commandSeq);
    await venue.kill('SIGKILL');
    await start();
    expect(lastReplay()).to.deep.equal({ snapshotSeq: listed.snapshots[0]!.commandSeq, commands: 0 });
    await everyAckedOrderLive();
  });
});
