// A member's FIX client for the market data and trade capture tests: a real FixEngine initiator over TCP, validating
// everything it receives against FIX44.xml (a field the venue puts where the dictionary does not allow it is
// answered with a Reject(3), which the harness records). Received application messages are copied out of the
// engine's views into plain objects with their repeating groups.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FixEngine,
  quickfixValidator,
  type Application,
  type BodyWriter,
  type FixMessageView,
  type SessionHandle,
} from '../../../src/fix/index.js';
import { dictionary } from './dictionary.js';

/** A received message: top-level fields (first occurrence) and groups by count tag, recursively. */
export interface Msg {
  msgType: string;
  fields: Map<number, string>;
  groups: Map<number, Msg[]>;
  raw: string;
}

export function field(m: Msg, tag: number): string | undefined {
  return m.fields.get(tag);
}

export function group(m: Msg, countTag: number): Msg[] {
  return m.groups.get(countTag) ?? [];
}

function copyFields(view: FixMessageView, from: number, end: number, owner: number, msg: Msg): void {
  for (let i = from; i < end; i++) {
    if (view.ownerAt(i) !== owner) continue;
    const tag = view.tagAt(i);
    if (!msg.fields.has(tag)) msg.fields.set(tag, view.stringAt(i));
    const size = view.groupSizeAt(i);
    if (size < 0) continue;
    const instances: Msg[] = [];
    for (let k = 0; k < size; k++) {
      const inst = view.instanceOfField(i, k);
      const m: Msg = { msgType: '', fields: new Map(), groups: new Map(), raw: '' };
      copyFields(view, view.instanceFirstField(inst), view.instanceEndField(inst), inst, m);
      instances.push(m);
    }
    msg.groups.set(tag, instances);
  }
}

export function toMsg(view: FixMessageView): Msg {
  const msg: Msg = { msgType: view.msgType, fields: new Map(), groups: new Map(), raw: view.toString() };
  copyFields(view, 0, view.fieldCount, -1, msg);
  return msg;
}

/** Polls `condition` until it holds, failing at the deadline with `what`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class TestClient implements Application {
  readonly received: Msg[] = [];
  private session: SessionHandle | null = null;
  private waiters: (() => void)[] = [];
  private loggedOn = false;

  private constructor(
    readonly compId: string,
    private readonly engine: FixEngine,
    private readonly dir: string,
  ) {}

  static async connect(port: number, compId: string): Promise<TestClient> {
    const dir = await mkdtemp(join(tmpdir(), 'md-client-'));
    let client: TestClient | null = null;
    const app: Application = {
      onLogon: (s) => client!.onLogon(s),
      onLogout: () => {
        client!.loggedOn = false;
        client!.wake();
      },
      fromApp: (s, m) => client!.fromApp(s, m),
    };
    const engine = await FixEngine.create(
      {
        sessionsDir: dir,
        initiators: [
          {
            host: '127.0.0.1',
            port,
            reconnectMinMs: 50,
            reconnectMaxMs: 200,
            session: { beginString: 'FIX.4.4', senderCompId: compId, targetCompId: 'VENUE', dictionary, messageLog: false, heartBtIntSeconds: 30, resetOnLogon: true },
          },
        ],
      },
      app,
      quickfixValidator,
    );
    client = new TestClient(compId, engine, dir);
    await engine.start();
    await client.until(() => client!.loggedOn, 'logon');
    return client;
  }

  onLogon(session: SessionHandle): void {
    this.session = session;
    this.loggedOn = true;
    this.wake();
  }

  fromApp(_session: SessionHandle, view: FixMessageView): void {
    this.received.push(toMsg(view));
    this.wake();
  }

  send(msgType: string, body: BodyWriter): void {
    if (this.session === null) throw new Error('not logged on');
    this.session.send(msgType, body);
  }

  /** Takes the next received message, waiting for one. */
  async next(timeoutMs = 15_000): Promise<Msg> {
    await this.until(() => this.received.length > 0, 'a message', timeoutMs);
    return this.received.shift()!;
  }

  /** Takes messages until one of this type (and matching `where`) arrives; returns it and the ones skipped. */
  async nextOf(msgType: string, where: (m: Msg) => boolean = () => true, timeoutMs = 15_000): Promise<{ msg: Msg; skipped: Msg[] }> {
    const skipped: Msg[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(Math.max(1, deadline - Date.now()));
      if (m.msgType === msgType && where(m)) return { msg: m, skipped };
      skipped.push(m);
    }
  }

  async logout(): Promise<void> {
    this.session?.logout('test done');
    await this.until(() => !this.loggedOn, 'logout');
  }

  async stop(): Promise<void> {
    await this.engine.stop(500);
    await rm(this.dir, { recursive: true, force: true });
  }

  private until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`${this.compId}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      check();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
