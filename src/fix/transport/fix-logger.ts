// The logger the FIX engine writes to. Structurally the same as the venue's Logger (src/ops/logger.ts), declared
// here so the FIX room needs nothing from outside it. Refusals and disconnects are logged with their reason;
// nothing is logged per message.

export interface FixLogger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export const quietFixLogger: FixLogger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
};
