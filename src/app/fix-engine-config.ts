// Builds the FIX engine's configuration from the venue settings: one acceptor on the FIX port serving every
// configured member session, each with its own dictionary (the listener's unless the session names one).

import { readFileSync } from 'node:fs';
import { loadDictionaryShared, type EngineConfig, type FixLogger, type SessionConfig } from '../fix/index.js';
import type { VenueSettings } from '../config/settings.js';
import { writeFaultsFor } from './failpoints.js';

export const BEGIN_STRING = 'FIX.4.4';

/** Market data is stale once missed: a resend request covering it gets a gap fill, not old prices. */
const NOT_RESENT = ['W', 'X', 'Y', 'f', 'y'];

export function sessionConfigs(settings: VenueSettings): SessionConfig[] {
  return settings.sessions.map(
    (s): SessionConfig => ({
      beginString: BEGIN_STRING,
      senderCompId: settings.compId,
      targetCompId: s.id,
      dictionary: loadDictionaryShared(s.dictionary),
      password: s.password,
      resetOnLogon: s.resetOnLogon,
      allowedAddresses: s.allowedIps,
      messageLog: s.messageLog ?? settings.fixMessageLog.enabled,
      gapFillOnResend: NOT_RESENT,
      schedule: s.schedule ?? null,
    }),
  );
}

export function fixEngineConfig(settings: VenueSettings, logger: FixLogger): EngineConfig {
  const { fix } = settings;
  return {
    sessionsDir: settings.sessionsDir,
    fsync: settings.journal.fsync,
    messageLog: { maxFileBytes: settings.fixMessageLog.maxFileBytes, keepFiles: settings.fixMessageLog.keepFiles },
    logger,
    storeFaults: writeFaultsFor('store-write'),
    acceptors: [
      {
        host: fix.host,
        port: fix.port,
        maxMessageSize: fix.maxMessageSize,
        maxUnauthenticatedConnections: fix.maxUnauthenticatedConnections,
        logonTimeoutMs: fix.logonTimeoutSeconds * 1000,
        tls: fix.tls
          ? {
              cert: readFileSync(fix.tls.certFile),
              key: readFileSync(fix.tls.keyFile),
              ca: fix.tls.caFile ? readFileSync(fix.tls.caFile) : undefined,
              requestClientCert: fix.tls.requestClientCert,
            }
          : undefined,
        sessions: sessionConfigs(settings),
      },
    ],
  };
}
