// The admin HTTP server of the venue (node:http: a dozen routes, JSON in and out, one event stream — a
// framework would add more than it saves). It listens before the venue starts, so Kubernetes' liveness probe
// answers during a long journal replay and /ready says "starting"; attach() plugs in the running venue
// (admin API, metrics, dashboard); detach() when the venue stops.
//
//   GET /health     200 while the process serves HTTP                               public
//   GET /ready      200 ready / 503 not (see health/readiness.ts), JSON components  public
//   GET /metrics    Prometheus text, the venue's one registry                       public
//   GET /           the dashboard page (and /assets/*)                              public (holds no data)
//   /api/...        admin API (see admin/*-routes.ts), bearer token                 viewer / operator
//   GET /api/stream the dashboard's server-sent events                              viewer (token or login cookie)

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { AuditTrail } from './admin/audit-trail.js';
import type { AdminContext } from './admin/admin-context.js';
import { clearingRoutes } from './admin/clearing-routes.js';
import { marketRoutes } from './admin/market-routes.js';
import { riskRoutes } from './admin/risk-routes.js';
import { sessionRoutes } from './admin/session-routes.js';
import { snapshotRoutes } from './admin/snapshot-routes.js';
import { authenticate } from './auth/authenticate.js';
import { LoginSessions } from './auth/login-sessions.js';
import type { Principal, TokenBook } from './auth/principals.js';
import { DashboardFeed } from './dashboard/dashboard-feed.js';
import { SseHub } from './dashboard/sse-hub.js';
import { loadAssets, type Asset } from './dashboard/static-assets.js';
import { checkReadiness, stoppingReadiness, type Readiness } from './health/readiness.js';
import { HttpError } from './http/http-error.js';
import { parseJsonBody, readBodyText, type JsonObject } from './http/request-body.js';
import { auditParams, unreadBodyText } from './admin/audit-body.js';
import { Router, type Reply, type RequestContext, type Route, type RouteMatch } from './http/router.js';
import type { Logger } from '../shared/logger.js';
import { tapLogs } from './log-tap.js';
import { MarketView } from './market/market-view.js';
import { OpsMetrics } from './metrics/ops-metrics.js';
import { scrapeMetrics } from './metrics/scrape.js';
import { addNodeMetrics } from './metrics/venue-registry.js';
import { SessionBoard } from './sessions/session-board.js';
import { SessionCatalog } from './sessions/session-catalog.js';
import type { OpsSources } from './sources.js';

export interface OpsServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** The venue's one registry (risk, clearing and records register in it too). */
  registry: Registry;
  tokens: TokenBook;
  /** Append-only JSON-lines file of operator actions; null for log only. */
  auditFile?: string | null;
  /** How often the dashboard is refreshed without events (rates, silences), ms. */
  tickMs?: number;
}

interface Attached {
  sources: OpsSources;
  router: Router;
  metrics: OpsMetrics;
  board: SessionBoard;
  feed: DashboardFeed;
  untap: () => void;
  unaudit: () => void;
}

const PUSH_DELAY_MS = 100;
const MAX_FAILED_LOGINS_PER_MINUTE = 20;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

export class OpsServer {
  readonly audit: AuditTrail;
  private readonly server: Server;
  private readonly base: Router;
  private readonly logins = new LoginSessions();
  private readonly hub = new SseHub();
  private readonly assets: Map<string, Asset>;
  private attached: Attached | null = null;
  private stopping = false;
  private stopReason = 'stopping';
  private tickTimer: NodeJS.Timeout | null = null;
  private pushTimer: NodeJS.Timeout | null = null;
  private readinessCache: { at: number; value: Promise<Readiness> } | null = null;
  private failedLogins: number[] = [];

  constructor(private readonly options: OpsServerOptions) {
    addNodeMetrics(options.registry);
    this.audit = new AuditTrail(options.logger, options.auditFile ?? null);
    this.assets = loadAssets();
    this.base = new Router().add(...this.baseRoutes());
    this.server = createServer((req, res) => void this.handle(req, res));
    // Slow or idle clients must not hold sockets forever; the event stream is exempt (it stays open by design).
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    if (options.tokens.size === 0) {
      options.logger.warn('ops: no admin tokens configured (ADMIN_TOKEN_OPERATOR, ADMIN_TOKEN_VIEWER, ADMIN_TOKENS): the admin API refuses every request');
    }
  }

  /** Starts listening; resolves with the port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.options.logger.info('ops: admin HTTP listening', { host: this.options.host, port: this.port });
    return this.port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Plugs in the running venue: admin API, metrics and dashboard become available. */
  attach(sources: OpsSources): void {
    if (this.attached !== null) throw new Error('ops: a venue is already attached');
    this.stopping = false;
    const catalog = new SessionCatalog(sources.fix, sources.sessions);
    const board = new SessionBoard(sources.fix, catalog, sources.venue.queries);
    const market = new MarketView(sources.venue);
    const feed = new DashboardFeed(sources, catalog, board, market, () => this.changed());
    const ctx: AdminContext = { sources, catalog, board, market, audit: this.audit, logger: this.options.logger };
    const router = new Router().add(...sessionRoutes(ctx), ...marketRoutes(ctx), ...riskRoutes(ctx), ...clearingRoutes(ctx), ...snapshotRoutes(ctx));
    this.attached = {
      sources,
      router,
      metrics: new OpsMetrics(this.options.registry, sources, catalog),
      board,
      feed,
      untap: tapLogs(this.options.logger, (line) => feed.onLog(line)),
      unaudit: this.audit.onEntry((e) => feed.onAudit(e)),
    };
    board.sample();
    const tickMs = this.options.tickMs ?? 1000;
    this.tickTimer = setInterval(() => this.tick(), tickMs);
    this.tickTimer.unref();
  }

  /**
   * The venue is stopping (or restarting, the `reason`): /ready answers 503 with the reason from now on, the API
   * 503, metrics of the venue go away until the next attach().
   */
  detach(reason = 'stopping'): void {
    this.stopping = true;
    this.stopReason = reason;
    const a = this.attached;
    this.attached = null;
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    if (this.pushTimer !== null) clearTimeout(this.pushTimer);
    this.tickTimer = this.pushTimer = null;
    if (a === null) return;
    a.metrics.close();
    a.feed.close();
    a.board.close();
    a.untap();
    a.unaudit();
  }

  async close(): Promise<void> {
    this.detach();
    this.hub.closeAll();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive and half-finished requests would hold close() open: end them now.
    this.server.closeAllConnections();
    await closed;
    await this.audit.flushed();
  }

  // ------------------------------------------------------------------ request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    let match: RouteMatch | null = null;
    let principal: Principal | null = null;
    let body: JsonObject | null = null;
    let bodyText: string | null = null;
    try {
      match = this.match(req.method ?? 'GET', url.pathname);
      const route = match.route;
      try {
        principal = authenticate(req, route.access, this.options.tokens, this.logins);
      } catch (err) {
        if (route.action !== undefined && err instanceof HttpError && err.status === 403) principal = this.guess(req);
        throw err;
      }
      const ctx: RequestContext = {
        req,
        res,
        params: match.params,
        query: url.searchParams,
        principal,
        body: async () => (body ??= parseJsonBody(req, (bodyText ??= await readBodyText(req)))),
      };
      const reply = await route.handler(ctx);
      if (reply !== undefined) this.send(res, req, reply.status ?? 200, reply.body, reply.headers);
      if (route.action !== undefined) this.record(req, match, principal, body, 'done', reply?.status ?? 200, detailOf(reply));
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (!(err instanceof HttpError)) {
        this.options.logger.error('ops: admin request failed', { path: url.pathname, reason: err instanceof Error ? err.message : String(err) });
      }
      const message = err instanceof HttpError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
      // A refused action is audited with what it asked for: read its body before answering, if nobody did.
      if (match?.route.action !== undefined && bodyText === null && !res.headersSent) bodyText = await unreadBodyText(req);
      const payload: Record<string, string> = { error: message };
      if (err instanceof HttpError && err.field !== undefined) payload.field = err.field;
      if (!res.headersSent) this.send(res, req, status, payload, err instanceof HttpError ? err.headers : {});
      else res.destroy();
      if (match?.route.action !== undefined) {
        this.record(req, match, principal, body ?? auditParams(bodyText ?? ''), status < 500 ? 'refused' : 'failed', status, message);
      }
    }
  }

  private match(method: string, path: string): RouteMatch {
    try {
      return this.base.match(method, path);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 404) throw err;
      if (this.attached !== null) return this.attached.router.match(method, path);
      if (path.startsWith('/api/')) throw new HttpError(503, this.stopping ? `venue ${this.stopReason}` : 'venue starting: try again shortly');
      throw err;
    }
  }

  private send(res: ServerResponse, req: IncomingMessage, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, { ...JSON_HEADERS, 'x-content-type-options': 'nosniff', ...headers });
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  private record(req: IncomingMessage, match: RouteMatch, principal: Principal | null, body: JsonObject | null, outcome: 'done' | 'refused' | 'failed', status: number, detail: string): void {
    this.audit.record({
      who: principal?.name ?? 'anonymous',
      role: principal?.role ?? 'none',
      action: match.route.action!,
      target: Object.values(match.params).join('/') || '-',
      params: body ?? {},
      outcome,
      status,
      detail,
      remote: req.socket.remoteAddress ?? '',
    });
  }

  /** Who a refused (403) request came from, for the audit line. */
  private guess(req: IncomingMessage): Principal | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return m === null ? null : this.options.tokens.find(m[1]!);
  }

  // ------------------------------------------------------------------ routes that work without a venue

  private baseRoutes(): Route[] {
    const registry = this.options.registry;
    return [
      { method: 'GET', pattern: '/health', access: 'public', handler: () => ({ body: { status: 'alive', uptimeSeconds: Math.round(process.uptime()) } }) },
      {
        method: 'GET',
        pattern: '/ready',
        access: 'public',
        handler: async () => {
          const r = await this.readiness(0);
          return { status: r.ready ? 200 : 503, body: r };
        },
      },
      {
        method: 'GET',
        pattern: '/metrics',
        access: 'public',
        handler: async ({ req, res }) => {
          const text = await scrapeMetrics(registry);
          res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
      },
      ...[...this.assets.keys()].map((path): Route => ({ method: 'GET', pattern: path, access: 'public', handler: ({ req, res }) => this.sendAsset(req, res, path) })),
      { method: 'POST', pattern: '/api/login', access: 'public', handler: (ctx) => this.login(ctx) },
      {
        method: 'POST',
        pattern: '/api/logout',
        access: 'public',
        handler: ({ req }) => ({ body: { loggedOut: true }, headers: { 'set-cookie': this.logins.end(req.headers.cookie) } }),
      },
      { method: 'GET', pattern: '/api/whoami', access: 'viewer', handler: ({ principal }) => ({ body: principal }) },
      {
        method: 'GET',
        pattern: '/api/audit',
        access: 'viewer',
        handler: ({ query }) => ({ body: { entries: this.audit.recent(Math.min(1000, Math.max(1, Number(query.get('limit')) || 100))) } }),
      },
      {
        method: 'GET',
        pattern: '/api/stream',
        access: 'viewer',
        handler: async ({ req, res }) => {
          const first = this.attached === null ? null : { event: 'state', data: await this.state() };
          this.hub.open(req, res, first);
        },
      },
    ];
  }

  private async login(ctx: RequestContext): Promise<Reply> {
    const now = Date.now();
    this.failedLogins = this.failedLogins.filter((t) => now - t < 60_000);
    if (this.failedLogins.length >= MAX_FAILED_LOGINS_PER_MINUTE) throw new HttpError(429, 'too many failed logins: wait a minute');
    const token = (await ctx.body()).token;
    if (typeof token !== 'string' || token === '') throw new HttpError(400, "field 'token' is required: an admin token", 'token');
    const principal = this.options.tokens.find(token);
    if (principal === null) {
      this.failedLogins.push(now);
      this.options.logger.warn('ops: dashboard login refused', { remote: ctx.req.socket.remoteAddress ?? '' });
      throw new HttpError(401, 'unknown or revoked token', 'token');
    }
    const { cookie } = this.logins.create(principal);
    return { body: principal, headers: { 'set-cookie': cookie } };
  }

  private sendAsset(req: IncomingMessage, res: ServerResponse, path: string): Reply {
    const asset = this.assets.get(path)!;
    const headers = {
      'content-type': asset.type,
      etag: asset.etag,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': PAGE_POLICY,
      'referrer-policy': 'no-referrer',
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  // ------------------------------------------------------------------ dashboard

  /** Readiness, at most maxAgeMs old (the dashboard reuses one check a second; /ready always checks afresh). */
  private readiness(maxAgeMs: number): Promise<Readiness> {
    if (this.stopping) return Promise.resolve(stoppingReadiness(this.stopReason));
    const now = Date.now();
    if (this.readinessCache === null || now - this.readinessCache.at > maxAgeMs) {
      this.readinessCache = { at: now, value: checkReadiness(this.attached?.sources ?? null) };
    }
    return this.readinessCache.value;
  }

  private async state(): Promise<unknown> {
    const readiness = await this.readiness(1000);
    return this.attached?.feed.state(readiness) ?? null;
  }

  private tick(): void {
    this.attached?.board.sample();
    this.push();
  }

  private changed(): void {
    if (this.pushTimer !== null || this.hub.size === 0) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.push();
    }, PUSH_DELAY_MS);
  }

  private push(): void {
    if (this.hub.size === 0 || this.attached === null) return;
    this.state().then(
      (state) => {
        if (state !== null) this.hub.broadcast('state', state);
      },
      (err: unknown) => this.options.logger.warn('ops: dashboard state failed', { reason: err instanceof Error ? err.message : String(err) }),
    );
  }
}

function detailOf(reply: Reply): string {
  if (reply === undefined) return '';
  const text = JSON.stringify(reply.body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
