// Runs a real venue in-process for end-to-end tests: the demo config (or a variant) with its data, journal and
// session stores in a fresh temp folder and the FIX acceptor on a free port.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVenueConfig } from '../../src/config/load-config.js';
import type { VenueSettings } from '../../src/config/settings.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';
import { VenueApp } from '../../src/app/venue-app.js';
import type { SchedulerClock } from '../../src/app/schedule/phase-scheduler.js';
import { FixTestClient, type ClientOptions } from './fix-test-client.js';
import { restartablePort } from './ports.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

export interface TestVenue {
  app: VenueApp;
  port: number;
  dir: string;
  settings: VenueSettings;
  /** The venue's own redis-server (risk, clearing). */
  redis: TestRedis;
  /** A client for one of the configured sessions, with its password, logged on. */
  logon(session: string, extra?: Partial<ClientOptions>): Promise<FixTestClient>;
  /** Stops the venue (the folder stays, for a restart). */
  stop(): Promise<void>;
  /** Starts a new venue on the same folder (same port when possible): a restart. */
  restart(): Promise<TestVenue>;
  dispose(): Promise<void>;
}

export interface TestVenueOptions {
  config?: string;
  dir?: string;
  adjust?: (s: VenueSettings) => void;
  logger?: Logger;
  port?: number;
  /** Reuse a redis-server (a restart keeps the venue's Redis). */
  redis?: TestRedis;
  /** The phase scheduler's clock (a calendar test moves it by hand). */
  clock?: SchedulerClock;
}

export async function startTestVenue(opts: TestVenueOptions = {}): Promise<TestVenue> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'venue-e2e-'));
  const redis = opts.redis ?? (await startTestRedis());
  const settings = loadVenueConfig(opts.config ?? 'config/venue.json', {});
  settings.redisUrl = redis.url;
  settings.dataDir = join(dir, 'data');
  settings.sessionsDir = join(dir, 'sessions');
  settings.records.dir = join(dir, 'data', 'records');
  settings.clearing.reportsDir = join(dir, 'reports');
  // restart() listens on the same port again: one below the ephemeral range, checked free.
  settings.fix.port = opts.port ?? (await restartablePort());
  settings.fix.host = '127.0.0.1';
  opts.adjust?.(settings);
  const app = new VenueApp({ settings, logger: opts.logger ?? silentLogger, ...(opts.clock ? { clock: opts.clock } : {}) });
  const { fixPort } = await app.start();
  const clients: FixTestClient[] = [];
  const tv: TestVenue = {
    app,
    port: fixPort,
    dir,
    settings,
    redis,
    async logon(session, extra = {}) {
      const s = settings.sessions.find((x) => x.id === session);
      const client = new FixTestClient({
        port: fixPort,
        senderCompId: session,
        targetCompId: settings.compId,
        password: s?.password,
        ...extra,
      });
      clients.push(client);
      const reply = await client.logon();
      if (reply.type !== 'A') throw new Error(`logon refused: ${reply.raw}`);
      return client;
    },
    async stop() {
      for (const c of clients) c.close();
      await app.stop();
    },
    async restart() {
      await tv.stop();
      return startTestVenue({ ...opts, dir, port: fixPort, redis });
    },
    async dispose() {
      await tv.stop();
      await redis.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return tv;
}
