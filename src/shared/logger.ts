// The venue's logger, shared by every room: JSON lines in production, readable lines in development, with
// correlation fields (session, clOrdId, orderId) passed as metadata rather than formatted into the text. Rooms
// that must not depend on winston (fix, venue) take the small Logger interface below instead.

import winston from 'winston';

export interface LogFields {
  session?: string;
  clOrdId?: string;
  orderId?: number | string;
  [key: string]: unknown;
}

/** What the rest of the code needs from a logger. */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: 'error' | 'warn' | 'info' | 'debug';
  format: 'json' | 'text';
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  stream?: NodeJS.WritableStream;
}

function textFormat(): winston.Logform.Format {
  return winston.format.printf((info) => {
    const { timestamp, level, message, ...rest } = info;
    const fields = Object.entries(rest)
      .filter(([k]) => typeof k === 'string')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${String(timestamp)} ${level.toUpperCase().padEnd(5)} ${String(message)}${fields ? `  ${fields}` : ''}`;
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level,
    format: winston.format.combine(
      winston.format.timestamp(),
      options.format === 'json' ? winston.format.json() : textFormat(),
    ),
    transports: [transport],
  });
}

/** A logger that drops everything, for tests and tools that don't want output. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};
