// Runs the venue as a separate process (`node --import tsx src/main.ts --config <file>`), so a SIGKILL is a
// real one: nothing of the venue survives but what it wrote to disk and to Redis. The FIX and admin ports are
// chosen once and kept across restarts (clients reconnect to the same address). Log lines (JSON) are kept
// for the checks that look at what ops were told.

import { spawn, type ChildProcess } from 'node:child_process';
import { restartablePort } from '../../support/ports.js';

export const OPERATOR_TOKEN = 'soak-operator-token-0123456789';
export const VIEWER_TOKEN = 'soak-viewer-token-0123456789ab';

export interface LogLine {
  level?: string;
  message?: string;
  [key: string]: unknown;
}

export interface VenueStartOptions {
  /** VENUE_FAILPOINT for this run (see src/app/failpoints.ts). */
  failpoint?: string;
  env?: Record<string, string>;
  /** Shell prefix (e.g. `ulimit -f 200;`) for resource limits on the child. */
  shellPrefix?: string;
  /** How long to wait for "venue ready" (default 60 s: a long journal replays first). */
  readyTimeoutMs?: number;
}

export class VenueProcess {
  fixPort = 0;
  adminPort = 0;
  /** Every JSON log line of every run, in order. */
  readonly logs: LogLine[] = [];
  /** Non-JSON output (stack traces, start-up failures). */
  readonly rawOutput: string[] = [];
  private readonly logWaiters: ((line: LogLine) => void)[] = [];
  private child: ChildProcess | null = null;
  private exitPromise: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;
  /** Milliseconds from spawn to "venue ready" of the last start. */
  lastStartMs = 0;
  starts = 0;

  constructor(
    readonly configFile: string,
    readonly redisUrl: string,
  ) {}

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get adminBase(): string {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  /** Chooses the FIX and admin ports (kept for every later start); start() does it when not done yet. */
  async allocatePorts(): Promise<this> {
    // Kept across restarts (members reconnect there): below the ephemeral range, so no outgoing connection takes them while the venue is down.
    if (this.fixPort === 0) this.fixPort = await restartablePort();
    if (this.adminPort === 0) this.adminPort = await restartablePort();
    return this;
  }

  /** Starts the venue and resolves once it logged "venue ready" (FIX listening, admin attached). */
  async start(opts: VenueStartOptions = {}): Promise<void> {
    if (this.running) throw new Error('venue already running');
    await this.allocatePorts();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      FIX_PORT: String(this.fixPort),
      ADMIN_PORT: String(this.adminPort),
      REDIS_URL: this.redisUrl,
      ADMIN_TOKEN_OPERATOR: OPERATOR_TOKEN,
      ADMIN_TOKEN_VIEWER: VIEWER_TOKEN,
      LOG_FORMAT: 'json',
      ...opts.env,
    };
    delete env.VENUE_FAILPOINT;
    if (opts.failpoint) env.VENUE_FAILPOINT = opts.failpoint;
    const args = ['--import', 'tsx', 'src/main.ts', '--config', this.configFile];
    const startedAt = Date.now();
    const child = opts.shellPrefix
      ? spawn('sh', ['-c', `${opts.shellPrefix} exec ${[process.execPath, ...args].map((a) => `'${a}'`).join(' ')}`], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts++;
    this.exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let ready: () => void = () => {};
    const readyPromise = new Promise<void>((r) => (ready = r));
    const onLine = (line: string): void => {
      if (line.startsWith('{')) {
        try {
          const parsed = JSON.parse(line) as LogLine;
          this.logs.push(parsed);
          for (const w of [...this.logWaiters]) w(parsed);
          if (parsed.message === 'venue ready') ready();
          return;
        } catch {
          // not JSON after all
        }
      }
      if (line.trim() !== '') this.rawOutput.push(line);
    };
    lineReader(child.stdout!, onLine);
    lineReader(child.stderr!, onLine);
    // At log levels above info the "venue ready" line is not printed: /ready then tells (its "starting" answer
    // names no component until the venue is attached).
    void this.pollAttached(child, ready);
    const timeout = opts.readyTimeoutMs ?? 60_000;
    const outcome = await Promise.race([
      readyPromise.then(() => 'ready' as const),
      this.exitPromise.then(() => 'exited' as const),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeout).unref()),
    ]);
    if (outcome !== 'ready') {
      if (outcome === 'timeout') await this.kill();
      throw new Error(`venue did not start (${outcome}): ${this.rawOutput.slice(-20).join('\n')}`);
    }
    this.lastStartMs = Date.now() - startedAt;
  }

  private async pollAttached(child: ChildProcess, ready: () => void): Promise<void> {
    while (this.child === child && child.exitCode === null && child.signalCode === null) {
      try {
        const res = await fetch(`${this.adminBase}/ready`);
        const body = (await res.json()) as { components?: Array<{ name: string }> };
        if (body.components?.some((c) => c.name === 'fix-listener')) return ready();
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a signal and waits for the process to end. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (child === null || this.exitPromise === null) return { code: null, signal: null };
    if (this.running) child.kill(signal);
    const result = await this.exitPromise;
    this.child = null;
    return result;
  }

  /** Resolves when the process ends by itself (a failpoint's SIGKILL), or rejects after timeoutMs. */
  async exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exitPromise === null) throw new Error('venue not started');
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.exitPromise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`venue still running after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    this.child = null;
    return result;
  }

  /** Graceful stop (SIGTERM: sessions logged out, files closed). */
  async stop(): Promise<void> {
    const r = await this.kill('SIGTERM');
    if (r.code !== 0 && r.code !== null) throw new Error(`venue stopped with exit code ${r.code}: ${this.rawOutput.slice(-10).join('\n')}`);
  }

  /** Log lines (this and earlier runs) whose message contains `text`. */
  /** Resolves with the first log line, from now on, whose message includes `text`. */
  nextLogWith(text: string, timeoutMs: number): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const waiter = (line: LogLine): void => {
        if (typeof line.message !== 'string' || !line.message.includes(text)) return;
        clearTimeout(timer);
        this.logWaiters.splice(this.logWaiters.indexOf(waiter), 1);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.logWaiters.splice(this.logWaiters.indexOf(waiter), 1);
        reject(new Error(`no log line with "${text}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.logWaiters.push(waiter);
    });
  }

  logsWith(text: string): LogLine[] {
    return this.logs.filter((l) => typeof l.message === 'string' && l.message.includes(text));
  }
}

function lineReader(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const p of parts) onLine(p);
  });
  stream.on('end', () => {
    if (partial !== '') onLine(partial);
    partial = '';
  });
}
