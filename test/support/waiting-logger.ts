// A Logger that keeps its lines and lets a test await the next one saying something: what the venue tells ops is
// often the only event a test can wait for (a probe failed, a restart began) without sleeping.

import type { LogFields, Logger } from '../../src/shared/logger.js';

export interface KeptLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: LogFields;
}

export class WaitingLogger implements Logger {
  readonly lines: KeptLine[] = [];
  private waiters: { fragment: string; resolve: (line: KeptLine) => void }[] = [];

  error(message: string, fields: LogFields = {}): void {
    this.keep({ level: 'error', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.keep({ level: 'warn', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.keep({ level: 'info', message, fields });
  }
  debug(message: string, fields: LogFields = {}): void {
    this.keep({ level: 'debug', message, fields });
  }
  child(): Logger {
    return this;
  }

  /** Lines whose message includes `fragment`. */
  with(fragment: string): KeptLine[] {
    return this.lines.filter((l) => l.message.includes(fragment));
  }

  /** The next line (from now on) whose message includes `fragment`. */
  next(fragment: string, timeoutMs = 15_000): Promise<KeptLine> {
    return new Promise((resolve, reject) => {
      const waiter = { fragment, resolve: (line: KeptLine) => (clearTimeout(timer), resolve(line)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no log line with "${fragment}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private keep(line: KeptLine): void {
    this.lines.push(line);
    const matched = this.waiters.filter((w) => line.message.includes(w.fragment));
    if (matched.length === 0) return;
    this.waiters = this.waiters.filter((w) => !matched.includes(w));
    for (const w of matched) w.resolve(line);
  }
}
