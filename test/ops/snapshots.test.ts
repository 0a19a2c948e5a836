// The snapshot endpoints, readiness and metrics: GET /api/snapshots lists them with their age, POST takes one
// (operator), a snapshot that cannot be written (Redis away: risk positions could not be made durable) answers 503
// with the reason and degrades /ready without failing it.

import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { eventually, startOpsHarness, type OpsHarness } from './support/ops-harness.js';

const body = FixTestClient.body;

interface Listed {
  snapshots: { commandSeq: number; bytes: number; ageSeconds: number; writtenAt: string; path: string }[];
  intervalSeconds: number;
  lastFailure: string | null;
}

describe('ops admin API: snapshots', function () {
  this.timeout(30_000);
  let h: OpsHarness;

  before(async () => {
    h = await startOpsHarness({ clearingQueue: 'ops-snapshots-clearing', venue: { adjust: (s) => (s.snapshots = { intervalSeconds: 0, keep: 2, atEndOfDay: true }) } });
  });
  after(async () => {
    await h.dispose();
  });

  const readiness = async () => (await (await fetch(`${h.base}/ready`)).json()) as { components: { name: string; status: string; reason: string }[] };

  it('lists, takes on demand, keeps `keep`, shows the age on /ready and the figures in /metrics', async () => {
    const empty = await h.call('GET', '/api/snapshots', { as: 'viewer' });
    expect(empty.status).to.equal(200);
    expect(empty.body).to.deep.equal({ snapshots: [], intervalSeconds: 0, lastFailure: null });
    expect((await readiness()).components.find((c) => c.name === 'snapshots')).to.deep.equal({ name: 'snapshots', status: 'up', reason: 'no snapshot yet', critical: false });

    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      h.venue.app.submit({ type: 'setStp', time: Date.now(), account: 'B1-MAIN', mode: 0 });
      const taken = await h.call('POST', '/api/snapshots', { as: 'operator' });
      expect(taken.status, taken.text).to.equal(200);
      const snap = taken.body.snapshot as { commandSeq: number; bytes: number; captureMs: number; removed: number };
      expect(snap.bytes).to.be.greaterThan(100);
      expect(snap.captureMs).to.be.a('number');
      seqs.push(snap.commandSeq);
    }
    expect(seqs[2]).to.be.greaterThan(seqs[0]!);
    const listed = (await h.call('GET', '/api/snapshots', { as: 'viewer' })).body as unknown as Listed;
    expect(listed.snapshots.map((s) => s.commandSeq)).to.deep.equal([seqs[2], seqs[1]]); // keep: 2
    expect(listed.snapshots[0]!.ageSeconds).to.be.at.most(5);
    const ready = (await readiness()).components.find((c) => c.name === 'snapshots')!;
    expect(ready.status).to.equal('up');
    expect(ready.reason).to.match(new RegExp(`^newest at command ${seqs[2]}, \\d+ s old$`));

    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).to.match(/^venue_snapshot_capture_seconds \d/m);
    expect(metrics).to.match(new RegExp(`^venue_snapshot_command_seq ${seqs[2]}$`, 'm'));
    expect(metrics).to.match(/^venue_snapshot_files 2$/m);
    expect(metrics).to.match(/^venue_startup_replay_seconds \d/m);
  });

  it('answers 503 with the reason when risk positions cannot reach Redis, and /ready shows the venue degraded', async () => {
    const b1 = await h.venue.logon('BROKER1');
    const b2 = await h.venue.logon('BROKER2');
    await h.venue.redis.stop();
    try {
      // A trade while Redis is away: its positions wait in risk's write-behind, so no snapshot may claim them.
      b2.send('D', body([[11, 'SN1'], [38, '1'], [40, '2'], [44, '3000.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
      await b2.er('SN1', '0');
      b1.send('D', body([[11, 'SN2'], [38, '1'], [40, '2'], [44, '3000.00'], [54, '2'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
      await b1.er('SN2', 'F');
      const refused = await h.call('POST', '/api/snapshots', { as: 'operator' });
      expect(refused.status).to.equal(503);
      expect(refused.body.error).to.match(/^snapshot not taken: risk positions could not be written to Redis/);
      const r = await fetch(`${h.base}/ready`);
      expect(r.status).to.equal(200);
      const snap = ((await r.json()) as Awaited<ReturnType<typeof readiness>>).components.find((c) => c.name === 'snapshots')!;
      expect(snap.status).to.equal('degraded');
      expect(snap.reason).to.match(/^last snapshot failed: risk positions could not be written to Redis/);
    } finally {
      await h.venue.redis.restart();
    }
    // Redis back: the write-behind catches up and the next snapshot is taken.
    const taken = await eventually(async () => {
      const r = await h.call('POST', '/api/snapshots', { as: 'operator' });
      return r.status === 200 ? r : undefined;
    }, 'a snapshot once Redis is back');
    expect((taken.body.snapshot as { commandSeq: number }).commandSeq).to.equal(h.venue.app.journal.venue.commandSeq);
    expect((await readiness()).components.find((c) => c.name === 'snapshots')!.status).to.equal('up');
    await b1.logout();
    await b2.logout();
  });
});
