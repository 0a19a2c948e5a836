// Scenario 3: hostile input against the live venue process. A logged-on member sends targeted and random
// malformed messages (each followed by a TestRequest probe, so every answer is attributed to its message), junk
// connections send garbage, and authentication is attacked: wrong password, unknown CompID, a CompID already
// logged on, an address not on the session's allowlist, a logon flood, the admin API without or with a wrong
// token and a viewer trying an operator action. Meanwhile another member measures its round trips. The venue must
// never crash, answer each bad message the way the FIX rules ask, let none of the attackers in, and keep the other
// member's latency normal (median round trip before vs during, quoted as a ratio).

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixMsg } from '../../support/fix-test-client.js';
import { SOH } from '../../support/fix-test-client.js';
import { startTestRedis } from '../../support/redis-server.js';
import { randomCase, targetedCases, type FuzzCase, type Outcome } from '../harness/fuzz-cases.js';
import type { ScenarioResult } from '../harness/report.js';
import { Rng } from '../harness/rng.js';
import { SOAK_COMPID, defaultSessions, writeSoakConfig } from '../harness/soak-config.js';
import { SoakFixClient } from '../harness/soak-client.js';
import { OPERATOR_TOKEN, VIEWER_TOKEN, VenueProcess } from '../harness/venue-process.js';

export interface HostileOptions {
  seed: number;
  /** How long the random fuzzing runs after the targeted cases (ms). */
  fuzzMs: number;
  /** Logon attempts in the flood. */
  floodLogons: number;
  log?: (line: string) => void;
}

export interface HostileResult extends ScenarioResult {
  /** Median round trip of the watching member before and during the attack (ms). */
  baselineMedianMs: number;
  attackMedianMs: number;
  outcomes: Map<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}

/**
 * Sends bad messages back to back from a logged-on client, probes with a TestRequest, and says what the venue did
 * with them (one case: its answer exactly; several: the answers of the batch together).
 */
async function attempt(client: SoakFixClient, cases: readonly FuzzCase[], rejectsOf: () => FixMsg[], appOf: () => FixMsg[]): Promise<Outcome[]> {
  const rejects0 = rejectsOf().length;
  const app0 = appOf().length;
  const logouts0 = client.logouts.length;
  const resends0 = client.stats.resendRequestsReceived;
  const seqs = new Set<number>();
  for (const c of cases) {
    const seq = client.nextOut++;
    seqs.add(seq);
    client.write(c.build(seq, { sender: client.id, target: SOAK_COMPID }));
  }
  let probed = await client.roundTrip(1000).then(() => true, () => false);
  // A garbled frame can swallow the start of the probe behind it, and when the venue asks for what it ignored our
  // gap fill covers the probe too (admin messages are gap-filled, as the rules say): probe again, in sequence.
  for (let again = 0; again < 2 && !probed && client.loggedOn; again++) {
    probed = await client.roundTrip(1500).then(() => true, () => false);
  }
  const out: Outcome[] = [];
  for (const r of rejectsOf().slice(rejects0)) if (seqs.has(Number(r.get(45)))) out.push(`reject:${r.get(373) ?? '?'}`);
  for (const m of appOf().slice(app0)) {
    if (m.type === 'j') out.push('business-reject');
    if (m.type === '8' && m.get(150) === '8') out.push('order-reject');
  }
  if (client.logouts.length > logouts0) out.push('logout');
  else if (!probed && client.state === 'disconnected') out.push('disconnect');
  if (out.length === 0 && client.stats.resendRequestsReceived > resends0) out.push('ignored');
  if (out.length === 0 && probed) out.push('processed');
  if (!probed && client.state !== 'disconnected') {
    // A mutated MsgSeqNum far ahead makes the venue wait, by the rules, for a resend up to it that this client
    // (whose real numbers are lower) never sends; its heartbeat timeout must then end the session.
    const hb = client.options.heartBtInt ?? 30;
    const ended = await client.disconnected(hb * 3000 + 2000).then(() => true, () => false);
    if (ended) out.push('disconnect');
    else {
      out.push('unanswered');
      client.close();
    }
  }
  return out;
}

async function logonWithRetry(client: SoakFixClient, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await client.logon(3000))) {
    // Random mutations may have hit MsgSeqNum itself: resync to what the venue says it expects.
    if (client.venueExpects > client.nextOut) client.nextOut = client.venueExpects;
    if (Date.now() > deadline) throw new Error(`${client.id}: cannot log on again (${client.lastCloseReason})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await client.catchUp(10_000);
}

/** A raw connection that sends `bytes` and reports how the venue ended it (or that it is still open). */
function rawAttempt(port: number, bytes: string, localAddress?: string, waitMs = 3000): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    let data = '';
    const s = connect({ port, host: '127.0.0.1', localAddress }, () => s.write(bytes, 'latin1'));
    s.setEncoding('latin1');
    s.on('data', (d: string) => (data += d));
    s.on('error', () => {});
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ data, closed: false });
    }, waitMs);
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ data, closed: true });
    });
  });
}

async function admin(venue: VenueProcess, method: string, path: string, token: string | null): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${venue.adminBase}${path}`, { method, headers, body: method === 'GET' ? undefined : '{"reason":"soak"}' });
  await res.arrayBuffer();
  return res.status;
}

export async function runHostileInput(opts: HostileOptions): Promise<HostileResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'soak-hostile-'));
  const redis = await startTestRedis();
  const sessions = defaultSessions(4);
  sessions[2]!.allowedIps = ['127.0.0.2']; // S3 may only log on from 127.0.0.2
  const config = writeSoakConfig({ dir, redisUrl: redis.url, sessions, logLevel: 'warn' });
  const venue = await new VenueProcess(config.file, redis.url).allocatePorts();
  const violations: string[] = [];
  const outcomes = new Map<string, number>();
  const count = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  const mk = (i: number, extra: Partial<ConstructorParameters<typeof SoakFixClient>[0]> = {}): SoakFixClient =>
    new SoakFixClient({ port: venue.fixPort, senderCompId: sessions[i]!.id, targetCompId: SOAK_COMPID, password: sessions[i]!.password, heartBtInt: 5, ...extra });
  const watcher = mk(0);
  // A short HeartBtInt: a session the fuzzer left waiting for a resend that never comes times out quickly.
  const fuzzer = mk(1, { trace: true, heartBtInt: 2 });
  const app: FixMsg[] = [];
  fuzzer.onApp.push((m) => app.push(m));
  let faults = 0;
  let watching = true;
  const samples: { at: number; ms: number }[] = [];
  try {
    await venue.start();
    const pid = venue.pid;
    await logonWithRetry(watcher, 10_000);
    await logonWithRetry(fuzzer, 10_000);
    const watch = (async () => {
      while (watching) {
        try {
          samples.push({ at: Date.now(), ms: await watcher.roundTrip(5000) });
        } catch (err) {
          violations.push(`the watching member lost its round trip: ${(err as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    const attackFrom = Date.now();

    // Targeted cases: each must get one of the answers the rules allow.
    for (const c of targetedCases()) {
      const t0 = Date.now();
      if (fuzzer.state === 'disconnected') await logonWithRetry(fuzzer, 15_000);
      const got = await attempt(fuzzer, [c], () => fuzzer.rejects, () => app);
      faults++;
      for (const o of got) count(o.startsWith('reject') ? 'Reject(3)' : o);
      const ok = got.every((o) => c.allowed!.includes(o) || ((o === 'logout' || o === 'disconnect') && c.allowed!.some((a) => a === 'logout' || a === 'disconnect')));
      if (!ok || got.length === 0) violations.push(`${c.name}: the venue answered ${got.join(' + ')}, the rules allow ${c.allowed!.join(' or ')}`);
      log(`  ${c.name} (${Date.now() - t0} ms): ${got.join(' + ')}${ok ? '' : `   <-- expected ${c.allowed!.join(' or ')}; held at close: ${fuzzer.heldAtClose.join(' ')}`}`);
    }
    // Random mutations for a while: any FIX answer, but always an answer, and the session stays usable.
    const rng = new Rng(opts.seed);
    const randomUntil = Date.now() + opts.fuzzMs;
    let randoms = 0;
    while (Date.now() < randomUntil) {
      if (fuzzer.state === 'disconnected') await logonWithRetry(fuzzer, 15_000);
      const batch = Array.from({ length: 10 }, () => randomCase(rng));
      const trace = fuzzer.trace.length;
      const got = await attempt(fuzzer, batch, () => fuzzer.rejects, () => app);
      for (const o of got) count(o.startsWith('reject') ? 'Reject(3)' : o);
      if (got.includes('unanswered')) {
        violations.push(`random batch (${batch.map((b) => b.name).join(', ')}): three TestRequests unanswered on an open session; received: ${fuzzer.trace.slice(trace).join(' ')}`);
      }
      randoms += batch.length;
      faults += batch.length;
    }
    // Junk connections: garbage before any Logon.
    for (const junk of ['GET / HTTP/1.1\r\n\r\n', '\x00\x01\x02'.repeat(1000), `8=FIX.4.4${SOH}9=5${SOH}35=A${SOH}10=000${SOH}`, 'x'.repeat(70_000)]) {
      const r = await rawAttempt(venue.fixPort, junk);
      faults++;
      if (!r.closed) violations.push(`a junk connection (${JSON.stringify(junk.slice(0, 20))}…) was left open`);
      if (r.data.includes('35=A')) violations.push('a junk connection got a Logon');
    }
    log(`  ${randoms} random mutations; outcomes so far: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);

    // Authentication: none of these gets in.
    const refusedLogon = async (what: string, client: SoakFixClient): Promise<void> => {
      faults++;
      if (await client.logon(3000)) {
        violations.push(`${what}: logged on`);
        await client.logout();
      } else log(`  ${what}: refused (${client.lastCloseReason || 'connection closed'})`);
    };
    await refusedLogon('wrong password', mk(3, { password: 'not-the-password' }));
    await refusedLogon('unknown CompID', new SoakFixClient({ port: venue.fixPort, senderCompId: 'NOBODY', targetCompId: SOAK_COMPID, password: 'x', heartBtInt: 5 }));
    await refusedLogon('a CompID already logged on (S1), second connection', mk(0));
    if (!watcher.loggedOn) violations.push('the first connection of S1 was dropped by the second one');
    await refusedLogon('S3 from 127.0.0.1 (allowlist: 127.0.0.2)', mk(2));
    const allowed = mk(2, { localAddress: '127.0.0.2' });
    if (!(await allowed.logon(3000))) violations.push(`S3 from 127.0.0.2 (on its allowlist) was refused: ${allowed.lastCloseReason}`);
    else await allowed.logout();

    // Logon flood: many connections at once trying S4 with wrong passwords, and unknown CompIDs.
    const floodStart = Date.now();
    const flood = await Promise.all(
      Array.from({ length: opts.floodLogons }, (_, i) =>
        (i % 2 === 0 ? mk(3, { password: `guess-${i}` }) : new SoakFixClient({ port: venue.fixPort, senderCompId: `BOT${i}`, targetCompId: SOAK_COMPID, heartBtInt: 5 })).logon(5000),
      ),
    );
    faults += opts.floodLogons;
    const floodIn = flood.filter(Boolean).length;
    if (floodIn > 0) violations.push(`${floodIn} of ${opts.floodLogons} flood logons got in`);
    // The real S4 gets in once the flood is over (its logon-attempt budget refills).
    const real = mk(3);
    const floodEnd = Date.now();
    await logonWithRetry(real, 20_000);
    log(`  logon flood: ${opts.floodLogons} attempts in ${floodEnd - floodStart} ms, ${floodIn} got in; the real S4 logged on ${Date.now() - floodEnd} ms after`);
    await real.logout();

    // Admin API: no token, a wrong token, a viewer on an action; the operator may act.
    const api: Array<[string, string, string, string | null, number]> = [
      ['no token, read', 'GET', '/api/sessions', null, 401],
      ['wrong token, read', 'GET', '/api/sessions', 'wrong-token-0123456789abcdef', 401],
      ['no token, action', 'POST', '/api/sessions/S2/disconnect', null, 401],
      ['wrong token, action', 'POST', '/api/kill-switches/firm/F1/on', 'wrong-token-0123456789abcdef', 401],
      ['viewer, action', 'POST', '/api/kill-switches/firm/F1/on', VIEWER_TOKEN, 403],
      ['viewer, read', 'GET', '/api/sessions', VIEWER_TOKEN, 200],
      ['operator, action', 'POST', '/api/sessions/S4/logout', OPERATOR_TOKEN, 409],
    ];
    for (const [what, method, path, token, want] of api) {
      faults++;
      const status = await admin(venue, method, path, token);
      if (status !== want) violations.push(`admin API ${what} (${method} ${path}): HTTP ${status}, expected ${want}`);
    }
    const killSwitches = await fetch(`${venue.adminBase}/api/kill-switches`, { headers: { authorization: `Bearer ${VIEWER_TOKEN}` } }).then((r) => r.json() as Promise<unknown>);
    if (JSON.stringify(killSwitches).includes('F1')) violations.push('a refused admin action took effect (kill switch F1 is on)');

    watching = false;
    await watch;
    const attackTo = Date.now();
    if (venue.pid !== pid || !venue.running) violations.push('the venue process died during the attack');
    const health = await fetch(`${venue.adminBase}/health`);
    if (health.status !== 200) violations.push(`/health answered ${health.status} after the attack`);
    violations.push(...watcher.violations.map((v) => `watcher: ${v}`), ...fuzzer.violations.map((v) => `fuzzer: ${v}`));
    const baseline = median(samples.filter((s) => s.at < attackFrom).map((s) => s.ms));
    const during = median(samples.filter((s) => s.at >= attackFrom && s.at <= attackTo).map((s) => s.ms));
    log(`  watcher round trip median: ${baseline.toFixed(2)} ms before, ${during.toFixed(2)} ms during the attack (${(during / baseline).toFixed(2)}x)`);
    await watcher.logout();
    await fuzzer.logout();
    await venue.stop();
    return {
      rows: [
        {
          scenario: 'hostile input: fuzzer, junk, auth attacks, logon flood, admin API',
          durationMs: Date.now() - started,
          orders: 0,
          faults,
          lost: 0,
          duplicates: 0,
          maxRecoveryMs: null,
          notes: `watcher RTT median ${baseline.toFixed(2)} -> ${during.toFixed(2)} ms; ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
        },
      ],
      violations,
      baselineMedianMs: baseline,
      attackMedianMs: during,
      outcomes,
    };
  } finally {
    watching = false;
    watcher.close();
    fuzzer.close();
    if (venue.running) await venue.kill('SIGKILL');
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
