// Runs a TypeScript file as a child process (through tsx) and lets a test wait for its output lines.

import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line (seen so far or later) matching the pattern. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

export function runChild(file: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  let buf = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  let closed = false;
  proc.once('close', () => (closed = true));
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return {
    proc,
    lines,
    waitFor(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child never printed ${pattern}; stderr: ${stderr.slice(-2000)}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => { clearTimeout(timer); resolve(l); } });
        proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`child exited (${code}) before printing ${pattern}; stderr: ${stderr.slice(-2000)}`)); });
      });
    },
    kill() {
      // Resolves on 'close': by then every line the child wrote has been read.
      if (closed) return Promise.resolve();
      return new Promise((resolve) => {
        proc.once('close', () => resolve());
        proc.kill('SIGKILL');
      });
    },
  };
}
