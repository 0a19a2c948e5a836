// The WebSocket API endpoint (/ws-api/v3): accepts upgrades (connecting costs 2 request weight and is
// refused while the IP is rate limited or banned), keeps the open connections, and hands each account's
// user-data events to the connections subscribed to it.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { UserDataEvent } from '../../../routing/binance/types.js';
import { ApiError } from '../api-error.js';
import type { SimAccount } from '../exchange/accounts.js';
import type { RateLimitError } from '../rate-limits.js';
import { WsConnection, type WsDeps } from './ws-connection.js';

export const WS_API_PATH = '/ws-api/v3';

function refuse(socket: Duplex, status: number, reason: string, body = '', headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);
}

export class WsApi {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: 64 * 1024 });
  private readonly connections = new Set<WsConnection>();

  constructor(private readonly deps: WsDeps) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): void {
    socket.on('error', () => socket.destroy());
    if (this.deps.faults.refuseWebSocket) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    try {
      this.deps.limits.charge(ip, 2, this.deps.now());
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const retry = (err as RateLimitError).retryAfterMs;
      refuse(socket, err.status, err.status === 418 ? "I'm a teapot" : 'Too Many Requests', JSON.stringify(err.toJson()), {
        'Retry-After': String(Math.max(1, Math.ceil((retry ?? 1000) / 1000))),
      });
      return;
    }
    const returnRateLimits = query.get('returnRateLimits') !== 'false';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new WsConnection(ws, ip, this.deps, returnRateLimits);
      this.connections.add(conn);
      ws.on('close', () => this.connections.delete(conn));
    });
  }

  deliver(account: SimAccount, event: UserDataEvent): void {
    for (const c of this.connections) c.deliver(account, event);
  }

  /** Drops every open connection without a close handshake (as a network failure would). */
  dropAll(): number {
    const n = this.connections.size;
    for (const c of this.connections) c.terminate();
    return n;
  }

  close(): void {
    this.dropAll();
    this.wss.close();
  }
}
