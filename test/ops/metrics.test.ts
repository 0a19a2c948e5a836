// GET /metrics after real FIX traffic against a real venue: the series named in issue 8 are there, with the
// values the traffic must have produced, and labels stay bounded (an unknown MsgType is "other").

import { expect } from 'chai';
import { FixTestClient, SOH } from '../support/fix-test-client.js';
import { eventually, startOpsHarness, type OpsHarness } from './support/ops-harness.js';
import { cancelRequest, limitOrder } from './support/orders.js';

type Samples = Map<string, number>;

function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

describe('ops /metrics after real FIX traffic', function () {
  this.timeout(30_000);
  let h: OpsHarness;
  let m: Samples;
  let text: string;

  before(async () => {
    h = await startOpsHarness({ clearingQueue: 'ops-metrics-clearing' });
    const b1 = await h.venue.logon('BROKER1');
    const b2 = await h.venue.logon('BROKER2');
    // A resting buy, crossed by a sell: one trade.
    b1.send('D', limitOrder('M-BUY', '1', '0.1', '60000.00'));
    await b1.er('M-BUY', '0');
    b2.send('D', limitOrder('M-SELL', '2', '0.1', '60000.00'));
    await b2.er('M-SELL', 'F');
    // An order and its cancel.
    b1.send('D', limitOrder('M-REST', '1', '0.2', '59000.00'));
    await b1.er('M-REST', '0');
    b1.send('F', cancelRequest('M-CXL', 'M-REST', '1'));
    await b1.er('M-CXL', '4');
    // A resting ask stays on the book.
    b2.send('D', limitOrder('M-ASK', '2', '0.3', '61000.00'));
    await b2.er('M-ASK', '0');
    // Refused by risk: BROKER1's firm limit is 50.
    b1.send('D', limitOrder('M-BIG', '1', '60', '60000.00'));
    expect((await b1.er('M-BIG', '8')).get(58)).to.match(/^max order qty exceeded/);
    // A session-level Reject (OrderQty is not a number) and a MsgType nobody defined.
    b1.send('D', FixTestClient.body([[11, 'M-BAD'], [38, 'lots'], [40, '2'], [44, '60000.00'], [54, '1'], [55, 'BTCUSDT'], [60, '20240101-00:00:00']]));
    const reject = await b1.next((x) => x.type === '3');
    expect(reject.get(373)).to.equal('6');
    b1.send('ZZ', `58=hello${SOH}`);
    await b1.next((x) => x.type === '3');
    // BROKER1 asks for everything again: its execution reports come back PossDup, the admin messages as gap fills.
    b1.send('2', `7=1${SOH}16=0${SOH}`);
    await b1.next((x) => x.type === '4' && x.get(123) === 'Y');
    // A silent member (HeartBtInt 1 s): the venue sends a TestRequest after 1.2 s (the client answers it).
    const md = await h.venue.logon('MDFEED', { heartBtInt: 1 });
    await md.next((x) => x.type === '1', 15_000);
    // BROKER2 logs out.
    await b2.logout();
    await eventually(async () => (await h.call('GET', '/api/sessions/BROKER2', { as: 'viewer' })).body.state === 'disconnected', 'BROKER2 gone');
    await h.venue.app.fixEngine.flushed();
    const res = await fetch(`${h.base}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    text = await res.text();
    m = parse(text);
  });
  after(async () => {
    await h.dispose();
  });

  const value = (series: string): number => {
    expect(m.has(series), `${series} in\n${[...m.keys()].filter((k) => k.startsWith(series.split('{')[0]!)).join('\n')}`).to.equal(true);
    return m.get(series)!;
  };

  it('sessions by state, role and firm', () => {
    expect(value('fix_sessions{state="logged-on",role="order-entry",firm="BROKER1"}')).to.equal(1);
    expect(value('fix_sessions{state="disconnected",role="order-entry",firm="BROKER2"}')).to.equal(1);
    expect(value('fix_sessions{state="disconnected",role="drop-copy",firm="none"}')).to.equal(1);
  });

  it('logons, logouts and disconnects with a bounded reason', () => {
    expect(value('fix_logons_total{session="BROKER1"}')).to.equal(1);
    expect(value('fix_logons_total{session="BROKER2"}')).to.equal(1);
    expect(value('fix_logouts_total{session="BROKER2",reason="counterparty_logout"}')).to.equal(1);
    expect(value('fix_disconnects_total{session="BROKER2",reason="counterparty_logout"}')).to.equal(1);
    expect(value('fix_logouts_total{session="BROKER1",reason="counterparty_logout"}')).to.equal(0);
  });

  it('messages in and out by MsgType, unknown types as "other"', () => {
    expect(value('fix_messages_received_total{session="BROKER1",msg_type="A"}')).to.equal(1);
    expect(value('fix_messages_received_total{session="BROKER1",msg_type="D"}')).to.equal(4);
    expect(value('fix_messages_received_total{session="BROKER1",msg_type="F"}')).to.equal(1);
    expect(value('fix_messages_received_total{session="BROKER1",msg_type="other"}')).to.equal(1);
    expect(value('fix_messages_received_total{session="BROKER2",msg_type="5"}')).to.equal(1);
    expect(value('fix_messages_sent_total{session="BROKER1",msg_type="8"}')).to.be.at.least(5);
    expect(value('fix_messages_sent_total{session="BROKER1",msg_type="3"}')).to.equal(2);
    expect(text).to.not.include('msg_type="ZZ"');
  });

  it('session-level rejects by reason, resend requests and gap fills, heartbeat lateness', () => {
    expect(value('fix_session_rejects_total{session="BROKER1",direction="sent",reason="incorrect_data_format"}')).to.equal(1);
    expect(value('fix_session_rejects_total{session="BROKER1",direction="sent",reason="invalid_msg_type"}')).to.equal(1);
    expect(value('fix_resend_requests_total{session="BROKER1",direction="received"}')).to.equal(1);
    expect(value('fix_resend_requests_total{session="BROKER1",direction="sent"}')).to.equal(0);
    expect(value('fix_gap_fills_sent_total{session="BROKER1"}')).to.be.at.least(1);
    expect(value('fix_messages_resent_total{session="BROKER1"}')).to.be.at.least(5);
    expect(value('fix_heartbeat_late_seconds_count{session="MDFEED"}')).to.equal(1);
    expect(value('fix_heartbeat_late_seconds_sum{session="MDFEED"}')).to.be.at.least(0.2).and.below(2);
    expect(value('fix_test_requests_sent_total{session="MDFEED"}')).to.equal(1);
    expect(value('fix_test_requests_sent_total{session="BROKER1"}')).to.equal(0);
  });

  it('order→acknowledgement latency, journal and FIX store write latency', () => {
    expect(value('fix_order_ack_latency_seconds_count{msg_type="D"}')).to.be.at.least(5);
    expect(value('fix_order_ack_latency_seconds_count{msg_type="F"}')).to.equal(1);
    const sum = value('fix_order_ack_latency_seconds_sum{msg_type="D"}');
    expect(sum).to.be.greaterThan(0).and.below(10);
    expect(value('fix_order_ack_latency_seconds_bucket{msg_type="D",le="+Inf"}')).to.equal(value('fix_order_ack_latency_seconds_count{msg_type="D"}'));
    expect(value('venue_journal_commit_duration_seconds_count')).to.be.greaterThan(0);
    expect(value('venue_journal_written_bytes_total')).to.be.greaterThan(0);
    expect(value('venue_journal_failed')).to.equal(0);
    expect(value('fix_store_write_duration_seconds_count')).to.be.greaterThan(0);
    expect(value('fix_flush_duration_seconds_count')).to.be.at.least(value('fix_store_write_duration_seconds_count'));
  });

  it('orders, trades, cancels and risk rejects by instrument and reason', () => {
    expect(value('venue_orders_accepted_total{symbol="BTCUSDT"}')).to.equal(4);
    expect(value('venue_trades_total{symbol="BTCUSDT"}')).to.equal(1);
    expect(value('venue_cancels_total{symbol="BTCUSDT",reason="user"}')).to.equal(1);
    expect(value('venue_order_rejects_total{symbol="BTCUSDT",command="new",reason="risk-limit"}')).to.equal(1);
    expect(value('venue_risk_rejects_total{symbol="BTCUSDT",limit="maxOrderQty"}')).to.equal(1);
    expect(value('venue_risk_rejects_total{symbol="BTCUSDT",limit="creditLimit"}')).to.equal(0);
    expect(value('venue_live_orders')).to.equal(1);
  });

  it('top of book and depth per instrument', () => {
    expect(value('venue_book_best_price{symbol="BTCUSDT",side="ask"}')).to.equal(61000);
    expect(value('venue_book_best_quantity{symbol="BTCUSDT",side="ask"}')).to.be.closeTo(0.3, 1e-12);
    expect(value('venue_book_levels{symbol="BTCUSDT",side="ask"}')).to.equal(1);
    expect(value('venue_book_levels{symbol="BTCUSDT",side="bid"}')).to.equal(0);
    expect(m.has('venue_book_best_price{symbol="BTCUSDT",side="bid"}')).to.equal(false);
    expect(value('venue_book_orders{symbol="BTCUSDT",side="ask"}')).to.equal(1);
    expect(value('venue_last_trade_price{symbol="BTCUSDT"}')).to.equal(60000);
    expect(value('venue_instrument_halted{symbol="ETHUSDT"}')).to.equal(0);
  });

  it('Redis write-behind lag, BullMQ depth and failures, component and route health', () => {
    expect(value('risk_write_behind_lag_seconds')).to.be.at.least(0);
    expect(value('risk_write_behind_pending_writes')).to.be.at.least(0);
    expect(value('clearing_queue_jobs{state="failed"}')).to.equal(0);
    expect(value('clearing_job_failures_total{job="settle",final="true"}')).to.equal(0);
    expect(value('venue_component_up{component="fix-listener"}')).to.equal(1);
    expect(value('venue_component_up{component="journal"}')).to.equal(1);
    expect(value('venue_component_up{component="redis"}')).to.equal(1);
    expect(value('venue_component_up{component="bullmq"}')).to.equal(1);
    expect(text).to.include('# TYPE venue_route_up gauge');
  });

  it('Node event-loop lag, GC pauses and heap', () => {
    expect(text).to.include('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).to.include('# TYPE nodejs_gc_duration_seconds histogram');
    expect(value('nodejs_heap_size_used_bytes')).to.be.greaterThan(0);
  });

  it('every metric name and label follows Prometheus conventions', () => {
    for (const key of m.keys()) {
      expect(key, key).to.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})?$/);
    }
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((x) => [x[1]!, x[2]!] as const);
    for (const [name, type] of types) {
      if (type === 'counter') expect(name, name).to.match(/_total$/);
      if (name.startsWith('fix_') || name.startsWith('venue_') || name.startsWith('risk_')) expect(name, name).to.not.match(/_(ms|milliseconds)\b/);
    }
  });
});
