// The dashboard's log panel: a copy of the venue logger's warn-and-worse lines, taken without the rest of the
// code knowing the panel exists (the logger itself lives in src/shared/logger.ts).

import { Writable } from 'node:stream';
import winston from 'winston';
import type { Logger, LoggerOptions } from '../shared/logger.js';

export interface TappedLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/**
 * Copies every line at `level` or more severe to `tap` (the ops dashboard's log panel), besides the logger's
 * own output. Works on loggers made by createLogger; for others (silentLogger) it does nothing. Returns a
 * function that removes the tap.
 */
export function tapLogs(logger: Logger, tap: (line: TappedLine) => void, level: LoggerOptions['level'] = 'warn'): () => void {
  if (!(logger instanceof winston.Logger)) return () => {};
  const stream = new Writable({
    objectMode: true,
    write(info: Record<string, unknown>, _encoding, done) {
      const { level: lineLevel, message, timestamp: _t, ...fields } = info;
      try {
        tap({ level: String(lineLevel), message: String(message), fields });
      } finally {
        done();
      }
    },
  });
  const transport = new winston.transports.Stream({ stream, level });
  logger.add(transport);
  return () => {
    logger.remove(transport);
    stream.destroy();
  };
}
