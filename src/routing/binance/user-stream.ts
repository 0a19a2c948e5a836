// Order updates and fills from Binance's WebSocket API user data stream (user-data-stream.md): connects,
// subscribes with userDataStream.subscribe.signature (any key type), answers the server's pings (the ws
// library pongs automatically) and pings the server itself to notice a dead connection, reconnects with
// exponential backoff and jitter, and after every reconnection runs the caller's reconciliation hook, so
// fills that happened while the stream was down are recovered by querying (see order-tracker.ts).

import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { PayloadSigner } from './signing.js';
import { wsSignaturePayload } from './signing.js';
import type { AccountPositionEvent, ExecutionReportEvent, UserDataEvent } from './types.js';

export interface UserStreamOptions {
  wsApiUrl: string;
  apiKey: string;
  signer: PayloadSigner;
  recvWindow?: number;
  /** First reconnect delay; doubles per failed attempt up to reconnectMaxMs, with ±20% jitter. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** We ping this often; a connection silent for twice as long is dropped and re-established. */
  heartbeatMs?: number;
  /** How long to wait for the subscription answer. */
  requestTimeoutMs?: number;
  /** Runs after each reconnection, once the new subscription is live (query open/recent orders). */
  reconcile?: () => Promise<void>;
  now?: () => number;
}

export interface UserStreamEvents {
  executionReport: (event: ExecutionReportEvent) => void;
  accountPosition: (event: AccountPositionEvent) => void;
  /** Every user-data event, including the two above. */
  event: (event: UserDataEvent) => void;
  subscribed: (info: { subscriptionId: number; reconnect: boolean }) => void;
  disconnected: (reason: string) => void;
  reconciled: () => void;
  /** Something went wrong that the stream handles itself (it reconnects); for logs and metrics. */
  warning: (error: Error) => void;
}

/** The subscription was refused for a reason retrying will not fix (bad key, signature, permissions). */
export class UserStreamAuthError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(`user data stream refused: ${code} ${msg}`);
  }
}

interface Pending {
  resolve: (frame: ResponseFrame) => void;
  timer: NodeJS.Timeout;
}

interface ResponseFrame {
  id: string | number | null;
  status: number;
  result?: unknown;
  error?: { code: number; msg: string };
}

export class BinanceUserStream extends EventEmitter {
  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private everSubscribed = false;
  private nextId = 0;
  private readonly pending = new Map<string, Pending>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastHeard = 0;
  private firstStart: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly now: () => number;
  /** Subscription id of the live subscription, -1 when there is none. */
  subscriptionId = -1;

  constructor(private readonly options: UserStreamOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  override on<K extends keyof UserStreamEvents>(event: K, listener: UserStreamEvents[K]): this {
    return super.on(event, listener);
  }

  override once<K extends keyof UserStreamEvents>(event: K, listener: UserStreamEvents[K]): this {
    return super.once(event, listener);
  }

  override emit<K extends keyof UserStreamEvents>(event: K, ...args: Parameters<UserStreamEvents[K]>): boolean {
    return super.emit(event, ...args);
  }

  get connected(): boolean {
    return this.subscriptionId >= 0 && this.ws?.readyState === WebSocket.OPEN;
  }

  /** Connects and subscribes; resolves once the first subscription is live (retrying transient failures). */
  start(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.stopped = false;
    return new Promise((resolve, reject) => {
      this.firstStart = { resolve, reject };
      this.connect();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    this.subscriptionId = -1;
    if (ws === null || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000);
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000).unref();
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.options.wsApiUrl, { perMessageDeflate: false, handshakeTimeout: this.options.requestTimeoutMs ?? 10_000 });
    this.ws = ws;
    ws.on('open', () => {
      this.lastHeard = this.now();
      this.startHeartbeat(ws);
      void this.subscribe(ws);
    });
    ws.on('message', (data, isBinary) => {
      this.lastHeard = this.now();
      if (!isBinary) this.onMessage(data.toString());
    });
    ws.on('ping', () => {
      this.lastHeard = this.now();
    });
    ws.on('pong', () => {
      this.lastHeard = this.now();
    });
    ws.on('unexpected-response', (_req, res) => {
      this.emit('warning', new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.on('error', (err) => {
      this.emit('warning', err);
    });
    ws.on('close', (code) => this.onClose(ws, `closed (${code})`));
  }

  private onClose(ws: WebSocket, reason: string): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.stopHeartbeat();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve({ id, status: 0, error: { code: 0, msg: 'connection closed' } });
    }
    const wasSubscribed = this.subscriptionId >= 0;
    this.subscriptionId = -1;
    if (wasSubscribed) this.emit('disconnected', reason);
    if (this.stopped) return;
    const base = this.options.reconnectInitialMs ?? 500;
    const max = this.options.reconnectMaxMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private startHeartbeat(ws: WebSocket): void {
    const every = this.options.heartbeatMs ?? 30_000;
    this.heartbeatTimer = setInterval(() => {
      if (this.now() - this.lastHeard > 2 * every) {
        this.emit('warning', new Error(`no traffic for ${2 * every} ms; reconnecting`));
        ws.terminate();
        return;
      }
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private request(ws: WebSocket, method: string, params: Record<string, unknown>): Promise<ResponseFrame> {
    const id = String(++this.nextId);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ id, status: 0, error: { code: 0, msg: `no answer to ${method} within the timeout` } });
        ws.terminate();
      }, this.options.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  private async subscribe(ws: WebSocket): Promise<void> {
    const params: Record<string, unknown> = { apiKey: this.options.apiKey, timestamp: this.now() };
    if (this.options.recvWindow !== undefined) params['recvWindow'] = this.options.recvWindow;
    params['signature'] = this.options.signer.sign(wsSignaturePayload(params));
    const answer = await this.request(ws, 'userDataStream.subscribe.signature', params);
    if (this.ws !== ws) return;
    const subscriptionId = (answer.result as { subscriptionId?: unknown } | undefined)?.subscriptionId;
    if (answer.status !== 200 || typeof subscriptionId !== 'number') {
      const code = answer.error?.code ?? 0;
      const msg = answer.error?.msg ?? `status ${answer.status}`;
      const fatal = answer.status >= 400 && answer.status < 500 && answer.status !== 429 && answer.status !== 418;
      if (fatal && this.firstStart !== null) {
        this.firstStart.reject(new UserStreamAuthError(code, msg));
        this.firstStart = null;
        void this.stop();
        return;
      }
      this.emit('warning', new Error(`subscription failed: ${code} ${msg}`));
      ws.terminate();
      return;
    }
    this.subscriptionId = subscriptionId;
    this.attempt = 0;
    const reconnect = this.everSubscribed;
    this.everSubscribed = true;
    this.emit('subscribed', { subscriptionId, reconnect });
    if (this.firstStart !== null) {
      this.firstStart.resolve();
      this.firstStart = null;
    }
    if (reconnect && this.options.reconcile !== undefined) {
      try {
        await this.options.reconcile();
        this.emit('reconciled');
      } catch (err) {
        this.emit('warning', err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  private onMessage(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.emit('warning', new Error('user data stream sent a frame that is not JSON'));
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as { id?: unknown; event?: unknown; subscriptionId?: unknown };
    if (f.id !== undefined && f.id !== null && this.pending.has(String(f.id))) {
      const p = this.pending.get(String(f.id))!;
      this.pending.delete(String(f.id));
      clearTimeout(p.timer);
      p.resolve(frame as ResponseFrame);
      return;
    }
    if (typeof f.event !== 'object' || f.event === null) return;
    const event = f.event as UserDataEvent | { e: 'serverShutdown' };
    if (event.e === 'serverShutdown' || (event.e === 'eventStreamTerminated' && f.subscriptionId === this.subscriptionId)) {
      this.ws?.terminate(); // re-establish on a fresh connection
      return;
    }
    if (f.subscriptionId !== this.subscriptionId) return;
    this.emit('event', event);
    if (event.e === 'executionReport') this.emit('executionReport', event);
    else if (event.e === 'outboundAccountPosition') this.emit('accountPosition', event);
  }
}
