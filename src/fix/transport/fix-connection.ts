// One TCP or TLS connection carrying FIX: reads go through a framer to whoever currently handles the connection
// (the acceptor's logon gate, then the session); writes are checked against an outbound cap so that a peer that
// stops reading cannot make us hold unbounded memory. Closing is always given a reason, reported once.

import type net from 'node:net';

/** Receives the frames a connection reads. */
export interface FrameHandler {
  /** One complete frame: bytes [start, end) of buf, valid until onReadEnd (the end of the socket read). */
  onFrame(conn: FixConnection, buf: Buffer, start: number, end: number): void;
  /** The socket read whose frames were just handed out is over (their bytes may be reused from now on). */
  onReadEnd?(conn: FixConnection): void;
  /** A frame the framer dropped (bad checksum/length/garbled). `isLogon` if it carried 35=A. */
  onBadFrame(conn: FixConnection, reason: string, isLogon: boolean): void;
  /** The byte stream cannot be framed any more (oversize, no FIX at all): the connection must go. */
  onFatalFrame(conn: FixConnection, reason: string): void;
}

/** What the transport needs from a framer: feed it bytes, it calls back per frame. */
export interface StreamFramer {
  push(chunk: Buffer): void;
}

export type FramerFactory = (sink: {
  frame(buf: Buffer, start: number, end: number): void;
  /** Bytes the framer threw away (garbage, a broken frame). */
  bad(reason: string, isLogon: boolean, bytes: number): void;
  fatal(reason: string): void;
}) => StreamFramer;

export interface ConnectionOptions {
  /** Unsent bytes allowed to pile up before the peer is treated as a slow consumer and cut off. */
  maxOutboundBytes: number;
  /** How long a graceful close waits for the peer's FIN before destroying the socket. */
  closeGraceMs?: number;
  /** A bug while handling input: the connection is closed instead of the process crashing. */
  onInternalError?: (error: Error, conn: FixConnection) => void;
  /**
   * Bytes that are not FIX (skipped by the framer) tolerated in a row; past this the stream is treated as hostile
   * and the connection goes. A few stray bytes are skipped silently, as QuickFIX does.
   */
  maxJunkBytes?: number;
}

let nextConnectionId = 1;

export class FixConnection {
  readonly id = nextConnectionId++;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly openedAt = Date.now();
  handler: FrameHandler | null = null;
  bytesIn = 0;
  bytesOut = 0;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closeReason: string | null = null;
  private readonly closeListeners: ((reason: string) => void)[] = [];
  private readonly framer: StreamFramer;
  /** Bytes dropped by the framer since the last good frame. */
  private junkRun = 0;

  constructor(
    readonly socket: net.Socket,
    framerFactory: FramerFactory,
    private readonly options: ConnectionOptions,
  ) {
    this.remoteAddress = normaliseAddress(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    this.framer = framerFactory({
      frame: (buf, start, end) => {
        this.junkRun = 0;
        if (this.state === 'open') this.handler?.onFrame(this, buf, start, end);
      },
      bad: (reason, isLogon, bytes) => {
        if (this.state !== 'open') return;
        this.junkRun += bytes;
        const limit = this.options.maxJunkBytes ?? 64 * 1024;
        if (this.junkRun > limit) this.handler?.onFatalFrame(this, `more than ${limit} bytes in a row that are not FIX`);
        else this.handler?.onBadFrame(this, reason, isLogon);
      },
      fatal: (reason) => {
        if (this.state === 'open') this.handler?.onFatalFrame(this, reason);
      },
    });
    socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      if (this.state !== 'open') return;
      try {
        this.framer.push(chunk);
        this.handler?.onReadEnd?.(this);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        this.options.onInternalError?.(error, this);
        this.destroy(`internal error while reading: ${error.message}`);
      }
    });
    socket.on('error', (err) => {
      if (this.closeReason === null) this.closeReason = `socket error: ${err.message}`;
    });
    socket.on('end', () => {
      if (this.closeReason === null) this.closeReason = 'peer closed the connection';
      // Half-open is of no use to FIX: finish our side too.
      if (this.state === 'open') socket.end();
    });
    socket.on('close', () => this.closed());
  }

  get maxOutboundBytes(): number {
    return this.options.maxOutboundBytes;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get reason(): string | null {
    return this.closeReason;
  }

  /** Queues bytes on the socket. Cuts the connection when the peer has stopped reading. */
  write(bytes: Buffer): void {
    if (this.state !== 'open' || this.socket.destroyed) return;
    this.bytesOut += bytes.length;
    this.socket.write(bytes);
    if (this.socket.writableLength > this.options.maxOutboundBytes) {
      this.destroy(`slow consumer: ${this.socket.writableLength} bytes unsent (limit ${this.options.maxOutboundBytes})`);
    }
  }

  /** Resolves once at most `lowWater` bytes wait in the socket (or the connection is gone). */
  drained(lowWater: number): Promise<void> {
    if (this.state === 'closed' || this.socket.destroyed || this.socket.writableLength <= lowWater) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Graceful close: our FIN after what is queued, then a hard close if the peer does not finish. */
  end(reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.closeReason ??= reason;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), this.options.closeGraceMs ?? 2000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  destroy(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.state = 'closing';
    this.socket.destroy();
  }

  onClose(listener: (reason: string) => void): void {
    if (this.state === 'closed') listener(this.closeReason ?? 'closed');
    else this.closeListeners.push(listener);
  }

  private closed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const reason = this.closeReason ?? 'closed';
    this.closeReason = reason;
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }
}

/** "::ffff:127.0.0.1" → "127.0.0.1", so allowlists can be written in plain IPv4. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
