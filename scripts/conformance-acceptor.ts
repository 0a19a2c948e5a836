// Starts our engine configured like QuickFIX's reference acceptor (CompID ISLD; sessions TW44, TW and
// NO_CHECK_FIELDS_HAVE_VALUES; ResetOnLogon; the echo application) and keeps it running until SIGTERM/SIGINT, so
// that any runner of the QuickFIX acceptance suite (ours, or QuickFIX's Runner.rb) can be pointed at it:
//
//   npm run conformance:acceptor -- --port 5001 [--host 127.0.0.1] [--sessions-dir DIR] [--message-log]
//   ruby -I. Runner.rb 127.0.0.1 5001 definitions/server/fix44/*.def      # from QuickFIX's test/ folder

import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FixLogger } from '../src/fix/index.js';
import { startReferenceAcceptor } from '../test/conformance/reference-acceptor.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '0.0.0.0' },
    'sessions-dir': { type: 'string' },
    'message-log': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: npm run conformance:acceptor -- --port N [--host H] [--sessions-dir DIR] [--message-log]');
  process.exit(2);
}

const line = (level: string) => (message: string, fields?: Record<string, unknown>): void => {
  console.log(`${new Date().toISOString()} ${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
};
const logger: FixLogger = { error: line('ERROR'), warn: line('WARN'), info: line('INFO'), debug: () => {} };

const ownDir = values['sessions-dir'] === undefined;
const sessionsDir = values['sessions-dir'] ?? (await mkdtemp(join(tmpdir(), 'conformance-acceptor-')));
const engine = await startReferenceAcceptor({
  port,
  host: values.host,
  sessionsDir,
  logger,
  messageLog: values['message-log'],
});
console.log(`conformance acceptor (ISLD: TW44, TW, NO_CHECK_FIELDS_HAVE_VALUES) listening on port ${engine.acceptorPorts[0]}; stores in ${sessionsDir}`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  engine.stop(1000).then(
    () => {
      // A store folder we made ourselves is scratch: leave nothing behind.
      if (ownDir) rmSync(sessionsDir, { recursive: true, force: true });
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
