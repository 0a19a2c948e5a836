// Composition root and command line: `node dist/main.js [--config config/venue.json]`.
// Environment overrides: FIX_PORT, ADMIN_PORT, REDIS_URL, LOG_LEVEL (see the README).

import { parseArgs } from 'node:util';
import { ConfigError } from './config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadVenueConfig } from './config/load-config.js';
import { createLogger } from './ops/logger.js';
import { VenueApp } from './app/venue-app.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_PATH }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: venue [--config config/venue.json]\nenv: FIX_PORT, ADMIN_PORT, REDIS_URL, LOG_LEVEL\n');
    return;
  }
  let settings;
  try {
    settings = loadVenueConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`venue: refusing to start: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: settings.logLevel, format: settings.logFormat });
  const app = new VenueApp({ settings, logger });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    app.stop().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error('stop failed', { reason: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const report = await app.start();
  logger.info('venue ready', { config: settings.file, fixPort: report.fixPort, compId: settings.compId });
}

main().catch((err: unknown) => {
  process.stderr.write(`venue: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
