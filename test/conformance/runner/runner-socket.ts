// One runner connection: buffers what the acceptor sends and reads it the way QuickFIX's FixParser.rb does (up to
// "\x019=", then the BodyLength value, then exactly that many bytes, then up to the next SOH), with a read timeout
// added so a missing answer fails instead of hanging.

import net from 'node:net';

export class RunnerFailure extends Error {}

export class RunnerSocket {
  private buffered: Buffer = Buffer.alloc(0);
  private ended = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (err) => {
      this.error = err;
      this.notify();
    });
  }

  static connect(host: string, port: number): Promise<RunnerSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const onError = (err: Error): void => reject(err);
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new RunnerSocket(socket));
      });
    });
  }

  write(payload: string): void {
    this.socket.write(Buffer.from(payload, 'latin1'));
  }

  close(): void {
    this.socket.destroy();
  }

  /** Reads one message as FixParser.rb frames it. */
  async readMessage(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const head = await this.readThrough('\x019=', deadline);
    const lengthText = await this.readThrough('\x01', deadline);
    const bodyLength = rubyToI(lengthText.slice(0, -1));
    const body = await this.readExactly(bodyLength, deadline);
    const trailer = await this.readThrough('\x01', deadline);
    return head + lengthText + body + trailer;
  }

  /**
   * eDISCONNECT: waits up to `timeoutMs` for the peer to close. Any byte received first fails, as Ruby's
   * `IO.select` + `eof?` do.
   */
  async expectDisconnect(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffered.length > 0) throw new RunnerFailure('Expected disconnection, got data');
      if (this.error) throw new RunnerFailure(`Expected disconnection, got ${this.error.message}`);
      if (this.ended) return;
      if (!(await this.waitForActivity(deadline))) throw new RunnerFailure('Connection hangs after ten seconds.');
    }
  }

  private async readThrough(delimiter: string, deadline: number): Promise<string> {
    const needle = Buffer.from(delimiter, 'latin1');
    for (;;) {
      const at = this.buffered.indexOf(needle);
      if (at >= 0) return this.take(at + needle.length);
      await this.waitForMore(deadline);
    }
  }

  private async readExactly(count: number, deadline: number): Promise<string> {
    while (this.buffered.length < count) await this.waitForMore(deadline);
    return this.take(count);
  }

  private take(count: number): string {
    const out = this.buffered.subarray(0, count).toString('latin1');
    this.buffered = this.buffered.subarray(count);
    return out;
  }

  private async waitForMore(deadline: number): Promise<void> {
    if (this.error) throw new RunnerFailure(`Was disconnected, expected data (${this.error.message})`);
    if (this.ended) throw new RunnerFailure('Was disconnected, expected data');
    if (!(await this.waitForActivity(deadline))) throw new RunnerFailure('Timed out waiting for data (read timeout)');
  }

  /** Resolves true on any socket activity, false at the deadline. */
  private waitForActivity(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, Math.max(0, deadline - Date.now()));
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve(true);
      };
    });
  }

  private notify(): void {
    this.wake?.();
  }
}

/** Ruby's String#to_i: leading digits (with an optional sign), 0 when there are none. */
function rubyToI(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
