// Loads config/venue.json (or .yaml/.yml) into VenueSettings, applies the documented environment
// overrides, and refuses with a ConfigError (file, key, expectation) on anything wrong.

import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { ConfigNode } from './config-reader.js';
import { readFirms } from './firms-section.js';
import { readInstruments } from './instruments-section.js';
import { readRisk } from './risk-section.js';
import { readSessions } from './sessions-section.js';
import { readRecords } from './records-section.js';
import { readClearing } from './clearing-section.js';
import { readRouting } from './routing-section.js';
import { readCalendar } from './calendar-section.js';
import type { FixListenerSettings, SnapshotSettings, VenueSettings } from './settings.js';
import { STP_MODE_NAMES, STP_MODE_NAME_LIST, type StpModeName } from './stp-modes.js';
import { readFixMessageLog, readLogFormat } from './log-section.js';

export const DEFAULT_CONFIG_PATH = 'config/venue.json';

const TOP_LEVEL_KEYS = ['venue', 'fix', 'firms', 'sessions', 'instruments', 'records', 'clearing', 'risk', 'routing', 'calendar'];

/** Environment variables that override the file (documented in the README). */
export interface ConfigEnv {
  FIX_PORT?: string;
  ADMIN_PORT?: string;
  ADMIN_HOST?: string;
  REDIS_URL?: string;
  LOG_LEVEL?: string;
  LOG_FORMAT?: string;
  NODE_ENV?: string;
}

export function readConfigFile(path: string): ConfigNode {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, '', 'a readable config file', (err as NodeJS.ErrnoException).code ?? String(err));
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, '', /\.ya?ml$/i.test(path) ? 'valid YAML' : 'valid JSON', (err as Error).message);
  }
  return new ConfigNode(path, '', value);
}

/**
 * The admin server's address: this machine only unless configured otherwise (it serves the admin API and
 * metrics), so an IP literal (0.0.0.0 or :: for every interface) or localhost; a typo fails here, not at listen().
 */
function readAdminHost(file: string, venue: ConfigNode, env: ConfigEnv): string {
  const expected = 'an IP address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface) or localhost';
  const fromEnv = env.ADMIN_HOST;
  const host = fromEnv !== undefined && fromEnv !== '' ? fromEnv : venue.str('adminHost', '127.0.0.1');
  if (host === 'localhost' || isIP(host) !== 0) return host;
  if (fromEnv !== undefined && fromEnv !== '') throw new ConfigError(`environment (overriding ${file})`, 'ADMIN_HOST', expected, fromEnv);
  return venue.fail(expected, 'adminHost', host);
}

function portFromEnv(file: string, name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`environment (overriding ${file})`, name, 'a port number from 0 to 65535', text);
  }
  return port;
}

/** Without venue.snapshots: one every 5 minutes, three kept, one at the end of each trading day. */
export const DEFAULT_SNAPSHOTS: SnapshotSettings = { intervalSeconds: 300, keep: 3, atEndOfDay: true };

export function loadVenueConfig(path: string = DEFAULT_CONFIG_PATH, env: ConfigEnv = process.env): VenueSettings {
  const root = readConfigFile(path);
  root.onlyKeys(TOP_LEVEL_KEYS);
  const baseDir = dirname(resolve(path));
  const pathOf = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));

  const venue = root.child('venue');
  venue.onlyKeys(['compId', 'adminHost', 'adminPort', 'dataDir', 'sessionsDir', 'journal', 'snapshots', 'selfTradePrevention', 'selfTradePreventionScope', 'redisUrl', 'log']);
  const stpName = venue.oneOf<StpModeName>('selfTradePrevention', STP_MODE_NAME_LIST, 'cancel-aggressing');
  const stpDefault = STP_MODE_NAMES[stpName];
  const journal = venue.optionalChild('journal');
  journal?.onlyKeys(['fsync']);
  const snapshots = venue.optionalChild('snapshots');
  snapshots?.onlyKeys(['intervalSeconds', 'keep', 'atEndOfDay']);
  const log = venue.optionalChild('log');
  log?.onlyKeys(['level', 'format', 'fixMessages']);

  const fixNode = root.child('fix');
  fixNode.onlyKeys(['host', 'port', 'dictionary', 'maxMessageSize', 'maxUnauthenticatedConnections', 'logonTimeoutSeconds', 'tls']);
  const tlsNode = fixNode.optionalChild('tls');
  tlsNode?.onlyKeys(['certFile', 'keyFile', 'caFile', 'requestClientCert']);
  const existing = (node: ConfigNode, key: string, fallback?: string): string => {
    const p = pathOf(node.str(key, fallback));
    if (!existsSync(p)) node.fail(`an existing file (resolved to ${p})`, key, node.str(key, fallback));
    return p;
  };
  const fix: FixListenerSettings = {
    host: fixNode.str('host', '0.0.0.0'),
    port: portFromEnv(path, 'FIX_PORT', env.FIX_PORT, fixNode.int('port', 9876, 0, 65535)),
    dictionary: existing(fixNode, 'dictionary', '../fix-dictionaries/FIX44.xml'),
    maxMessageSize: fixNode.int('maxMessageSize', 64 * 1024, 256, 16 * 1024 * 1024),
    maxUnauthenticatedConnections: fixNode.int('maxUnauthenticatedConnections', 1000, 1),
    logonTimeoutSeconds: fixNode.int('logonTimeoutSeconds', 10, 1, 3600),
    tls: tlsNode
      ? {
          certFile: existing(tlsNode, 'certFile'),
          keyFile: existing(tlsNode, 'keyFile'),
          caFile: tlsNode.has('caFile') ? existing(tlsNode, 'caFile') : '',
          requestClientCert: tlsNode.bool('requestClientCert', false),
        }
      : null,
  };

  const firms = readFirms(root, stpDefault);
  const instruments = readInstruments(root);
  const logLevel = (env.LOG_LEVEL || log?.str('level', 'info')) ?? 'info';
  if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) {
    throw new ConfigError(env.LOG_LEVEL ? 'environment' : path, env.LOG_LEVEL ? 'LOG_LEVEL' : 'venue.log.level', 'one of error, warn, info, debug', logLevel);
  }

  return {
    file: path,
    compId: venue.nonEmptyStr('compId'),
    adminHost: readAdminHost(path, venue, env),
    adminPort: portFromEnv(path, 'ADMIN_PORT', env.ADMIN_PORT, venue.int('adminPort', 8080, 0, 65535)),
    dataDir: pathOf(venue.str('dataDir', '../var')),
    sessionsDir: pathOf(venue.str('sessionsDir', '../sessions')),
    journal: { fsync: journal?.bool('fsync', false) ?? false },
    snapshots: {
      intervalSeconds: snapshots?.int('intervalSeconds', DEFAULT_SNAPSHOTS.intervalSeconds, 0, 7 * 24 * 3600) ?? DEFAULT_SNAPSHOTS.intervalSeconds,
      keep: snapshots?.int('keep', DEFAULT_SNAPSHOTS.keep, 1, 1000) ?? DEFAULT_SNAPSHOTS.keep,
      atEndOfDay: snapshots?.bool('atEndOfDay', DEFAULT_SNAPSHOTS.atEndOfDay) ?? DEFAULT_SNAPSHOTS.atEndOfDay,
    },
    stpDefault,
    stpScope: venue.oneOf('selfTradePreventionScope', ['account', 'firm'] as const, 'account'),
    redisUrl: env.REDIS_URL || venue.str('redisUrl', 'redis://127.0.0.1:6379'),
    logLevel: logLevel as VenueSettings['logLevel'],
    logFormat: readLogFormat(path, log, env),
    fixMessageLog: readFixMessageLog(log),
    fix,
    firms,
    sessions: readSessions(root, firms, existing, fix.dictionary),
    instruments,
    records: readRecords(root, pathOf(venue.str('dataDir', '../var')), pathOf),
    clearing: readClearing(root, pathOf(venue.str('dataDir', '../var')), pathOf, firms),
    risk: readRisk(root, firms, instruments),
    routing: readRouting(root, instruments.map((i) => i.symbol), pathOf),
    calendar: readCalendar(root),
  };
}
