// The official connector's WebSocket API client against the simulator's user data stream: the HMAC
// userDataStream.subscribe.signature path and the Ed25519 session.logon + userDataStream.subscribe path,
// with executionReport / outboundAccountPosition events carrying exactly the documented keys.

import { expect } from 'chai';
import { Logger, LogLevel } from '@binance/common';
import { Spot, SpotRestAPI } from '@binance/spot';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { eventually, seed, startTestSimulator, SYMBOL, type TestKeys } from './support/sim-fixture.js';

Logger.getInstance().setMinLogLevel(LogLevel.ERROR);

type Event = Record<string, unknown> & { e: string };

/** The keys user-data-stream.md lists for executionReport, minus the conditional ones. */
const EXECUTION_REPORT_KEYS = [
  'e', 'E', 's', 'c', 'S', 'o', 'f', 'q', 'p', 'P', 'F', 'g', 'C', 'x', 'X', 'r', 'i', 'l', 'z', 'L', 'n', 'N', 'T', 't', 'I', 'w', 'm', 'M', 'O', 'Z',
  'Y', 'Q', 'V',
];

describe('binance simulator: @binance/spot WebSocket API user data stream', function () {
  this.timeout(15000);
  let sim: BinanceSimulator;
  let keys: TestKeys;

  beforeEach(async () => {
    ({ sim, keys } = await startTestSimulator());
  });
  afterEach(async () => {
    await sim.close();
  });

  it('delivers executionReport and outboundAccountPosition after userDataStream.subscribe.signature (HMAC)', async () => {
    const spot = new Spot({
      configurationRestAPI: { apiKey: keys.alice.apiKey, apiSecret: keys.alice.secret, basePath: sim.restUrl, retries: 0 },
      configurationWebsocketAPI: { apiKey: keys.alice.apiKey, apiSecret: keys.alice.secret, wsURL: sim.wsApiUrl },
    });
    const conn = await spot.websocketAPI!.connect();
    try {
      const events: Event[] = [];
      const sub = await conn.userDataStreamSubscribeSignature();
      expect(sub.response.data).to.deep.equal({ subscriptionId: 0 });
      sub.stream.on('message', (data) => {
        events.push(data as Event);
      });

      seed(sim, 'SELL', '60000.00', '0.05');
      const order = await (
        await spot.restAPI!.newOrder({
          symbol: SYMBOL,
          side: SpotRestAPI.NewOrderSideEnum.BUY,
          type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
          timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.GTC,
          price: 60000,
          quantity: 0.1,
          newClientOrderId: 'ws-1',
        })
      ).data();
      expect(order.status).to.equal('PARTIALLY_FILLED');

      const reports = await eventually(() => {
        const r = events.filter((e) => e.e === 'executionReport');
        return r.length >= 2 && events.some((e) => e.e === 'outboundAccountPosition') ? r : undefined;
      }, 3000, 'execution reports');
      const [created, trade] = reports;
      expect(Object.keys(created!).filter((k) => k !== 'W')).to.deep.equal(EXECUTION_REPORT_KEYS);
      expect(created).to.include({ e: 'executionReport', s: SYMBOL, c: 'ws-1', S: 'BUY', o: 'LIMIT', x: 'NEW', X: 'NEW', q: '0.10000000', p: '60000.00000000' });
      expect(trade).to.include({ x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.05000000', z: '0.05000000', L: '60000.00000000', n: '0.00005000', N: 'BTC', m: false });
      expect(trade!['i']).to.equal(order.orderId);
      // Only alice's own orders: bob's maker report goes to bob's subscribers.
      expect(reports.every((r) => r['c'] === 'ws-1')).to.equal(true);
      const position = events.find((e) => e.e === 'outboundAccountPosition')!;
      expect(Object.keys(position)).to.deep.equal(['e', 'E', 'u', 'B']);
      expect(position['B']).to.deep.include({ a: 'USDT', f: '94000.00000000', l: '3000.00000000' });
    } finally {
      await conn.disconnect();
    }
  });

  it('accepts Ed25519 for REST signing and for session.logon + userDataStream.subscribe', async () => {
    const spot = new Spot({
      configurationRestAPI: { apiKey: keys.carol.apiKey, privateKey: keys.carol.privateKeyPem, basePath: sim.restUrl, retries: 0 },
      configurationWebsocketAPI: { apiKey: keys.carol.apiKey, privateKey: keys.carol.privateKeyPem, wsURL: sim.wsApiUrl },
    });
    const conn = await spot.websocketAPI!.connect();
    try {
      const logon = await conn.sessionLogon();
      const first = (Array.isArray(logon) ? logon[0] : logon) as { data: { apiKey: string } };
      expect(first.data.apiKey).to.equal(keys.carol.apiKey);
      const sub = await conn.userDataStreamSubscribe();
      const events: Event[] = [];
      sub.stream.on('message', (data) => {
        events.push(data as Event);
      });
      const placed = await (
        await spot.restAPI!.newOrder({
          symbol: SYMBOL,
          side: SpotRestAPI.NewOrderSideEnum.SELL,
          type: SpotRestAPI.NewOrderTypeEnum.LIMIT_MAKER,
          price: 70000,
          quantity: 0.01,
          newClientOrderId: 'carol-1',
        })
      ).data();
      expect(placed.status).to.equal(undefined); // LIMIT_MAKER answers ACK by default
      const report = await eventually(() => events.find((e) => e.e === 'executionReport'), 3000, 'execution report');
      expect(report).to.include({ c: 'carol-1', o: 'LIMIT_MAKER', x: 'NEW', X: 'NEW', w: true });
    } finally {
      await conn.disconnect();
    }
  });
});
