// Readiness of the venue for Kubernetes and for people: each component up, degraded or down with the reason.
//
// Critical components (the FIX listener, the command journal) decide the probe: if one is down the venue cannot
// take orders, and /ready answers 503 so the pod is taken out of service. The others degrade the venue without
// stopping it — risk keeps trading on memory while Redis is away, trades wait in the execution record while
// BullMQ cannot be reached, a route down only affects its instruments — so they show up in the body (and on the
// dashboard and in metrics) but /ready stays 200.

import type { ComponentStatus, OpsSources } from '../sources.js';

export interface ComponentHealth {
  name: string;
  status: ComponentStatus;
  reason: string;
  critical: boolean;
}

export interface Readiness {
  /** The worst status of any component. */
  status: ComponentStatus;
  /** False when a critical component is down (or the venue has not started): /ready answers 503. */
  ready: boolean;
  components: ComponentHealth[];
}

const RANK: Record<ComponentStatus, number> = { up: 0, degraded: 1, down: 2 };

/** How long the BullMQ check may wait for Redis. */
const QUEUE_CHECK_TIMEOUT_MS = 1000;

export async function checkReadiness(sources: OpsSources | null): Promise<Readiness> {
  if (sources === null) {
    return summarize([{ name: 'venue', status: 'down', reason: 'starting: journal replay and FIX sessions not ready yet', critical: true }]);
  }
  const components: ComponentHealth[] = [fixListener(sources), journal(sources), sessionStores(sources)];
  if (sources.snapshots) components.push(snapshots(sources.snapshots));
  if (sources.risk !== null) components.push(redis(sources.risk));
  if (sources.clearing !== null) components.push(await bullmq(sources.clearing));
  for (const route of sources.routes()) {
    components.push({ name: `route:${route.name}`, status: route.status, reason: route.reason, critical: false });
  }
  return summarize(components);
}

/** A readiness that says the venue is stopping (after stop() began), or restarting with `reason`. */
export function stoppingReadiness(reason = 'stopping'): Readiness {
  return summarize([{ name: 'venue', status: 'down', reason, critical: true }]);
}

function summarize(components: ComponentHealth[]): Readiness {
  let status: ComponentStatus = 'up';
  for (const c of components) if (RANK[c.status] > RANK[status]) status = c.status;
  const ready = !components.some((c) => c.critical && c.status === 'down');
  return { status, ready, components };
}

function fixListener(sources: OpsSources): ComponentHealth {
  const ports = sources.fix.acceptorPorts;
  return ports.length > 0
    ? { name: 'fix-listener', status: 'up', reason: `listening on port ${ports.join(', ')}`, critical: true }
    : { name: 'fix-listener', status: 'down', reason: 'no FIX acceptor is listening', critical: true };
}

function journal(sources: OpsSources): ComponentHealth {
  const error = sources.venue.journalError();
  if (error === null) return { name: 'journal', status: 'up', reason: '', critical: true };
  return { name: 'journal', status: 'down', reason: `command journal failed: ${error.message}; orders are refused ${untilRecovered(sources)}`, critical: true };
}

/**
 * A session whose store cannot write is cut off (nothing it is sent can be made durable) and its logons are
 * refused until the venue recovers: the venue is degraded for those members, not down for everyone.
 */
function sessionStores(sources: OpsSources): ComponentHealth {
  const failed = sources.fix.sessions().filter((s) => s.storeFailure !== null);
  if (failed.length === 0) return { name: 'fix-stores', status: 'up', reason: '', critical: false };
  const names = failed.slice(0, 5).map((s) => s.targetCompId).join(', ');
  return {
    name: 'fix-stores',
    status: 'degraded',
    reason:
      `${failed.length} FIX session store(s) cannot write (${names}${failed.length > 5 ? ', ...' : ''}): ${failed[0]!.storeFailure}; ` +
      `their logons are refused ${untilRecovered(sources)}`,
    critical: false,
  };
}

function untilRecovered(sources: OpsSources): string {
  const recovery = sources.storageRecovery?.() ?? null;
  return recovery === null ? 'until restart' : `until the venue recovers, automatically: ${recovery}`;
}

/**
 * The newest snapshot's age (start-up replays the journal after it, so an old one means a slow restart). A failed
 * attempt degrades the venue without stopping it: trading goes on, the next restart just replays more.
 */
function snapshots(source: NonNullable<OpsSources['snapshots']>): ComponentHealth {
  const newest = source.list()[0];
  const age = newest === undefined ? 'no snapshot yet' : `newest at command ${newest.commandSeq}, ${Math.max(0, Math.round((Date.now() - newest.writtenAt) / 1000))} s old`;
  const failure = source.lastFailure();
  if (failure !== null) return { name: 'snapshots', status: 'degraded', reason: `last snapshot failed: ${failure}; ${age}`, critical: false };
  return { name: 'snapshots', status: 'up', reason: age, critical: false };
}

function redis(risk: NonNullable<OpsSources['risk']>): ComponentHealth {
  const s = risk.status();
  if (s.redis === 'up') return { name: 'redis', status: 'up', reason: '', critical: false };
  const behind = s.pendingWrites > 0 ? `; ${s.pendingWrites} writes queued, oldest ${(s.lagMs / 1000).toFixed(1)} s` : '';
  return {
    name: 'redis',
    status: s.redis,
    reason: `${s.reason || 'Redis unreachable'}${s.redis === 'degraded' ? ': trading continues on in-memory risk state' : ''}${behind}`,
    critical: false,
  };
}

async function bullmq(clearing: NonNullable<OpsSources['clearing']>): Promise<ComponentHealth> {
  try {
    const failed = (await queueCountsWithin(clearing, QUEUE_CHECK_TIMEOUT_MS)).failed ?? 0;
    return failed > 0
      ? { name: 'bullmq', status: 'degraded', reason: `${failed} clearing jobs failed for good: retry them with POST /api/clearing/failed/<id>/retry`, critical: false }
      : { name: 'bullmq', status: 'up', reason: '', critical: false };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { name: 'bullmq', status: 'degraded', reason: `clearing queue unreachable (${message}): trades wait in the execution record`, critical: false };
  }
}

/** The clearing queue's jobs per state, or a rejection when its Redis does not answer within `ms`. */
export async function queueCountsWithin(clearing: NonNullable<OpsSources['clearing']>, ms: number): Promise<Record<string, number>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      clearing.queueCounts(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from the queue's Redis within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
