// A listening socket (plain TCP or TLS) for FIX connections. New connections pass the ConnectionGuard and are then
// handed to `onConnection`; the engine calls `authenticated()` once one has logged on so it stops counting
// against the unauthenticated limits and its logon timer stops.

import net from 'node:net';
import tls from 'node:tls';
import { ConnectionGuard } from './connection-guard.js';
import { FixConnection, normaliseAddress, type FramerFactory } from './fix-connection.js';
import type { FixLogger } from './fix-logger.js';
import { serverTlsOptions, type TlsServerConfig } from './tls-config.js';

export interface ListenerConfig {
  host?: string;
  /** 0 picks a free port (see `address()`). */
  port: number;
  tls?: TlsServerConfig;
  maxUnauthenticatedConnections?: number;
  maxUnauthenticatedPerAddress?: number;
  logonTimeoutMs?: number;
  /** Unsent bytes allowed before a peer that does not read is cut off (default 16 MiB). */
  maxOutboundBytes?: number;
  /** Non-FIX bytes tolerated in a row before the connection is closed (default 64 KiB). */
  maxJunkBytes?: number;
}

export class FixListener {
  readonly guard: ConnectionGuard;
  private readonly server: net.Server;
  private readonly connections = new Set<FixConnection>();

  constructor(
    private readonly config: ListenerConfig,
    private readonly framerFactory: FramerFactory,
    private readonly onConnection: (conn: FixConnection) => void,
    private readonly logger: FixLogger,
  ) {
    this.guard = new ConnectionGuard(
      {
        maxUnauthenticated: config.maxUnauthenticatedConnections ?? 1000,
        maxUnauthenticatedPerAddress: config.maxUnauthenticatedPerAddress ?? config.maxUnauthenticatedConnections ?? 1000,
        logonTimeoutMs: config.logonTimeoutMs ?? 10_000,
      },
      logger,
    );
    if (config.tls) {
      this.server = tls.createServer({
        ...serverTlsOptions(config.tls),
        handshakeTimeout: config.logonTimeoutMs ?? 10_000,
      });
      // Count a TLS connection from its first byte, not from the end of its handshake: handshakes cost CPU too.
      this.server.on('connection', (raw: net.Socket) => this.admitRaw(raw));
      this.server.on('secureConnection', (socket: tls.TLSSocket) => this.accept(socket));
      this.server.on('tlsClientError', (err, socket) => {
        this.guard.logRefusal('tls', 'FIX connection refused: TLS handshake failed', {
          remote: normaliseAddress(socket.remoteAddress ?? ''),
          reason: err.message,
        });
        socket.destroy();
      });
    } else {
      this.server = net.createServer((socket) => {
        if (this.admitRaw(socket)) this.accept(socket);
      });
    }
    this.server.on('error', (err) => this.logger.error('FIX listener error', { port: config.port, reason: err.message }));
  }

  private closed: Promise<void> | null = null;

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port: this.config.port, host: this.config.host ?? '0.0.0.0' }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : this.config.port;
  }

  /** The connection has logged on: it leaves the unauthenticated pool. */
  authenticated(conn: FixConnection): void {
    this.guard.release(endpointKey(conn.socket));
  }

  /** Stops accepting connections; those already open stay until close(). */
  stopAccepting(): void {
    this.closed ??= new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async close(): Promise<void> {
    this.stopAccepting();
    for (const conn of this.connections) conn.destroy('listener closing');
    await this.closed;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  private admitRaw(raw: net.Socket): boolean {
    const remote = normaliseAddress(raw.remoteAddress ?? '');
    const key = endpointKey(raw);
    const refusal = this.guard.admit(key, remote, () => {
      this.guard.logRefusal('logon-timeout', 'FIX connection closed: no logon within the logon timeout', { remote });
      raw.destroy();
    });
    if (refusal) {
      this.guard.logRefusal('admission', `FIX connection refused: ${refusal}`, { remote });
      raw.destroy();
      return false;
    }
    raw.once('close', () => this.guard.release(key));
    // A socket error before a FixConnection exists (reset during a TLS handshake) must not become an uncaught error.
    raw.on('error', () => {});
    return true;
  }

  private accept(socket: net.Socket): void {
    if (socket.destroyed) return;
    const conn = new FixConnection(socket, this.framerFactory, {
      maxOutboundBytes: this.config.maxOutboundBytes ?? 16 * 1024 * 1024,
      ...(this.config.maxJunkBytes !== undefined ? { maxJunkBytes: this.config.maxJunkBytes } : {}),
      onInternalError: (error) =>
        this.logger.error('FIX connection closed after an internal error', { reason: error.message, stack: error.stack }),
    });
    this.connections.add(conn);
    conn.onClose(() => this.connections.delete(conn));
    this.onConnection(conn);
  }
}

/** Identifies a live TCP connection on this listener; the same for a raw socket and the TLS socket over it. */
function endpointKey(socket: net.Socket): string {
  return `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
}
