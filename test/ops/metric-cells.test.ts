// The hot-path metric cells print as prom-client's own metrics do, in the same registry; the ack-latency ring
// attributes each order to the flush that answered it; free-text reasons map onto bounded label sets.

import { expect } from 'chai';
import { Counter, Registry } from 'prom-client';
import { AckLatency } from '../../src/ops/metrics/ack-latency.js';
import { CounterFamily, HistogramFamily } from '../../src/ops/metrics/cells.js';
import { DISCONNECT_REASONS, disconnectReason, sessionRejectReason } from '../../src/ops/metrics/reasons.js';

describe('ops metric cells', () => {
  it('print counters and histograms in Prometheus text next to prom-client metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'plain_total', help: 'a prom-client counter', registers: [registry] }).inc(3);
    const family = new CounterFamily(registry, 'orders_total', 'orders', ['symbol']);
    const btc = family.cell('BTCUSDT');
    btc.inc();
    btc.inc(2);
    family.cell('ETHUSDT');
    const hist = new HistogramFamily(registry, 'latency_seconds', 'latency', [0.001, 0.01, 0.1], ['kind']);
    const cell = hist.cell('D');
    for (const v of [0.0005, 0.005, 0.005, 0.5]) cell.observe(v);
    const text = await registry.metrics();
    expect(text).to.include('plain_total 3');
    expect(text).to.include('# TYPE orders_total counter');
    expect(text).to.include('orders_total{symbol="BTCUSDT"} 3');
    expect(text).to.include('orders_total{symbol="ETHUSDT"} 0');
    expect(text).to.include('# TYPE latency_seconds histogram');
    expect(text).to.include('latency_seconds_bucket{kind="D",le="0.001"} 1');
    expect(text).to.include('latency_seconds_bucket{kind="D",le="0.01"} 3');
    expect(text).to.include('latency_seconds_bucket{kind="D",le="0.1"} 3');
    expect(text).to.include('latency_seconds_bucket{kind="D",le="+Inf"} 4');
    expect(text).to.include('latency_seconds_count{kind="D"} 4');
    expect(text).to.match(/latency_seconds_sum\{kind="D"\} 0\.5105/);
  });

  it('refuses a wrong number of label values and unordered buckets', () => {
    const registry = new Registry();
    const family = new CounterFamily(registry, 'x_total', 'x', ['a', 'b']);
    expect(() => family.cell('only-one')).to.throw(/expected labels a, b/);
    expect(() => new HistogramFamily(registry, 'h_seconds', 'h', [1, 0.5])).to.throw(/ascend/);
  });

  it('copies values kept elsewhere at scrape time', async () => {
    const registry = new Registry();
    let source = 7;
    const family = new CounterFamily(registry, 'copied_total', 'copied', ['s']);
    family.beforeScrape(() => (family.cell('A').value = source));
    expect(await registry.metrics()).to.include('copied_total{s="A"} 7');
    source = 9;
    expect(await registry.metrics()).to.include('copied_total{s="A"} 9');
  });
});

describe('ops ack latency ring', () => {
  it('observes each order at the end of the first flush that started after it arrived', async () => {
    const registry = new Registry();
    const hist = new HistogramFamily(registry, 'ack_seconds', 'ack', [0.001, 0.002, 0.005, 0.01], ['msg_type']);
    const cells = ['D', 'F', 'G'].map((t) => hist.cell(t));
    const clock = [100, 101, 102];
    const ring = new AckLatency(cells, 8, () => clock.shift()!);
    ring.arrived('D'); // at 100
    ring.arrived('0'); // a heartbeat is not an order (and reads no clock)
    ring.arrived('F'); // at 101
    ring.flushed(101.5, 103); // covers D (3 ms) and F (2 ms)
    ring.arrived('G'); // at 102, after that flush started: waits for the next one
    expect(ring.pending).to.equal(1);
    ring.flushed(104, 105); // G: 3 ms
    expect(ring.pending).to.equal(0);
    expect(cells[0]!.count).to.equal(1);
    expect(cells[0]!.sum).to.be.closeTo(0.003, 1e-12);
    expect(cells[1]!.sum).to.be.closeTo(0.002, 1e-12);
    expect(cells[2]!.sum).to.be.closeTo(0.003, 1e-12);
  });

  it('counts what does not fit instead of growing', () => {
    const ring = new AckLatency([], 4, () => 1);
    for (let i = 0; i < 6; i++) ring.arrived('D');
    expect(ring.pending).to.equal(3);
    expect(ring.dropped).to.equal(3);
  });
});

describe('ops reason labels', () => {
  it('map the engine texts onto a small fixed set', () => {
    const cases: [string, string][] = [
      ['logout handshake completed', 'logout'],
      ['counterparty logged out', 'counterparty_logout'],
      ['Timed out waiting for heartbeat', 'heartbeat_timeout'],
      ['Timed out waiting for logon response', 'logon_timeout'],
      ['Timed out waiting for logout response', 'logout_timeout'],
      ['logon refused: Invalid username or password', 'logon_refused'],
      ['MsgSeqNum too low, expecting 5 but received 2', 'sequence_too_low'],
      ['slow consumer: 17000000 bytes unsent (limit 16777216)', 'slow_consumer'],
      ['message store write failed: EIO', 'store_failure'],
      ['replaced by a new connection', 'replaced'],
      ['engine stopping', 'shutdown'],
      ['peer closed the connection', 'peer_closed'],
      ['socket error: read ECONNRESET', 'socket_error'],
      ['Logon message is not valid: bad checksum', 'invalid_message'],
      ['invalid message before logon: garbled', 'invalid_message'],
      ['ops: maintenance', 'ops'],
      ['something nobody foresaw 42', 'other'],
    ];
    for (const [text, reason] of cases) expect(disconnectReason(text), text).to.equal(reason);
    for (const [, reason] of cases) expect(DISCONNECT_REASONS).to.include(reason);
  });

  it('names SessionRejectReason codes and folds unknown ones into other', () => {
    expect(sessionRejectReason(1)).to.equal('required_tag_missing');
    expect(sessionRejectReason(5)).to.equal('value_incorrect');
    expect(sessionRejectReason(99)).to.equal('other');
    expect(sessionRejectReason(4242)).to.equal('other');
    expect(sessionRejectReason(-1)).to.equal('other');
  });
});
