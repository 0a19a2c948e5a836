// /health and /ready as Kubernetes probes see them: alive from the first moment, not ready while the venue
// starts or stops or when a critical part is down, degraded (still 200) while a real redis-server is stopped
// under the running venue, and up again once it is back.

import { expect } from 'chai';
import { Registry } from 'prom-client';
import { opsSourcesOf } from '../../src/app/ops-wiring.js';
import { TokenBook } from '../../src/ops/auth/principals.js';
import { checkReadiness } from '../../src/ops/health/readiness.js';
import { silentLogger } from '../../src/shared/logger.js';
import { OpsServer } from '../../src/ops/ops-server.js';
import { eventually, startOpsHarness, TOKENS, type OpsHarness } from './support/ops-harness.js';

interface ReadyBody {
  status: string;
  ready: boolean;
  components: { name: string; status: string; reason: string; critical: boolean }[];
}

async function ready(base: string): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${base}/ready`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

describe('ops health and readiness', function () {
  this.timeout(30_000);

  it('is alive before the venue is attached, not ready, and the API says the venue is starting', async () => {
    const ops = new OpsServer({ host: '127.0.0.1', port: 0, logger: silentLogger, registry: new Registry(), tokens: TokenBook.fromEnv({ ADMIN_TOKEN_VIEWER: TOKENS.viewer }) });
    await ops.listen();
    const base = `http://127.0.0.1:${ops.port}`;
    try {
      const health = await fetch(`${base}/health`);
      expect(health.status).to.equal(200);
      expect(((await health.json()) as { status: string }).status).to.equal('alive');
      const r = await ready(base);
      expect(r.status).to.equal(503);
      expect(r.body.ready).to.equal(false);
      expect(r.body.components[0]).to.include({ name: 'venue', status: 'down' });
      expect(r.body.components[0]!.reason).to.match(/^starting/);
      const api = await fetch(`${base}/api/sessions`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
      expect(api.status).to.equal(503);
      expect(((await api.json()) as { error: string }).error).to.match(/venue starting/);
      expect((await fetch(`${base}/metrics`)).status).to.equal(200);
    } finally {
      await ops.close();
    }
  });

  describe('with a running venue', () => {
    let h: OpsHarness;

    before(async () => {
      h = await startOpsHarness({ clearingQueue: 'ops-health-clearing' });
    });
    after(async () => {
      await h.dispose();
    });

    it('is ready with every component up', async () => {
      const r = await ready(h.base);
      expect(r.status).to.equal(200);
      expect(r.body.status).to.equal('up');
      expect(r.body.components.map((c) => [c.name, c.status, c.critical])).to.deep.equal([
        ['fix-listener', 'up', true],
        ['journal', 'up', true],
        ['fix-stores', 'up', false],
        ['snapshots', 'up', false],
        ['redis', 'up', false],
        ['bullmq', 'up', false],
      ]);
      expect(r.body.components[0]!.reason).to.equal(`listening on port ${h.venue.port}`);
    });

    it('reports Redis and BullMQ degraded while redis-server is stopped (still 200: trading goes on), up once it is back', async () => {
      await h.venue.redis.stop();
      try {
        const down = await eventually(async () => {
          const r = await ready(h.base);
          const redis = r.body.components.find((c) => c.name === 'redis')!;
          const bullmq = r.body.components.find((c) => c.name === 'bullmq')!;
          return redis.status === 'degraded' && bullmq.status === 'degraded' ? r : undefined;
        }, 'Redis and BullMQ degraded', 10_000);
        expect(down.status).to.equal(200);
        expect(down.body.status).to.equal('degraded');
        expect(down.body.ready).to.equal(true);
        const redis = down.body.components.find((c) => c.name === 'redis')!;
        expect(redis.reason).to.match(/trading continues on in-memory risk state/);
        expect(down.body.components.find((c) => c.name === 'bullmq')!.reason).to.match(/clearing queue unreachable/);
        // The scrape answers during the outage; a collector stuck on Redis (the queue depth) is left out.
        const started = Date.now();
        const metrics = await (await fetch(`${h.base}/metrics`)).text();
        expect(Date.now() - started).to.be.below(5000);
        expect(metrics).to.include('venue_component_up{component="redis"} 0.5');
        expect(metrics).to.include('venue_component_up{component="bullmq"} 0.5');
        expect(metrics).to.include('# clearing_queue_jobs left out: no value within 2000 ms');
      } finally {
        await h.venue.redis.restart();
      }
      const back = await eventually(async () => {
        const r = await ready(h.base);
        return r.body.status === 'up' ? r : undefined;
      }, 'every component up again', 15_000);
      expect(back.status).to.equal(200);
    });

    it('is not ready (503) when a critical component is down: the journal', async () => {
      const sources = opsSourcesOf(h.venue.app);
      const broken = { ...sources, venue: { ...sources.venue, journalError: () => new Error('EIO: disk gone') } };
      const r = await checkReadiness(broken);
      expect(r.ready).to.equal(false);
      expect(r.status).to.equal('down');
      expect(r.components.find((c) => c.name === 'journal')).to.deep.equal({
        name: 'journal',
        status: 'down',
        reason: 'command journal failed: EIO: disk gone; orders are refused until restart',
        critical: true,
      });
    });

    it('reports a route by name, without making the venue unready', async () => {
      const sources = opsSourcesOf(h.venue.app, { routes: () => [{ name: 'binance', status: 'down', reason: 'no answer' }] });
      const r = await checkReadiness(sources);
      expect(r.ready).to.equal(true);
      expect(r.status).to.equal('down');
      expect(r.components.at(-1)).to.deep.equal({ name: 'route:binance', status: 'down', reason: 'no answer', critical: false });
    });

    it('says "stopping" (503) once the venue is detached', async () => {
      h.ops.detach();
      const r = await ready(h.base);
      expect(r.status).to.equal(503);
      expect(r.body.components[0]).to.deep.equal({ name: 'venue', status: 'down', reason: 'stopping', critical: true });
      expect((await fetch(`${h.base}/health`)).status).to.equal(200);
    });
  });
});
