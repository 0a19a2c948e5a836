// The initiator's side of the wire: connects (TCP or TLS with SNI), hands the connection over, and when it closes
// connects again after a backoff that doubles up to a ceiling, with jitter so that many initiators restarted
// together do not reconnect in lockstep. A successful logon resets the backoff.

import net from 'node:net';
import tls from 'node:tls';
import { FixConnection, type FramerFactory } from './fix-connection.js';
import type { FixLogger } from './fix-logger.js';
import { clientTlsOptions, type TlsClientConfig } from './tls-config.js';

export interface ConnectorConfig {
  host: string;
  port: number;
  tls?: TlsClientConfig;
  /** First reconnect delay. */
  reconnectMinMs?: number;
  /** Ceiling of the doubling reconnect delay. */
  reconnectMaxMs?: number;
  connectTimeoutMs?: number;
  /** Unsent bytes allowed before a peer that does not read is cut off (default 16 MiB). */
  maxOutboundBytes?: number;
  /** Non-FIX bytes tolerated in a row before the connection is closed (default 64 KiB). */
  maxJunkBytes?: number;
  /** Fraction of the delay added or removed at random (0.2 = ±20%). */
  jitter?: number;
}

export class ReconnectingConnector {
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;
  private current: FixConnection | null = null;
  private connecting: net.Socket | null = null;
  private stopped = true;
  /** Held back by mayConnect (logged once per wait, not per check). */
  private waiting = false;

  constructor(
    private readonly config: ConnectorConfig,
    private readonly framerFactory: FramerFactory,
    private readonly onConnected: (conn: FixConnection) => void,
    private readonly logger: FixLogger,
    private readonly name: string,
    private readonly onReconnectScheduled: (delayMs: number, attempt: number) => void = () => {},
    /** False outside the session's schedule: no connection then, asked again every reconnectMinMs. */
    private readonly mayConnect: () => boolean = () => true,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** No more (re)connecting; a live connection stays up (the session may still be logging out on it). */
  stopReconnecting(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connecting?.destroy();
    this.connecting = null;
  }

  stop(reason = 'initiator stopped'): void {
    this.stopReconnecting();
    this.current?.destroy(reason);
  }

  /** The session logged on: the next disconnect reconnects quickly again. */
  loggedOn(): void {
    this.attempts = 0;
  }

  get connection(): FixConnection | null {
    return this.current;
  }

  private connect(): void {
    if (this.stopped) return;
    if (!this.mayConnect()) {
      this.waitForSessionTime();
      return;
    }
    this.waiting = false;
    const { host, port } = this.config;
    const socket = this.config.tls
      ? tls.connect({ host, port, ...clientTlsOptions(this.config.tls) })
      : net.connect({ host, port });
    this.connecting = socket;
    const readyEvent = this.config.tls ? 'secureConnect' : 'connect';
    const timeout = setTimeout(
      () => socket.destroy(new Error(`connect timed out after ${this.config.connectTimeoutMs ?? 10_000} ms`)),
      this.config.connectTimeoutMs ?? 10_000,
    );
    const onError = (err: Error): void => {
      clearTimeout(timeout);
      this.connecting = null;
      this.logger.warn('FIX initiator could not connect', { session: this.name, host, port, reason: err.message });
      socket.destroy();
      this.scheduleReconnect();
    };
    socket.once('error', onError);
    socket.once(readyEvent, () => {
      clearTimeout(timeout);
      socket.off('error', onError);
      this.connecting = null;
      if (this.stopped) {
        socket.destroy();
        return;
      }
      const conn = new FixConnection(socket, this.framerFactory, {
        maxOutboundBytes: this.config.maxOutboundBytes ?? 16 * 1024 * 1024,
      ...(this.config.maxJunkBytes !== undefined ? { maxJunkBytes: this.config.maxJunkBytes } : {}),
      onInternalError: (error) =>
        this.logger.error('FIX connection closed after an internal error', { reason: error.message, stack: error.stack }),
      });
      this.current = conn;
      conn.onClose((reason) => {
        this.current = null;
        this.logger.info('FIX initiator connection closed', { session: this.name, reason });
        this.scheduleReconnect();
      });
      this.onConnected(conn);
    });
  }

  private waitForSessionTime(): void {
    if (!this.waiting) this.logger.info('FIX initiator waiting for its session time', { session: this.name });
    this.waiting = true;
    this.connectAfter(this.config.reconnectMinMs ?? 1000);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const min = this.config.reconnectMinMs ?? 1000;
    const max = this.config.reconnectMaxMs ?? 30_000;
    const base = Math.min(max, min * 2 ** this.attempts);
    const jitter = this.config.jitter ?? 0.2;
    const delay = Math.max(0, Math.round(base * (1 + (Math.random() * 2 - 1) * jitter)));
    this.attempts++;
    this.onReconnectScheduled(delay, this.attempts);
    this.connectAfter(delay);
  }

  private connectAfter(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delayMs);
    this.timer.unref();
  }
}
