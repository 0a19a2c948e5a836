// `npm run worker`: clearing workers as a process of their own, sharing the venue's queue through Redis.
//
//   tsx src/clearing/worker-main.ts [--config config/venue.json] [--metrics-port 9464]
//
// Reads the same config file as the venue (instruments, firms, fees, Redis URL, REDIS_URL override).
// SIGINT/SIGTERM let the running jobs finish, then exit.

import http from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadVenueConfig } from '../config/load-config.js';
import { createLogger } from '../shared/logger.js';
import { ClearingWorkers } from './clearing-workers.js';

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const configPath = argValue(args, '--config') ?? DEFAULT_CONFIG_PATH;
  const metricsPortText = argValue(args, '--metrics-port');
  const metricsPort = metricsPortText === undefined ? undefined : Number(metricsPortText);
  if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65535)) {
    throw new Error(`--metrics-port: expected a port number, got ${metricsPortText}`);
  }
  const settings = loadVenueConfig(configPath);
  const log = createLogger({ level: settings.logLevel, format: settings.logFormat });
  if (!settings.clearing.enabled) {
    log.warn('clearing is disabled in the config (clearing.enabled = false); no worker started', { config: configPath });
    return;
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const workers = new ClearingWorkers({
    settings: settings.clearing,
    redisUrl: settings.redisUrl,
    instruments: settings.instruments,
    firms: settings.firms.map((f) => f.id),
    counterparty: settings.compId,
    registry,
    onError: (err) => log.error(err.message),
  });
  await workers.start();
  let server: http.Server | null = null;
  if (metricsPort !== undefined) {
    server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    await new Promise<void>((resolve) => server!.listen(metricsPort, resolve));
  }
  log.info('clearing worker ready', { queue: settings.clearing.queue, redis: settings.redisUrl, concurrency: settings.clearing.workers.concurrency, metricsPort });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('clearing worker stopping: letting running jobs finish', { signal });
    server?.close();
    workers.stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error(`clearing worker stop failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const text = err instanceof Error ? (err instanceof ConfigError || process.env.DEBUG === undefined ? err.message : (err.stack ?? err.message)) : String(err);
  process.stderr.write(`clearing worker: ${text}\n`);
  process.exit(1);
});
