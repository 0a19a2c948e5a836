// Risk engines against a private redis-server, each test under its own key prefix.

import { Redis } from 'ioredis';
import type { LogFields, Logger } from '../../../src/shared/logger.js';
import type { RiskSettings } from '../../../src/config/risk-section.js';
import { RiskEngine } from '../../../src/risk/risk-engine.js';
import { FIRMS, INSTRUMENTS, RecordingActions } from './fixtures.js';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields?: LogFields;
}

/** A Logger that keeps its lines for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = [];
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }
  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  child(): Logger {
    return this;
  }
  count(fragment: string): number {
    return this.lines.filter((l) => l.message.includes(fragment)).length;
  }
}

let prefixes = 0;
export const uniquePrefix = (): string => `t${process.pid}-${++prefixes}:risk:`;

export interface EngineRig {
  engine: RiskEngine;
  actions: RecordingActions;
  logger: MemoryLogger;
}

export function engineRig(
  url: string,
  settings: Partial<RiskSettings> & { keyPrefix: string },
  extra: { clock?: () => number; durableEventSeq?: () => number; redisUrl?: string } = {},
): EngineRig {
  const actions = new RecordingActions();
  const logger = new MemoryLogger();
  const engine = new RiskEngine({
    redisUrl: extra.redisUrl ?? url,
    instruments: INSTRUMENTS,
    firms: FIRMS,
    settings,
    actions,
    logger,
    clock: extra.clock,
    durableEventSeq: extra.durableEventSeq,
    connectTimeoutMs: 2000,
  });
  return { engine, actions, logger };
}

/** A plain client to look at what the engine wrote. */
export function inspector(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** Number of EXEC commands the server has run so far (one per write-behind flush). */
export async function execCalls(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  const m = /cmdstat_exec:calls=(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}
