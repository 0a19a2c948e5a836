// Our engine configured like QuickFIX's reference acceptor for the acceptance suite (at.cfg + setup.sh):
// SenderCompID ISLD, FIX.4.4 sessions TW44 (fix44 tests), TW (validate tests) and NO_CHECK_FIELDS_HAVE_VALUES
// (ValidateFieldsHaveValues=N), ResetOnLogon=Y, the FIX44 dictionary, QuickFIX's defaults for everything else, and
// the echo application.

import { fileURLToPath } from 'node:url';
import { FixEngine, loadDictionary, quickfixValidator, type FixLogger, type SessionConfig } from '../../src/fix/index.js';
import { EchoApplication } from './echo-application.js';

export const DICTIONARY_PATH = fileURLToPath(new URL('../../fix-dictionaries/FIX44.xml', import.meta.url));

export interface ReferenceAcceptorOptions {
  port: number;
  host?: string;
  sessionsDir: string;
  logger?: FixLogger;
  messageLog?: boolean;
}

export async function startReferenceAcceptor(options: ReferenceAcceptorOptions): Promise<FixEngine> {
  const dictionary = loadDictionary(DICTIONARY_PATH);
  const session = (targetCompId: string, extra: Partial<SessionConfig> = {}): SessionConfig => ({
    beginString: 'FIX.4.4',
    senderCompId: 'ISLD',
    targetCompId,
    dictionary,
    resetOnLogon: true,
    messageLog: options.messageLog ?? false,
    // QuickFIX has no logon rate limit; the suite logs on dozens of times a second.
    logonAttemptBurst: 1000,
    logonAttemptsPerSecond: 1000,
    ...extra,
  });
  const engine = await FixEngine.create(
    {
      sessionsDir: options.sessionsDir,
      ...(options.logger ? { logger: options.logger } : {}),
      acceptors: [
        {
          port: options.port,
          ...(options.host ? { host: options.host } : {}),
          sessions: [session('TW44'), session('TW'), session('NO_CHECK_FIELDS_HAVE_VALUES', { validateFieldsHaveValues: false })],
        },
      ],
    },
    new EchoApplication(),
    quickfixValidator,
  );
  await engine.start();
  return engine;
}
