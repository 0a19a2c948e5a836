// Connects the ops server (src/ops) to a running VenueApp: maps the app's FIX engine, journaled core, risk and
// clearing to the narrow ports ops reads and acts through.
//
//   const ops = new OpsServer({ host, port, logger, registry, tokens: TokenBook.fromEnv(process.env) });
//   await ops.listen();                 // /health answers during the journal replay, /ready says "starting"
//   await app.start();
//   ops.attach(opsSourcesOf(app));      // admin API, metrics, dashboard
//   ...
//   ops.detach(); await app.stop(); await ops.close();

import { loadDictionaryShared } from '../fix/index.js';
import type { ClearingSource, OpsSources, RiskSource, RouteHealth } from '../ops/sources.js';
import type { VenueApp } from './venue-app.js';

export interface OpsWiringOptions {
  /** Clearing, when the venue runs it (null: the clearing endpoints answer 503). */
  clearing?: ClearingSource | null;
  /** Risk; defaults to the app's own. */
  risk?: RiskSource | null;
  /** Health of external routes; defaults to the app's router (src/routing) when routes are configured. */
  routes?: () => RouteHealth[];
  /** The storage recovery's state for readiness (src/app/storage-recovery.ts), when a supervisor runs one. */
  storageRecovery?: () => string | null;
}

/** The ports of a started VenueApp. */
export function opsSourcesOf(app: VenueApp, options: OpsWiringOptions = {}): OpsSources {
  const { settings } = app;
  const dictionary = loadDictionaryShared(settings.fix.dictionary);
  const journal = app.journal;
  return {
    compId: settings.compId,
    fix: app.fixEngine,
    venue: {
      instruments: settings.instruments,
      queries: journal.venue,
      submit: (cmd) => app.submit(cmd),
      subscribe: (listener) => app.subscribe(listener),
      journalError: () => journal.error,
      observeJournalCommits: (observer) => journal.observeCommits(observer),
    },
    sessions: settings.sessions,
    firms: settings.firms,
    knownMsgType: (msgType) => dictionary.message(msgType) !== undefined,
    risk: options.risk === undefined ? app.risk : options.risk,
    clearing: options.clearing ?? null,
    routes: options.routes ?? (() => (app.routing?.router.routes() ?? []).map((r) => ({ name: r.name, status: r.state, reason: r.reason }))),
    storageRecovery: options.storageRecovery,
    snapshots: {
      list: () => app.snapshots.list(),
      take: () => app.snapshots.take('ops'),
      lastFailure: () => app.snapshots.lastFailure,
      intervalSeconds: settings.snapshots.intervalSeconds,
    },
  };
}
