// Logging settings under `venue.log`:
//
//   "log": {
//     "level": "info",                     error | warn | info | debug (env LOG_LEVEL wins)
//     "format": "json",                    json | text; default json when NODE_ENV=production, else text (env LOG_FORMAT wins)
//     "fixMessages": {                     per-session FIX message logs: <sessionsDir>/<session>/messages.log
//       "enabled": true,                   both directions, '|' for SOH, written in batches off the hot path
//       "maxFileBytes": 67108864,          rotate past this size and at each new UTC day: messages.log.1 … .keepFiles
//       "keepFiles": 5
//     }
//   }

import { ConfigError } from './config-error.js';
import type { ConfigNode } from './config-reader.js';

export interface FixMessageLogSettings {
  enabled: boolean;
  maxFileBytes: number;
  keepFiles: number;
}

export function readFixMessageLog(log: ConfigNode | undefined): FixMessageLogSettings {
  const node = log?.optionalChild('fixMessages');
  node?.onlyKeys(['enabled', 'maxFileBytes', 'keepFiles']);
  return {
    enabled: node?.bool('enabled', true) ?? true,
    maxFileBytes: node?.int('maxFileBytes', 64 * 1024 * 1024, 4096) ?? 64 * 1024 * 1024,
    keepFiles: node?.int('keepFiles', 5, 0, 1000) ?? 5,
  };
}

export function readLogFormat(file: string, log: ConfigNode | undefined, env: { LOG_FORMAT?: string; NODE_ENV?: string }): 'json' | 'text' {
  if (env.LOG_FORMAT) {
    if (env.LOG_FORMAT !== 'json' && env.LOG_FORMAT !== 'text') {
      throw new ConfigError(`environment (overriding ${file})`, 'LOG_FORMAT', 'json or text', env.LOG_FORMAT);
    }
    return env.LOG_FORMAT;
  }
  return log?.oneOf('format', ['json', 'text'] as const, env.NODE_ENV === 'production' ? 'json' : 'text') ?? (env.NODE_ENV === 'production' ? 'json' : 'text');
}
