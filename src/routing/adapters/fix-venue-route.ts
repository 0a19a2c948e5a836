// Another FIX 4.4 venue as a route: one initiator session of our own FIX engine (TLS with SNI, heartbeats,
// sequence numbers persisted in its store, reconnect with backoff). Orders, cancels and replaces go out with our
// ClOrdIDs (client-ids.ts), so every ExecutionReport or OrderCancelReject maps back to the member's order by its
// ClOrdID alone, across restarts.
//
// Recovery after a reconnect is FIX's own: the engine's sequence numbers make the other venue resend what we
// missed (and us what it missed); then every open order is checked with an OrderStatusRequest and requests that
// could not go out while the session was down are sent. A message sent while logged out would only go out on a
// ResendRequest, so nothing is sent then: new orders are refused (the route is down) and cancels wait.

import { join } from 'node:path';
import {
  FixEngine,
  loadDictionaryShared,
  MsgType,
  quickfixValidator,
  Tag,
  type Application,
  type BodyWriter,
  type FixMessageView,
  type SessionHandle,
} from '../../fix/index.js';
import type { FixRouteSettings } from '../../config/routing-section.js';
import type { ClientIds } from '../client-ids.js';
import type { AdapterHooks, RouteAdapter, RoutedOrder, RouteHealth } from '../route-adapter.js';
import { cancelRequest, newOrderSingle, replaceRequest, statusRequest, type Destination } from './fix-venue-messages.js';
import { reportFromCancelReject, reportFromExecution } from './fix-venue-reports.js';

export interface FixVenueRouteOptions {
  /** The route's settings, with the password already resolved. */
  settings: FixRouteSettings;
  clientIds: ClientIds;
  dictionaryPath: string;
  sessionsDir: string;
  fsync: boolean;
  now?: () => number;
}

/** What a sent message was about, to map a Reject(3) or BusinessMessageReject(j) back to it. */
interface Sent {
  orderId: number;
  kind: 'new' | 'cancel' | 'replace' | 'status';
}

const SENT_MEMORY = 10_000;

export class FixVenueRoute implements RouteAdapter {
  readonly name: string;
  private readonly settings: FixRouteSettings;
  private readonly ids: ClientIds;
  private readonly now: () => number;
  private hooks: AdapterHooks | null = null;
  private engine: FixEngine | null = null;
  private session: SessionHandle | null = null;
  private loggedOn = false;
  private lastLogout = 'connecting';
  private logonWaiters: Array<() => void> = [];
  /** Our outgoing MsgSeqNum → what it was, for rejects that refer to it. */
  private readonly sent = new Map<number, Sent>();
  /** Pending requests already sent in this process (order id → request seq): not sent twice over one connection. */
  private readonly sentRequests = new Map<number, number>();

  constructor(private readonly options: FixVenueRouteOptions) {
    this.settings = options.settings;
    this.name = options.settings.name;
    this.ids = options.clientIds;
    this.now = options.now ?? Date.now;
  }

  health(): RouteHealth {
    if (this.loggedOn) return { state: 'up', reason: '' };
    const s = this.settings;
    return { state: 'down', reason: `FIX session ${s.senderCompId}->${s.targetCompId} at ${s.host}:${s.port} not logged on (${this.lastLogout})` };
  }

  async start(hooks: AdapterHooks): Promise<void> {
    this.hooks = hooks;
    const s = this.settings;
    const dictionary = loadDictionaryShared(this.options.dictionaryPath);
    this.engine = await FixEngine.create(
      {
        sessionsDir: join(this.options.sessionsDir, 'routes'),
        fsync: this.options.fsync,
        logger: hooks.logger,
        initiators: [
          {
            host: s.host,
            port: s.port,
            reconnectMinMs: s.reconnectMinMs,
            reconnectMaxMs: s.reconnectMaxMs,
            tls: s.tls
              ? {
                  ...(s.tls.servername !== '' ? { servername: s.tls.servername } : {}),
                  ...(s.tls.caFile !== '' ? { ca: s.tls.caFile } : {}),
                  ...(s.tls.certFile !== '' ? { cert: s.tls.certFile } : {}),
                  ...(s.tls.keyFile !== '' ? { key: s.tls.keyFile } : {}),
                  rejectUnauthorized: s.tls.rejectUnauthorized,
                }
              : undefined,
            session: {
              beginString: 'FIX.4.4',
              senderCompId: s.senderCompId,
              targetCompId: s.targetCompId,
              dictionary,
              heartBtIntSeconds: s.heartbeatSeconds,
              password: s.password,
              username: s.username,
              resetOnLogon: s.resetOnLogon,
            },
          },
        ],
      },
      this.application(),
      quickfixValidator,
    );
    await this.engine.start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.loggedOn ? resolve() : this.logonWaiters.push(resolve))),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, s.startWaitMs))),
    ]);
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.engine?.stop();
    this.loggedOn = false;
    this.lastLogout = 'stopped';
  }

  private application(): Application {
    return {
      onCreate: (session) => {
        this.session = session;
      },
      onLogon: () => {
        this.loggedOn = true;
        // Requests sent before a disconnect reach the other venue through FIX resend; only a sequence reset loses them.
        if (this.settings.resetOnLogon) this.sentRequests.clear();
        this.hooks?.logger.info('FIX route logged on', { target: this.settings.targetCompId });
        for (const w of this.logonWaiters) w();
        this.logonWaiters = [];
        this.hooks?.connected();
      },
      onLogout: (_session, reason) => {
        this.loggedOn = false;
        this.lastLogout = reason;
        this.hooks?.logger.warn('FIX route logged out', { target: this.settings.targetCompId, reason });
      },
      fromAdmin: (_session, view) => {
        if (view.msgType === MsgType.Reject) this.onReject(view);
      },
      fromApp: (_session, view) => {
        switch (view.msgType) {
          case MsgType.ExecutionReport:
            return this.onExecutionReport(view);
          case MsgType.OrderCancelReject:
            return this.onCancelReject(view);
          case 'j':
            return this.onReject(view);
          default:
            return;
        }
      },
      onStoreError: (_session, error) => {
        this.hooks?.logger.error('FIX route store failed', { reason: error.message });
      },
    };
  }

  private destination(venueSymbol: string): Destination {
    return { symbol: this.settings.symbols[venueSymbol] ?? venueSymbol, account: this.settings.account };
  }

  private send(msgType: string, body: BodyWriter, about: Sent): boolean {
    const session = this.session;
    if (session === null || !this.loggedOn) return false;
    try {
      const seq = session.send(msgType, body);
      this.sent.set(seq, about);
      if (this.sent.size > SENT_MEMORY) this.sent.delete(this.sent.keys().next().value!);
      return true;
    } catch (err) {
      this.hooks?.logger.error('FIX route cannot send', { reason: (err as Error).message, orderId: about.orderId });
      return false;
    }
  }

  // ------------------------------------------------------------------ requests

  async place(order: RoutedOrder): Promise<void> {
    const hooks = this.hooks!;
    const o = order.view.order;
    const id = o.orderId;
    const body = newOrderSingle(o, order.spec, this.destination(o.symbol), this.ids.order(id, 0), this.now());
    if (!this.send(MsgType.NewOrderSingle, body, { orderId: id, kind: 'new' })) {
      hooks.report(id, 'rejected', { text: `route ${this.name} is down (${this.health().reason})` });
    }
  }

  async cancel(order: RoutedOrder): Promise<void> {
    const { view, spec } = order;
    const p = view.pending;
    const id = view.order.orderId;
    if (p === null || p.kind !== 'cancel' || this.sentRequests.get(id) === p.requestSeq) return;
    const body = cancelRequest(view.order, spec, this.destination(view.order.symbol), this.ids.cancel(id, p.requestSeq),
      this.ids.order(id, view.incarnation), view.externalOrderId, this.now());
    // Not logged on: it goes out after the next logon, when the router re-sends pending requests.
    if (this.send(MsgType.OrderCancelRequest, body, { orderId: id, kind: 'cancel' })) this.sentRequests.set(id, p.requestSeq);
  }

  async replace(order: RoutedOrder): Promise<void> {
    const { view, spec } = order;
    const p = view.pending;
    const id = view.order.orderId;
    if (p === null || p.kind !== 'replace' || this.sentRequests.get(id) === p.requestSeq) return;
    const body = replaceRequest(view.order, p, spec, this.destination(view.order.symbol), this.ids.order(id, p.requestSeq),
      this.ids.order(id, view.incarnation), view.externalOrderId, this.now());
    if (this.send(MsgType.OrderCancelReplaceRequest, body, { orderId: id, kind: 'replace' })) this.sentRequests.set(id, p.requestSeq);
  }

  /** Asks for the order's status; the answer (ExecType I) is applied when it comes. */
  async reconcile(order: RoutedOrder): Promise<void> {
    const { view } = order;
    const id = view.order.orderId;
    this.send(MsgType.OrderStatusRequest, statusRequest(view.order, this.destination(view.order.symbol), this.ids.order(id, view.incarnation), view.externalOrderId), {
      orderId: id,
      kind: 'status',
    });
  }

  // ------------------------------------------------------------------ what the other venue says

  private onExecutionReport(view: FixMessageView): void {
    const hooks = this.hooks!;
    const r = reportFromExecution(view, this.ids, (orderId) => hooks.order(orderId));
    if (r === null) return;
    if ('discrepancy' in r) return hooks.discrepancy(r.orderId, r.discrepancy);
    hooks.report(r.orderId, r.kind, r.fields);
  }

  private onCancelReject(view: FixMessageView): void {
    const hooks = this.hooks!;
    const r = reportFromCancelReject(view, this.ids);
    if (r === null) return;
    this.sentRequests.delete(r.orderId);
    hooks.report(r.orderId, r.kind, r.fields);
  }

  /** A Reject(3) or BusinessMessageReject(j) of one of our messages: its request is refused. */
  private onReject(view: FixMessageView): void {
    const hooks = this.hooks!;
    const about = this.sent.get(view.getInt(Tag.RefSeqNum) ?? -1);
    if (about === undefined || about.kind === 'status') return;
    const text = `${view.msgType === MsgType.Reject ? 'session' : 'business'} reject from ${this.name}: ${view.getString(Tag.Text) ?? 'no reason given'}`;
    const kind = about.kind === 'new' ? 'rejected' : about.kind === 'cancel' ? 'cancelRejected' : 'replaceRejected';
    const o = hooks.order(about.orderId);
    // A rejected status request changes nothing; a rejected new order only while it is still unacknowledged.
    if (o === undefined || (about.kind === 'new' && o.view.acknowledged)) return;
    this.sentRequests.delete(about.orderId);
    hooks.report(about.orderId, kind, { text });
  }
}
