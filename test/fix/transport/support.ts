// Helpers for transport tests: an initiator engine aimed at a port, and the TLS fixture files.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FixEngine, quickfixValidator, type EngineConfig, type InitiatorConfig, type SessionConfig } from '../../../src/fix/index.js';
import { RecordingApplication, RecordingLogger, dictionary } from '../session/support/test-engine.js';

export const tlsFile = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export function initiatorSession(extra: Partial<SessionConfig> = {}): SessionConfig {
  return {
    beginString: 'FIX.4.4',
    senderCompId: 'BROKER',
    targetCompId: 'VENUE',
    dictionary,
    messageLog: false,
    heartBtIntSeconds: 30,
    ...extra,
  };
}

export interface TestInitiator {
  engine: FixEngine;
  app: RecordingApplication;
  logger: RecordingLogger;
  dir: string;
}

export async function startInitiator(
  config: Omit<InitiatorConfig, 'session'> & { session?: SessionConfig },
  dir?: string,
  engineConfig: Partial<EngineConfig> = {},
): Promise<TestInitiator> {
  const app = new RecordingApplication();
  const logger = new RecordingLogger();
  const sessionsDir = dir ?? (await mkdtemp(join(tmpdir(), 'fix-initiator-')));
  const engine = await FixEngine.create(
    { sessionsDir, logger, initiators: [{ ...config, session: config.session ?? initiatorSession() }], ...engineConfig },
    app,
    quickfixValidator,
  );
  await engine.start();
  return { engine, app, logger, dir: sessionsDir };
}
