// A plain FIX counterparty for tests: a real TCP (or TLS) socket, messages built with the codec's encoder and read
// back with its framer and parser into simple tag → value maps. It does only what a test tells it to, which is the
// point: no session logic of its own to hide what the engine does.

import net from 'node:net';
import tls from 'node:tls';
import { FixEncoder } from '../../../../src/fix/codec/encoder.js';
import { FixFramer } from '../../../../src/fix/codec/framer.js';
import { FixParser, ParseStatus } from '../../../../src/fix/codec/parser.js';

export interface ReceivedMessage {
  msgType: string;
  fields: Map<number, string>;
  raw: string;
  get(tag: number): string | undefined;
}

export interface ClientIdentity {
  beginString?: string;
  /** The client's CompID (the engine's TargetCompID). */
  sender: string;
  /** The engine's CompID. */
  target: string;
}

export class RawFixClient {
  private readonly received: ReceivedMessage[] = [];
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly encoder = new FixEncoder({ fieldOrder: 'as-added' });
  seq = 1;

  private constructor(
    readonly socket: net.Socket,
    private readonly id: ClientIdentity,
  ) {
    const parser = new FixParser();
    const framer = new FixFramer({
      onFrame: (buf, start, end) => {
        if (parser.parse(buf, start, end) !== ParseStatus.Ok) return;
        const v = parser.view;
        const fields = new Map<number, string>();
        for (let i = 0; i < v.fieldCount; i++) if (!fields.has(v.tagAt(i))) fields.set(v.tagAt(i), v.stringAt(i));
        this.received.push({
          msgType: v.msgType,
          fields,
          raw: buf.toString('latin1', start, end).replaceAll('\x01', '|'),
          get: (tag) => fields.get(tag),
        });
        this.wake();
      },
      onDrop: () => {},
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, id: ClientIdentity, options: { tls?: tls.ConnectionOptions; host?: string } = {}): Promise<RawFixClient> {
    const host = options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = options.tls ? tls.connect({ host, port, ...options.tls }) : net.connect({ host, port });
      socket.once('error', reject);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new RawFixClient(socket, id));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Builds and sends a message with the next sequence number (or `seq`), SendingTime now unless given. */
  send(msgType: string, fields: [number, string][] = [], options: { seq?: number; sendingTime?: number; header?: [number, string][] } = {}): void {
    const seq = options.seq ?? this.seq++;
    const e = this.encoder.begin(this.id.beginString ?? 'FIX.4.4', msgType);
    e.int(34, seq).str(49, this.id.sender).timestamp(52, options.sendingTime ?? Date.now()).str(56, this.id.target);
    for (const [tag, value] of options.header ?? []) e.str(tag, value);
    for (const [tag, value] of fields) e.str(tag, value);
    this.socket.write(Buffer.from(e.finish()));
  }

  logon(heartBtInt = 30, extra: [number, string][] = []): void {
    this.send('A', [[98, '0'], [108, String(heartBtInt)], ...extra]);
  }

  sendRaw(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** The next message not yet taken, waiting up to timeoutMs. */
  async next(timeoutMs = 15_000): Promise<ReceivedMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (this.closed) throw new Error('connection closed while waiting for a message');
      if (!(await this.wait(deadline))) throw new Error(`no message within ${timeoutMs} ms`);
    }
    return this.received.shift()!;
  }

  /** Takes messages until one of this type arrives (the skipped ones are returned too, for assertions). */
  async nextOfType(msgType: string, timeoutMs = 15_000): Promise<ReceivedMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(Math.max(1, deadline - Date.now()));
      if (m.msgType === msgType) return m;
    }
  }

  /** Resolves when the engine has closed the connection; fails if it is still open at the deadline. */
  async closedByPeer(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (!(await this.wait(deadline))) throw new Error(`connection still open after ${timeoutMs} ms`);
    }
  }

  /** Messages received and not taken yet. */
  pending(): ReceivedMessage[] {
    return [...this.received];
  }

  close(): void {
    this.socket.destroy();
  }

  private wait(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, Math.max(0, deadline - Date.now()));
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
