// jspurefix (an independent FIX engine, MIT) as a member firm's initiator, for interoperability tests: it logs
// on with its own session layer, validates what we send against its own reading of the FIX 4.4 dictionary,
// and hands back each application message as a plain object keyed by field name. Its message integrity check
// (an acceptor's default) is switched on: a message with a tag its dictionary does not define for the type, a
// missing required tag or a bad checksum is answered with a session Reject and never reaches the application.

import 'reflect-metadata';
import { resolve } from 'node:path';
import {
  AsciiSession,
  EmptyLogFactory,
  SessionLauncher,
  type EngineFactory,
  type IJsFixConfig,
  type ISessionDescription,
  type MsgView,
} from 'jspurefix';

export type JsObject = Record<string, unknown>;

interface Waiter {
  pred: (msgType: string, obj: JsObject) => boolean;
  resolve: (obj: JsObject) => void;
}

export class JspurefixMember extends AsciiSession {
  readonly inbox: Array<{ msgType: string; obj: JsObject }> = [];
  /** Every session Reject this engine sent ('|' for SOH): a strict client's complaints about us. */
  readonly rejectsSent: string[] = [];
  /** Every session Reject it received from the venue, as text. */
  readonly rejectsReceived: string[] = [];
  /** Every message received (admin and application), as jspurefix decoded it ('|' for SOH). */
  readonly received: string[] = [];
  private waiters: Waiter[] = [];
  private readyResolve: (() => void) | null = null;
  readonly ready: Promise<void>;

  constructor(config: IJsFixConfig) {
    super(config);
    this.checkMsgIntegrity = true;
    this.ready = new Promise((r) => {
      this.readyResolve = r;
    });
  }

  protected onApplicationMsg(msgType: string, view: MsgView): void {
    const obj = view.toObject() as JsObject;
    const i = this.waiters.findIndex((w) => w.pred(msgType, obj));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(obj);
    else this.inbox.push({ msgType, obj });
  }

  protected onReady(_view: MsgView): void {
    this.readyResolve?.();
  }

  protected onLogon(_view: MsgView, _user: string, _password: string): boolean {
    return true;
  }

  protected onStopped(_error?: Error): void {}
  protected onDecoded(msgType: string, txt: string): void {
    this.received.push(txt);
    if (msgType === '3') this.rejectsReceived.push(txt);
  }

  protected onEncoded(msgType: string, txt: string): void {
    if (msgType === '3') this.rejectsSent.push(txt);
  }

  sendApp(msgType: string, obj: JsObject): void {
    this.send(msgType, obj);
  }

  /** The next application message of a type matching a predicate, waiting up to timeoutMs. */
  next(msgType: string, pred: (obj: JsObject) => boolean = () => true, timeoutMs = 5000): Promise<JsObject> {
    const i = this.inbox.findIndex((m) => m.msgType === msgType && pred(m.obj));
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!.obj);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred: (t, o) => t === msgType && pred(o),
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`jspurefix ${this.config.description.SenderCompId}: no ${msgType} within ${timeoutMs} ms; inbox: ${JSON.stringify(this.inbox.map((m) => [m.msgType, m.obj.ClOrdID, m.obj.ExecType, m.obj.Text]))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  logout(): void {
    this.done();
  }
}

class MemberLauncher extends SessionLauncher {
  session: JspurefixMember | null = null;

  constructor(description: ISessionDescription) {
    super(description, null, new EmptyLogFactory());
  }

  protected override makeFactory(_config: IJsFixConfig): EngineFactory {
    return {
      makeSession: (config: IJsFixConfig) => {
        this.session = new JspurefixMember(config);
        return this.session;
      },
    };
  }
}

export interface MemberOptions {
  port: number;
  senderCompId: string;
  targetCompId: string;
  password?: string;
  /** The dictionary jspurefix loads (default fix-dictionaries/FIX44.xml). */
  dictionary?: string;
}

/** Starts a jspurefix initiator and resolves once its session is logged on. */
export async function connectJspurefixMember(o: MemberOptions): Promise<{ member: JspurefixMember; stop: () => Promise<void> }> {
  const description = {
    application: {
      type: 'initiator',
      name: `jspurefix-${o.senderCompId}`,
      reconnectSeconds: 1,
      tcp: { host: '127.0.0.1', port: o.port },
      protocol: 'ascii',
      dictionary: resolve(o.dictionary ?? 'fix-dictionaries/FIX44.xml'),
    },
    Password: o.password,
    EncryptMethod: 0,
    ResetSeqNumFlag: false,
    HeartBtInt: 30,
    SenderCompId: o.senderCompId,
    TargetCompID: o.targetCompId,
    BeginString: 'FIX.4.4',
  } as unknown as ISessionDescription;
  const launcher = new MemberLauncher(description);
  const running = launcher.run();
  const deadline = Date.now() + 10_000;
  while (launcher.session === null) {
    if (Date.now() > deadline) throw new Error('jspurefix session was never created');
    await new Promise((r) => setImmediate(r));
  }
  await launcher.session.ready;
  return {
    member: launcher.session,
    stop: async () => {
      launcher.session?.logout();
      launcher.stop();
      await running.catch(() => undefined);
    },
  };
}
