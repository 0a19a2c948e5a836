// Composition root and command line: `node dist/main.js [--config config/venue.json]`.
// Environment overrides: FIX_PORT, ADMIN_PORT, REDIS_URL, LOG_LEVEL, LOG_FORMAT (see the README).
// Admin API tokens: ADMIN_TOKEN_OPERATOR, ADMIN_TOKEN_VIEWER, ADMIN_TOKENS (see src/ops/README.md).

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadVenueConfig } from './config/load-config.js';
import { createLogger } from './shared/logger.js';
import { VenueSupervisor } from './app/venue-supervisor.js';
import { OpsServer, TokenBook, TokenConfigError } from './ops/index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_PATH }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: venue [--config config/venue.json]\n' +
        'env: FIX_PORT, ADMIN_PORT, REDIS_URL, LOG_LEVEL, LOG_FORMAT, ADMIN_TOKEN_OPERATOR, ADMIN_TOKEN_VIEWER, ADMIN_TOKENS\n',
    );
    return;
  }
  let settings;
  let tokens;
  try {
    settings = loadVenueConfig(values.config);
    tokens = TokenBook.fromEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof TokenConfigError) {
      process.stderr.write(`venue: refusing to start: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: settings.logLevel, format: settings.logFormat });
  // The supervisor runs the venue and restarts it in-process once a failed journal or session store can be
  // written again (src/app/venue-supervisor.ts); the ops server follows whichever app is running.
  const venue = new VenueSupervisor({ settings, logger });
  // The admin port answers /health (and /ready: "starting") while the journal replays.
  const ops = new OpsServer({
    host: settings.adminHost,
    port: settings.adminPort,
    logger,
    registry: venue.registry,
    tokens,
    auditFile: join(settings.dataDir, 'ops-audit.jsonl'),
  });
  await ops.listen();
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    ops.detach();
    venue.stop().then(() => ops.close()).then(
      () => process.exit(0),
      (err: Error) => {
        logger.error('stop failed', { reason: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const report = await venue.start(ops);
  if (stopping) return;
  logger.info('venue ready', { config: settings.file, fixPort: report.fixPort, adminPort: ops.port, compId: settings.compId });
}

main().catch((err: unknown) => {
  process.stderr.write(`venue: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
