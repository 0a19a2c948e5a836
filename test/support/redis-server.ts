// Starts a private redis-server for a test suite, so tests never depend on (or disturb) a Redis someone else
// runs. Nothing is saved to disk. Call dispose() in an after() hook.
//
// The port is below the ephemeral range and checked free (ports.ts: restart() reuses it, and an ephemeral
// port can be taken by any outgoing connection while the server is down). The server counts as started
// when it says it is ready, and only once the process answering on the port reports our child's pid:
// with other test runs on the machine, "something listens on the port" is not proof it is ours.

import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, restartablePort } from './ports.js';

export { freePort };

export interface TestRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL when hard) and waits for it to exit. */
  stop(hard?: boolean): Promise<void>;
  /** Starts the server again on the same port (after stop), for fault tests. */
  restart(): Promise<void>;
  /** Stops the server for good and removes its working folder. */
  dispose(): Promise<void>;
}

/** Safety net only: a redis-server is ready in milliseconds, even on a loaded machine. */
const READY_TIMEOUT_MS = 30_000;
const PORT_TRIES = 5;

class PortTakenError extends Error {}

/** The pid of the process answering INFO on the port. */
function pidOnPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const sock = connect(port, '127.0.0.1', () => sock.write('INFO server\r\n'));
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      text += d;
      const m = /process_id:(\d+)/.exec(text);
      if (m !== null) {
        sock.destroy();
        resolve(Number(m[1]));
      }
    });
    sock.once('error', reject);
    sock.once('close', () => reject(new Error(`no process_id in INFO from port ${port}: ${text.slice(0, 200)}`)));
  });
}

/** Spawns redis-server on the port; resolves once it said it is ready and the port answers with its pid. */
async function launch(port: number, dir: string): Promise<ChildProcess> {
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-4_000));
  proc.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} not ready within ${READY_TIMEOUT_MS} ms: ${output.slice(-500)}`));
    }, READY_TIMEOUT_MS);
    const settle = (err?: Error): void => {
      clearTimeout(timer);
      proc.removeListener('exit', onExit);
      if (err) reject(err);
      else resolve();
    };
    const onExit = (code: number | null): void => {
      const why = `redis-server on port ${port} exited (${code}) before it was ready: ${output.trim().split('\n').slice(-2).join(' | ')}`;
      settle(/Address already in use/.test(output) ? new PortTakenError(why) : new Error(why));
    };
    proc.once('exit', onExit);
    proc.once('error', (err) => settle(new Error(`cannot start redis-server (${err.message}); install it with: apt-get install -y redis-server`)));
    proc.stdout!.on('data', (d: Buffer) => {
      keep(d);
      if (/Ready to accept connections/.test(output)) settle();
    });
  });
  const pid = await pidOnPort(port);
  if (pid !== proc.pid) {
    proc.kill('SIGKILL');
    throw new PortTakenError(`port ${port} is answered by redis pid ${pid}, not by ours (${proc.pid})`);
  }
  return proc;
}

export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'venue-redis-'));
  let child: ChildProcess | null = null;
  let port = 0;
  for (let tries = 1; child === null; tries++) {
    port = await restartablePort();
    try {
      child = await launch(port, dir);
    } catch (err) {
      // Checked free a moment ago, taken since by another process: pick another.
      if (!(err instanceof PortTakenError) || tries === PORT_TRIES) throw err;
    }
  }

  const stop = async (hard = false): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(hard ? 'SIGKILL' : 'SIGTERM');
    });
  };

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      if (child !== null) throw new Error('TestRedis.restart: stop it first');
      child = await launch(port, dir);
    },
    dispose: async () => {
      await stop(false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
