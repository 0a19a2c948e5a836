// Ports for test servers. A server that listens once takes a free port from the OS (port 0, or freePort()).
// A server that is stopped and started again on the same port (a restarted redis-server, venue or routed
// venue) must not take one from the ephemeral range: while it is down, any outgoing connection on the
// machine can be given that port as its local port, and the restart fails with EADDRINUSE. Those take a
// port below the ephemeral range, checked free.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port the OS says is free now (from the ephemeral range). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Lowest port the kernel hands out to outgoing connections (Linux; 32768 elsewhere, the usual default). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free port below the ephemeral range, for a server restarted on the same port. Random within
 * [low / 2, low) so that parallel test runs on one machine rarely try the same one; checked free by
 * listening on it (a few tries, since another process may hold the one picked).
 */
export async function restartablePort(): Promise<number> {
  const high = ephemeralLow();
  const low = Math.floor(high / 2);
  for (let tries = 0; tries < 50; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port found below the ephemeral range (${low}-${high - 1})`);
}
