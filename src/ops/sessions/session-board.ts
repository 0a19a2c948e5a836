// The session table ops look at: for each configured session its state, health, address, sequence numbers,
// last message times, message rates and open orders. Health is what the dashboard colours:
//
//   logged-on        logged on and the counterparty is talking
//   heartbeat-late   logged on, but silent past 1.2 × HeartBtInt (the venue has sent a TestRequest)
//   resend           we asked for a resend (a gap in their messages) and it is not filled yet
//   connecting       connected, logon not complete; or logging out
//   disconnected     no connection
//
// Rates are messages per second over the last few samples (sample() runs once a second); the resend state
// follows the engine's ResendRequest events and is satisfied once the expected sequence number passes the end
// of the requested range, as the session itself decides.

import type { SessionInfo } from '../../fix/index.js';
import type { SessionCatalog } from './session-catalog.js';
import type { FixSource, VenueQueriesSource } from '../sources.js';

export type SessionHealth = 'logged-on' | 'heartbeat-late' | 'resend' | 'connecting' | 'disconnected';

export interface SessionRow {
  id: string;
  key: string;
  role: string;
  firm: string;
  state: SessionInfo['status'];
  health: SessionHealth;
  remoteAddress: string | null;
  connectedAt: string | null;
  loggedOnAt: string | null;
  lastReceivedAt: string | null;
  lastSentAt: string | null;
  nextSenderSeq: number;
  nextTargetSeq: number;
  heartBtInt: number;
  /** Silence of the counterparty, ms (null without a connection). */
  silentMs: number | null;
  messagesIn: number;
  messagesOut: number;
  /** Messages per second, recent. */
  rateIn: number;
  rateOut: number;
  openOrders: number;
  /** Outstanding ResendRequest we sent: the gap being filled. */
  resendRange: { begin: number; end: number } | null;
  rejectsSent: number;
  rejectsReceived: number;
  storeFailure: string | null;
}

interface Sample {
  at: number;
  inn: number;
  out: number;
}

const RATE_WINDOW = 6;

export class SessionBoard {
  private readonly samples = new Map<string, Sample[]>();
  private readonly resends = new Map<string, { begin: number; end: number }>();
  private readonly detach: (() => void)[] = [];

  constructor(
    fix: FixSource,
    private readonly catalog: SessionCatalog,
    private readonly queries: VenueQueriesSource,
    private readonly clock: () => number = Date.now,
  ) {
    const onResend = (key: string, begin: number, end: number, direction: 'sent' | 'received'): void => {
      if (direction === 'sent') this.resends.set(key, { begin, end });
    };
    const onGone = (key: string): void => void this.resends.delete(key);
    fix.events.on('resendRequest', onResend);
    fix.events.on('disconnect', onGone);
    this.detach.push(() => fix.events.off('resendRequest', onResend), () => fix.events.off('disconnect', onGone));
  }

  close(): void {
    for (const off of this.detach.splice(0)) off();
  }

  /** Records message totals for the rates (call about once a second). */
  sample(): void {
    const now = this.clock();
    for (const info of this.catalog.snapshot(0)) {
      let list = this.samples.get(info.key);
      if (list === undefined) this.samples.set(info.key, (list = []));
      list.push({ at: now, inn: total(info.counters.messagesIn), out: total(info.counters.messagesOut) });
      if (list.length > RATE_WINDOW) list.shift();
    }
  }

  rows(): SessionRow[] {
    const now = this.clock();
    const open = new Map<string, number>();
    for (const o of this.queries.liveOrders()) open.set(o.session, (open.get(o.session) ?? 0) + 1);
    return this.catalog.snapshot().map((info) => this.row(info, now, open.get(this.catalog.labels(info.key).id) ?? 0));
  }

  row(info: SessionInfo, now: number, openOrders: number): SessionRow {
    const labels = this.catalog.labels(info.key);
    const inn = total(info.counters.messagesIn);
    const out = total(info.counters.messagesOut);
    const list = this.samples.get(info.key) ?? [];
    const first = list[0];
    const span = first === undefined ? 0 : (now - first.at) / 1000;
    const rate = (current: number, before: number): number => (span > 0.5 ? round1((current - before) / span) : 0);
    const connected = info.status !== 'disconnected';
    const silentMs = connected && info.lastReceivedAt !== null ? Math.max(0, now - info.lastReceivedAt) : null;
    let resend = this.resends.get(info.key) ?? null;
    if (resend !== null && (!connected || info.nextTargetSeq > resend.end)) {
      this.resends.delete(info.key);
      resend = null;
    }
    return {
      id: labels.id,
      key: info.key,
      role: labels.role,
      firm: labels.firm,
      state: info.status,
      health: healthOf(info, silentMs, resend !== null),
      remoteAddress: info.remoteAddress,
      connectedAt: iso(info.connectedAt),
      loggedOnAt: iso(info.loggedOnAt),
      lastReceivedAt: iso(info.lastReceivedAt),
      lastSentAt: iso(info.lastSentAt),
      nextSenderSeq: info.nextSenderSeq,
      nextTargetSeq: info.nextTargetSeq,
      heartBtInt: info.heartBtInt,
      silentMs,
      messagesIn: inn,
      messagesOut: out,
      rateIn: rate(inn, first?.inn ?? inn),
      rateOut: rate(out, first?.out ?? out),
      openOrders,
      resendRange: resend,
      rejectsSent: total(info.counters.rejectsSent),
      rejectsReceived: info.counters.rejectsReceived,
      storeFailure: info.storeFailure,
    };
  }
}

function healthOf(info: SessionInfo, silentMs: number | null, resend: boolean): SessionHealth {
  if (info.status === 'disconnected') return 'disconnected';
  if (info.status !== 'logged-on') return 'connecting';
  if (resend) return 'resend';
  if (info.heartBtInt > 0 && silentMs !== null && silentMs >= 1200 * info.heartBtInt) return 'heartbeat-late';
  return 'logged-on';
}

function total(counts: Record<string, number>): number {
  let n = 0;
  for (const k in counts) n += counts[k]!;
  return n;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
