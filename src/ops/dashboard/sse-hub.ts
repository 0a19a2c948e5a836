// Server-sent events to dashboard browsers: each message is serialised once and written to every client. A
// client that stops reading (its socket buffer passes the limit) is dropped rather than buffered without bound;
// its browser reconnects by itself (EventSource retries) and gets a fresh state.

import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BUFFERED_BYTES = 1 << 20;

export class SseHub {
  private readonly clients = new Set<ServerResponse>();

  get size(): number {
    return this.clients.size;
  }

  /** Takes over a request as an event stream; `first` is sent at once. */
  open(req: IncomingMessage, res: ServerResponse, first: { event: string; data: unknown } | null): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    if (first !== null) res.write(frame(first.event, JSON.stringify(first.data)));
    this.clients.add(res);
    const drop = (): void => void this.clients.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  }

  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, JSON.stringify(data));
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
  }

  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}

function frame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}
