// A deliberately simple FIX 4.4 client for end-to-end tests: it shares no code with the venue's engine (its
// own framing, checksum and field handling), so a bug in the engine cannot hide behind the same bug here.
// Messages are plain tag → value maps; `next()` awaits a message matching a predicate (no sleeps).

import { connect, type Socket } from 'node:net';

export const SOH = '\x01';

export interface FixMsg {
  type: string;
  fields: Map<number, string>;
  /** All fields in order, repeats included (for groups). */
  list: Array<[number, string]>;
  raw: string;
  get(tag: number): string | undefined;
}

export interface ClientOptions {
  host?: string;
  port: number;
  senderCompId: string;
  targetCompId: string;
  password?: string;
  heartBtInt?: number;
  resetSeqNum?: boolean;
  /** First MsgSeqNum to send (default 1). */
  seqNum?: number;
}

export function stamp(d = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

export function frame(body: string): string {
  const head = `8=FIX.4.4${SOH}9=${Buffer.byteLength(body, 'latin1')}${SOH}`;
  const msg = head + body;
  let sum = 0;
  for (let i = 0; i < msg.length; i++) sum += msg.charCodeAt(i);
  return `${msg}10=${String(sum % 256).padStart(3, '0')}${SOH}`;
}

export function parseMessage(raw: string): FixMsg {
  const list: Array<[number, string]> = [];
  const fields = new Map<number, string>();
  for (const part of raw.split(SOH)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const tag = Number(part.slice(0, eq));
    const value = part.slice(eq + 1);
    list.push([tag, value]);
    if (!fields.has(tag)) fields.set(tag, value);
  }
  return { type: fields.get(35) ?? '', fields, list, raw, get: (t) => fields.get(t) };
}

export class FixTestClient {
  private socket: Socket | null = null;
  private buffer = '';
  private readonly inbox: FixMsg[] = [];
  private waiters: Array<{ pred: (m: FixMsg) => boolean; resolve: (m: FixMsg) => void }> = [];
  private closedWaiters: Array<() => void> = [];
  seq: number;
  closed = false;
  /** Every message received, in order (including those already consumed by next()). */
  readonly received: FixMsg[] = [];

  constructor(readonly options: ClientOptions) {
    this.seq = options.seqNum ?? 1;
  }

  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const s = connect(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
      s.setNoDelay(true);
      s.setEncoding('latin1');
      s.on('error', reject);
      s.on('data', (d: string) => this.onData(d));
      s.on('close', () => {
        this.closed = true;
        for (const w of this.closedWaiters) w();
        this.closedWaiters = [];
      });
      this.socket = s;
    });
  }

  /** Connects and logs on; resolves with the venue's Logon. */
  async logon(extra = ''): Promise<FixMsg> {
    if (!this.socket) await this.connect();
    const o = this.options;
    let body = `98=0${SOH}108=${o.heartBtInt ?? 30}${SOH}`;
    if (o.resetSeqNum) body += `141=Y${SOH}`;
    if (o.password) body += `554=${o.password}${SOH}`;
    this.send('A', body + extra);
    return this.next((m) => m.type === 'A' || m.type === '5', 15_000);
  }

  /** Sends an application or admin message; `body` is `tag=value|`-style with SOH separators, header added here. */
  send(msgType: string, body: string, header = ''): number {
    const seq = this.seq++;
    const o = this.options;
    const msg = frame(`35=${msgType}${SOH}34=${seq}${SOH}49=${o.senderCompId}${SOH}52=${stamp()}${SOH}56=${o.targetCompId}${SOH}${header}${body}`);
    this.socket!.write(msg, 'latin1');
    return seq;
  }

  /** Builds a body from [tag, value] pairs. */
  static body(pairs: Array<[number, string | number]>): string {
    return pairs.map(([t, v]) => `${t}=${v}${SOH}`).join('');
  }

  sendRaw(bytes: string): void {
    this.socket!.write(bytes, 'latin1');
  }

  private onData(d: string): void {
    this.buffer += d;
    for (;;) {
      const m = /\x0110=\d{3}\x01/.exec(this.buffer);
      if (!m) return;
      const end = m.index + m[0].length;
      const raw = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      const start = raw.indexOf('8=FIX');
      const msg = parseMessage(raw.slice(Math.max(0, start)));
      this.received.push(msg);
      // Answer heartbeats' test requests so long tests stay logged on.
      if (msg.type === '1') this.send('0', `112=${msg.get(112) ?? ''}${SOH}`);
      const i = this.waiters.findIndex((w) => w.pred(msg));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w!.resolve(msg);
      } else this.inbox.push(msg);
    }
  }

  /** The first unconsumed message matching pred (waiting up to timeoutMs for it). */
  next(pred: (m: FixMsg) => boolean = () => true, timeoutMs = 15_000): Promise<FixMsg> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = { pred, resolve: (m: FixMsg) => { clearTimeout(timer); resolve(m); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms; unconsumed: ${this.inbox.map((m) => m.raw.replaceAll(SOH, '|')).join('\n')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Next ExecutionReport for a ClOrdID (optionally with an ExecType). */
  er(clOrdId: string, execType?: string, timeoutMs = 15_000): Promise<FixMsg> {
    return this.next((m) => m.type === '8' && m.get(11) === clOrdId && (execType === undefined || m.get(150) === execType), timeoutMs);
  }

  /** Messages received and not yet consumed. */
  pending(): FixMsg[] {
    return [...this.inbox];
  }

  /** Resolves when the venue closes the connection. */
  waitClosed(timeoutMs = 15_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connection still open')), timeoutMs);
      this.closedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async logout(): Promise<void> {
    if (this.closed) return;
    this.send('5', '');
    await this.next((m) => m.type === '5', 3000).catch(() => undefined);
    this.close();
  }

  close(): void {
    this.socket?.destroy();
  }
}
