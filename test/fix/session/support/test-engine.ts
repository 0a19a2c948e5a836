// Starts a real engine (real sockets, real files in a temp folder) for tests, with an application and a logger
// that record what happened so tests can wait for it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixMessageView } from '../../../../src/fix/codec/message-view.js';
import {
  FixEngine,
  loadDictionaryShared,
  quickfixValidator,
  type AcceptorConfig,
  type Application,
  type EngineConfig,
  type FixDictionary,
  type FixLogger,
  type InboundContext,
  type LogonRefusal,
  type SessionConfig,
  type SessionHandle,
} from '../../../../src/fix/index.js';

export const dictionary: FixDictionary = loadDictionaryShared(
  fileURLToPath(new URL('../../../../fix-dictionaries/FIX44.xml', import.meta.url)),
);

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: Record<string, unknown>;
}

export class RecordingLogger implements FixLogger {
  readonly lines: LogLine[] = [];
  error(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'error', message, fields });
  }
  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  info(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'info', message, fields });
  }
  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields)}`).join('\n');
  }
}

/** Records the callbacks; `onApp` lets a test answer application messages. */
export class RecordingApplication implements Application {
  readonly calls: string[] = [];
  readonly received: { session: string; msgType: string; raw: string }[] = [];
  onApp: ((session: SessionHandle, message: FixMessageView, ctx: InboundContext) => void) | null = null;
  onLogonHook: ((session: SessionHandle) => void) | null = null;
  fromAdminHook: ((session: SessionHandle, message: FixMessageView) => LogonRefusal | void) | null = null;
  storeErrors: Error[] = [];

  onCreate(session: SessionHandle): void {
    this.calls.push(`create ${session.key}`);
  }
  onLogon(session: SessionHandle): void {
    this.calls.push(`logon ${session.key}`);
    this.onLogonHook?.(session);
  }
  onLogout(session: SessionHandle, reason: string): void {
    this.calls.push(`logout ${session.key} ${reason}`);
  }
  fromAdmin(session: SessionHandle, message: FixMessageView): LogonRefusal | void {
    return this.fromAdminHook?.(session, message);
  }
  onStoreError(_session: SessionHandle, error: Error): void {
    this.storeErrors.push(error);
  }
  fromApp(session: SessionHandle, message: FixMessageView, ctx: InboundContext): void {
    this.received.push({ session: session.key, msgType: message.msgType, raw: message.toString() });
    this.onApp?.(session, message, ctx);
  }
}

export function sessionConfig(targetCompId: string, extra: Partial<SessionConfig> = {}): SessionConfig {
  return {
    beginString: 'FIX.4.4',
    senderCompId: 'VENUE',
    targetCompId,
    dictionary,
    messageLog: false,
    ...extra,
  };
}

export interface TestEngine {
  engine: FixEngine;
  port: number;
  dir: string;
  app: RecordingApplication;
  logger: RecordingLogger;
  stop(): Promise<void>;
}

export async function startTestEngine(options: {
  sessions: SessionConfig[];
  dir?: string;
  app?: RecordingApplication;
  acceptor?: Partial<AcceptorConfig>;
  engine?: Partial<EngineConfig>;
}): Promise<TestEngine> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'fix-engine-')));
  const app = options.app ?? new RecordingApplication();
  const logger = new RecordingLogger();
  const engine = await FixEngine.create(
    {
      sessionsDir: dir,
      logger,
      acceptors: [{ port: 0, host: '127.0.0.1', ...options.acceptor, sessions: options.sessions }],
      ...options.engine,
    },
    app,
    quickfixValidator,
  );
  await engine.start();
  return {
    engine,
    port: engine.acceptorPorts[0]!,
    dir,
    app,
    logger,
    stop: async () => {
      await engine.stop(0);
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `condition` every few ms until it holds, failing at the deadline with `what`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
