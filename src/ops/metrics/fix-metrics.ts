// Prometheus metrics of the FIX sessions.
//
// Per-message counts are the engine's own (each session increments plain counters as it reads and writes):
// they are copied into the exposition when Prometheus scrapes, so a message costs ops nothing. Rare events
// (logons, logouts, disconnects, rejects, late heartbeats) and the flush timings come from `engine.events`.
// Every label is bounded: session ids come from the config, MsgTypes from the dictionary ('other' beyond),
// reasons from the fixed sets in reasons.ts.
//
//   fix_sessions{state,role,firm}                          sessions per state (gauge)
//   fix_logons_total{session}
//   fix_logouts_total{session,reason}                      a logged-on session ended
//   fix_disconnects_total{session,reason}                  a connection bound to a session closed
//   fix_connections_refused_total{reason}                  connections that never became a session
//   fix_messages_received_total{session,msg_type}
//   fix_messages_sent_total{session,msg_type}
//   fix_session_rejects_total{session,direction,reason}    session-level Reject(3)
//   fix_business_rejects_sent_total{session}
//   fix_resend_requests_total{session,direction}
//   fix_messages_resent_total{session}
//   fix_gap_fills_sent_total{session}
//   fix_test_requests_sent_total{session}
//   fix_heartbeat_timeouts_total{session}
//   fix_heartbeat_late_seconds{session}                    silence beyond HeartBtInt when a TestRequest went out
//   fix_bad_frames_total{session}
//   fix_session_next_sender_seq{session} / fix_session_next_target_seq{session}
//   fix_store_write_duration_seconds                       session store writes of one flush
//   fix_flush_duration_seconds                             a whole flush: stores, journal, socket writes
//   fix_order_ack_latency_seconds{msg_type}                order message read → answer on the socket

import { Gauge, type Registry } from 'prom-client';
import type { FixEngineEvents, SessionInfo, SessionStatus } from '../../fix/index.js';
import type { SessionCatalog } from '../sessions/session-catalog.js';
import type { FixSource } from '../sources.js';
import { ACK_MSG_TYPES, AckLatency } from './ack-latency.js';
import { CounterFamily, HistogramFamily, LATENCY_BUCKETS_SECONDS } from './cells.js';
import { disconnectReason, sessionRejectReason } from './reasons.js';

const STATES: readonly SessionStatus[] = ['disconnected', 'connected', 'logon-sent', 'logged-on', 'logout-sent'];
const LATE_BUCKETS_SECONDS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120];

type Listener<K extends keyof FixEngineEvents> = (...args: FixEngineEvents[K]) => void;

export class FixMetrics {
  private readonly detach: (() => void)[] = [];
  private readonly ack: AckLatency;

  constructor(
    registry: Registry,
    private readonly fix: FixSource,
    private readonly catalog: SessionCatalog,
    private readonly knownMsgType: (msgType: string) => boolean,
  ) {
    this.registerSessionGauges(registry);
    this.registerCopiedCounters(registry);

    const logons = new CounterFamily(registry, 'fix_logons_total', 'Completed FIX logons', ['session']);
    const logouts = new CounterFamily(registry, 'fix_logouts_total', 'Logged-on FIX sessions that ended, by reason', ['session', 'reason']);
    const disconnects = new CounterFamily(registry, 'fix_disconnects_total', 'FIX connections of a session that closed, by reason', ['session', 'reason']);
    const refused = new CounterFamily(registry, 'fix_connections_refused_total', 'FIX connections refused before becoming a session, by reason', ['reason']);
    const rejects = new CounterFamily(registry, 'fix_session_rejects_total', 'Session-level Rejects(3), by direction and SessionRejectReason', ['session', 'direction', 'reason']);
    const late = new HistogramFamily(registry, 'fix_heartbeat_late_seconds', 'Silence beyond HeartBtInt when a TestRequest was sent', LATE_BUCKETS_SECONDS, ['session']);
    const storeWrites = new HistogramFamily(registry, 'fix_store_write_duration_seconds', 'Time to write the FIX session stores of one flush', LATENCY_BUCKETS_SECONDS);
    const flushes = new HistogramFamily(registry, 'fix_flush_duration_seconds', 'Time of one FIX flush: store writes, durability barriers (journal) and socket writes', LATENCY_BUCKETS_SECONDS);
    const ackFamily = new HistogramFamily(registry, 'fix_order_ack_latency_seconds', 'From reading an order message to writing the venue answer to the socket', LATENCY_BUCKETS_SECONDS, ['msg_type']);
    this.ack = new AckLatency(ACK_MSG_TYPES.map((t) => ackFamily.cell(t)));
    const storeCell = storeWrites.cell();
    const flushCell = flushes.cell();

    // Every series exists from the start (at 0), so rates and alerts work before the first event.
    for (const s of catalog.all()) {
      logons.cell(s.id);
      for (const reason of ['logout', 'counterparty_logout', 'heartbeat_timeout']) {
        logouts.cell(s.id, reason);
        disconnects.cell(s.id, reason);
      }
    }

    this.on('logon', (key) => logons.cell(catalog.labels(key).id).inc());
    this.on('logout', (key, reason) => logouts.cell(catalog.labels(key).id, disconnectReason(reason)).inc());
    this.on('disconnect', (key, reason) => disconnects.cell(catalog.labels(key).id, disconnectReason(reason)).inc());
    this.on('connectionRefused', (_remote, reason) => refused.cell(disconnectReason(reason)).inc());
    this.on('sessionReject', (key, reason, _refMsgType, direction) =>
      rejects.cell(catalog.labels(key).id, direction, sessionRejectReason(reason)).inc());
    this.on('heartbeatLate', (key, lateMs) => late.cell(catalog.labels(key).id).observe(lateMs / 1000));
    const ack = this.ack;
    this.detach.push(this.fix.observeInbound((_key, msgType) => ack.arrived(msgType)));
    this.on('flush', (startedAt, stores, storeMs, totalMs) => {
      if (stores > 0) storeCell.observe(storeMs / 1000);
      flushCell.observe(totalMs / 1000);
      ack.flushed(startedAt, startedAt + totalMs);
    });
  }

  /** Stops listening to the engine (the venue is stopping). */
  close(): void {
    for (const off of this.detach.splice(0)) off();
  }

  private on<K extends keyof FixEngineEvents>(event: K, listener: Listener<K>): void {
    const events = this.fix.events as unknown as {
      on(e: K, l: Listener<K>): void;
      off(e: K, l: Listener<K>): void;
    };
    events.on(event, listener);
    this.detach.push(() => events.off(event, listener));
  }

  private registerSessionGauges(registry: Registry): void {
    const catalog = this.catalog;
    new Gauge({
      name: 'fix_sessions',
      help: 'FIX sessions per state, role and firm',
      labelNames: ['state', 'role', 'firm'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of catalog.all()) for (const state of STATES) this.inc({ state, role: s.role, firm: s.firm }, 0);
        for (const info of catalog.snapshot()) {
          const l = catalog.labels(info.key);
          this.inc({ state: info.status, role: l.role, firm: l.firm });
        }
      },
    });
    const seqGauge = (name: string, help: string, read: (i: SessionInfo) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['session'],
        registers: [registry],
        collect() {
          for (const info of catalog.snapshot()) this.set({ session: catalog.labels(info.key).id }, read(info));
        },
      });
    };
    seqGauge('fix_session_next_sender_seq', 'Next MsgSeqNum the venue will send on the session', (i) => i.nextSenderSeq);
    seqGauge('fix_session_next_target_seq', 'Next MsgSeqNum the venue expects from the counterparty', (i) => i.nextTargetSeq);
  }

  /** Counters the sessions keep themselves, copied at scrape time. */
  private registerCopiedCounters(registry: Registry): void {
    const catalog = this.catalog;
    const perSession = (name: string, help: string, read: (i: SessionInfo) => number): void => {
      const family = new CounterFamily(registry, name, help, ['session']);
      family.beforeScrape(() => {
        for (const info of catalog.snapshot()) family.cell(catalog.labels(info.key).id).value = read(info);
      });
    };
    perSession('fix_business_rejects_sent_total', 'BusinessMessageRejects(j) sent', (i) => i.counters.businessRejectsSent);
    perSession('fix_messages_resent_total', 'Messages sent again in answer to ResendRequests', (i) => i.counters.messagesResent);
    perSession('fix_gap_fills_sent_total', 'SequenceReset-GapFills sent in answer to ResendRequests', (i) => i.counters.gapFillsSent);
    perSession('fix_test_requests_sent_total', 'TestRequests sent to silent counterparties', (i) => i.counters.testRequestsSent);
    perSession('fix_heartbeat_timeouts_total', 'Sessions disconnected for a silent counterparty', (i) => i.counters.heartbeatTimeouts);
    perSession('fix_bad_frames_total', 'Frames dropped as unreadable (checksum, BodyLength, garbled)', (i) => i.counters.badFrames);

    const resends = new CounterFamily(registry, 'fix_resend_requests_total', 'ResendRequests(2), by direction', ['session', 'direction']);
    resends.beforeScrape(() => {
      for (const info of catalog.snapshot()) {
        const id = catalog.labels(info.key).id;
        resends.cell(id, 'received').value = info.counters.resendRequestsReceived;
        resends.cell(id, 'sent').value = info.counters.resendRequestsSent;
      }
    });

    const byType = (name: string, help: string, read: (i: SessionInfo) => Record<string, number>): void => {
      const family = new CounterFamily(registry, name, help, ['session', 'msg_type']);
      family.beforeScrape(() => {
        // Unknown MsgTypes fold into "other", so each value is a sum: recomputed from the sessions' counters.
        family.zeroAll();
        for (const info of catalog.snapshot()) {
          const id = catalog.labels(info.key).id;
          for (const [msgType, n] of Object.entries(read(info))) family.cell(id, this.knownMsgType(msgType) ? msgType : 'other').inc(n);
        }
      });
    };
    byType('fix_messages_received_total', 'FIX messages received, by MsgType', (i) => i.counters.messagesIn);
    byType('fix_messages_sent_total', 'FIX messages sent, by MsgType', (i) => i.counters.messagesOut);
  }
}
