// Connects outbound routing to the venue: the order router decides each new order's route inside the order pipeline
// (after pre-trade risk, before the journal), listens to live events to drive routed orders at their external
// venues, and journals what those venues answer as route reports through the same pipeline. Built from the
// `routing` section; null when no route is configured (then nothing changes for anyone).
//
//   const routing = createRouting(settings, journal, (cmd) => app.submit(cmd), logger);   // constructor
//   new OrderPipeline(journal, preTrade, routing?.router ?? null);
//   ... journal.open() ...
//   await routing?.start();             // after the replay, before members connect
//   await routing?.stop();              // before the journal closes

import type { VenueSettings } from '../config/settings.js';
import type { BinanceRouteSettings, FixRouteSettings, RouteSettings } from '../config/routing-section.js';
import type { Logger } from '../shared/logger.js';
import { credentialsFromEnv, resolveEndpoints, type BinanceCredentials } from '../routing/binance/client-config.js';
import { BinanceRoute } from '../routing/adapters/binance-route.js';
import { FixVenueRoute } from '../routing/adapters/fix-venue-route.js';
import { ClientIds } from '../routing/client-ids.js';
import { OrderRouter } from '../routing/order-router.js';
import type { RouteAdapter } from '../routing/route-adapter.js';
import type { VenueCommand } from '../venue/model/commands.js';
import type { JournaledVenue } from '../venue/journal/journaled-venue.js';

export interface Routing {
  readonly router: OrderRouter;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RoutingOptions {
  /** Where Binance keys and FIX route passwords are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Binance keys from <prefix>API_KEY and <prefix>PRIVATE_KEY_PATH or <prefix>API_SECRET. */
function binanceCredentials(s: BinanceRouteSettings, env: NodeJS.ProcessEnv): { credentials: BinanceCredentials | null; problem: string } {
  const p = s.credentialsEnvPrefix;
  try {
    const credentials = credentialsFromEnv({
      BINANCE_API_KEY: env[`${p}API_KEY`],
      BINANCE_PRIVATE_KEY_PATH: env[`${p}PRIVATE_KEY_PATH`],
      BINANCE_API_SECRET: env[`${p}API_SECRET`],
    });
    return { credentials, problem: '' };
  } catch (err) {
    return { credentials: null, problem: (err as Error).message.replaceAll('BINANCE_', p) };
  }
}

function fixPassword(s: FixRouteSettings, env: NodeJS.ProcessEnv): string {
  if (s.passwordEnv === '') return s.password;
  return env[s.passwordEnv] ?? '';
}

export function createRouting(
  settings: VenueSettings,
  journal: JournaledVenue,
  submit: (cmd: VenueCommand) => void,
  logger: Logger,
  options: RoutingOptions = {},
): Routing | null {
  const routing = settings.routing;
  if (routing === undefined || routing.routes.length === 0) return null;
  const env = options.env ?? process.env;
  const log = logger.child({ room: 'routing' });
  const router = new OrderRouter({
    settings: routing,
    instruments: settings.instruments,
    logger: log,
    venue: {
      submit,
      routedOrder: (id) => journal.venue.routedOrder(id),
      routedOrders: (route) => journal.venue.routedOrders(route),
      durable: () => journal.commit(),
    },
  });
  journal.subscribe(router.onEvent);

  const build = (s: RouteSettings, journalId: string): RouteAdapter => {
    const clientIds = ClientIds.forJournal(s.clientOrderIdPrefix, journalId);
    if (s.type === 'binance') {
      const { credentials, problem } = binanceCredentials(s, env);
      const endpoints = resolveEndpoints(s.environment, {
        ...(s.restBaseUrl ? { restBaseUrl: s.restBaseUrl } : {}),
        ...(s.wsApiUrl ? { wsApiUrl: s.wsApiUrl } : {}),
      });
      return new BinanceRoute({ settings: s, endpoints, credentials, credentialsProblem: problem, clientIds });
    }
    return new FixVenueRoute({
      settings: { ...s, password: fixPassword(s, env) },
      clientIds,
      dictionaryPath: settings.fix.dictionary,
      sessionsDir: settings.sessionsDir,
      fsync: settings.journal.fsync,
    });
  };

  return {
    router,
    async start() {
      // Adapters are built once the journal is open: their client order ids carry the journal's id.
      router.attach(routing.routes.map((s) => build(s, journal.id)));
      await router.start();
      for (const r of router.routes()) log.info('route', { route: r.name, state: r.state, reason: r.reason });
    },
    stop: () => router.stop(),
  };
}
