// A real venue (in-process, own redis-server, FIX acceptor on a free port) with the ops server attached on a
// free port, and small helpers to call the admin API as a given role.

import type { Registry } from 'prom-client';
import { join } from 'node:path';
import { opsSourcesOf, type OpsWiringOptions } from '../../../src/app/ops-wiring.js';
import { OpsServer } from '../../../src/ops/ops-server.js';
import { TokenBook } from '../../../src/ops/auth/principals.js';
import type { Logger } from '../../../src/shared/logger.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { startTestVenue, type TestVenue, type TestVenueOptions } from '../../support/test-venue.js';
import { startTestClearing } from './clearing.js';

export const TOKENS = {
  operator: 'operator-token-0123456789abcdef',
  viewer: 'viewer-token-0123456789abcdef',
  alice: 'alice-token-0123456789abcdef',
};

export interface OpsHarness {
  venue: TestVenue;
  ops: OpsServer;
  registry: Registry;
  base: string;
  /** Calls the admin API; `as` picks the token (none: no Authorization header). */
  call(method: string, path: string, opts?: { as?: keyof typeof TOKENS | 'none' | 'wrong'; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  dispose(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export async function startOpsHarness(
  opts: {
    venue?: TestVenueOptions;
    /** Extra ports (clearing...), built once the venue runs; `onDispose` hooks run before the venue stops. */
    wiring?: (v: TestVenue, registry: Registry, onDispose: (fn: () => Promise<void>) => void) => Promise<OpsWiringOptions> | OpsWiringOptions;
    /** Run a real ClearingService on this BullMQ queue (its own name per test file) and wire it in. */
    clearingQueue?: string;
    logger?: Logger;
    tickMs?: number;
  } = {},
): Promise<OpsHarness> {
  const venue = await startTestVenue(opts.venue);
  const registry = venue.app.registry;
  const tokens = TokenBook.fromEnv({
    ADMIN_TOKEN_OPERATOR: TOKENS.operator,
    ADMIN_TOKEN_VIEWER: TOKENS.viewer,
    ADMIN_TOKENS: `alice:operator:${TOKENS.alice}`,
  });
  const ops = new OpsServer({
    host: '127.0.0.1',
    port: 0,
    logger: opts.logger ?? silentLogger,
    registry,
    tokens,
    auditFile: join(venue.dir, 'ops-audit.jsonl'),
    tickMs: opts.tickMs ?? 200,
  });
  await ops.listen();
  const disposers: (() => Promise<void>)[] = [];
  const wiring = (await opts.wiring?.(venue, registry, (fn) => disposers.push(fn))) ?? {};
  if (opts.clearingQueue !== undefined) {
    const clearing = await startTestClearing(venue, registry, opts.clearingQueue);
    disposers.push(() => clearing.stop());
    wiring.clearing = clearing;
  }
  ops.attach(opsSourcesOf(venue.app, wiring));
  const base = `http://127.0.0.1:${ops.port}`;
  return {
    venue,
    ops,
    registry,
    base,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const who = o.as ?? 'operator';
      if (who === 'wrong') headers.authorization = 'Bearer not-a-real-token-at-all-123456';
      else if (who !== 'none') headers.authorization = `Bearer ${TOKENS[who]}`;
      let payload: string | undefined = o.raw;
      if (o.body !== undefined) {
        payload = JSON.stringify(o.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, { method, headers, body: payload });
      const text = await res.text();
      let body: Record<string, unknown> = {};
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        body = {};
      }
      return { status: res.status, headers: res.headers, body, text };
    },
    async dispose() {
      ops.detach();
      for (const fn of disposers.reverse()) await fn();
      await venue.dispose();
      await ops.close();
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
