// The simulator's WebSocket API at the frame level, with a plain `ws` client: request/response framing,
// errors, subscriptions, the server's ping and its dropping of connections that do not pong, and the
// WebSocket faults (refused upgrades, a silent server).

import { expect } from 'chai';
import WebSocket from 'ws';
import { hmacSigner, wsSignaturePayload } from '../../../src/routing/binance/signing.js';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { eventually, startTestSimulator, SYMBOL, type TestKeys } from './support/sim-fixture.js';

type Frame = Record<string, unknown>;

class Client {
  readonly frames: Frame[] = [];
  pings = 0;
  closed = false;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(d.toString()) as Frame));
    ws.on('ping', () => this.pings++);
    ws.on('close', () => (this.closed = true));
  }
  static open(url: string, opts: WebSocket.ClientOptions = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts);
      const c = new Client(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }
  async request(id: string | number, method: string, params?: Record<string, unknown>): Promise<Frame> {
    this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    return eventually(() => this.frames.find((f) => f['id'] === id), 3000, `answer to ${method}`);
  }
}

function signed(keys: TestKeys, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const params: Record<string, unknown> = { apiKey: keys.alice.apiKey, timestamp: Date.now(), ...extra };
  params['signature'] = hmacSigner(keys.alice.secret).sign(wsSignaturePayload(params));
  return params;
}

describe('binance simulator: WebSocket API frames', () => {
  let sim: BinanceSimulator;
  let keys: TestKeys;
  const clients: Client[] = [];

  async function connect(query = '', opts: WebSocket.ClientOptions = {}): Promise<Client> {
    const c = await Client.open(sim.wsApiUrl + query, opts);
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    ({ sim, keys } = await startTestSimulator({ wsPingIntervalMs: 50, wsPongTimeoutMs: 400 }));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await sim.close();
  });

  it('echoes string and numeric ids, reports rate limits unless asked not to, and explains bad requests', async () => {
    const c = await connect();
    const time = await c.request('abc', 'time');
    expect(time).to.include({ id: 'abc', status: 200 });
    expect((time['rateLimits'] as Frame[])[0]).to.include({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE' });
    const ping = await c.request(7, 'ping', { returnRateLimits: false });
    expect(ping).to.deep.equal({ id: 7, status: 200, result: {} });
    const unknown = await c.request(8, 'order.teleport');
    expect(unknown).to.deep.include({ status: 400, error: { code: -1020, msg: 'This operation is not supported.' } });
    c.ws.send('{not json');
    const bad = await eventually(() => c.frames.find((f) => f['id'] === null), 3000, 'answer to bad JSON');
    expect(bad).to.deep.include({ status: 400, error: { code: -1135, msg: 'Invalid JSON Request' } });
    const quiet = await connect('?returnRateLimits=false');
    expect(await quiet.request(1, 'time')).to.not.have.property('rateLimits');
  });

  it('subscribes with a signature once per account, lists, refuses a bad signature, and ends a subscription', async () => {
    const c = await connect();
    expect(await c.request(1, 'userDataStream.subscribe.signature', signed(keys))).to.deep.include({ status: 200, result: { subscriptionId: 0 } });
    const twice = await c.request(2, 'userDataStream.subscribe.signature', signed(keys));
    expect(twice).to.deep.include({ status: 400, error: { code: -2035, msg: 'User Data Stream subscription already active.' } });
    const forged = { ...signed(keys), signature: 'f'.repeat(64) };
    expect(await c.request(3, 'userDataStream.subscribe.signature', forged)).to.deep.include({ status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } });
    expect(await c.request(4, 'session.subscriptions')).to.deep.include({ result: [{ subscriptionId: 0 }] });
    expect(await c.request(5, 'userDataStream.subscribe')).to.deep.include({ status: 401 }); // not logged on
    expect(await c.request(6, 'userDataStream.unsubscribe', { subscriptionId: 0 })).to.deep.include({ status: 200, result: {} });
    expect(c.frames.some((f) => f['subscriptionId'] === 0 && (f['event'] as Frame)['e'] === 'eventStreamTerminated')).to.equal(true);
    // No more events for a closed subscription.
    sim.placeOrder('alice', { symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.01' });
    expect(await c.request(7, 'ping')).to.include({ status: 200 });
    expect(c.frames.filter((f) => (f['event'] as Frame | undefined)?.['e'] === 'executionReport')).to.have.length(0);
  });

  it('pings every interval; keeps a client that pongs and drops one that does not', async () => {
    const polite = await connect();
    const silent = await connect('', { autoPong: false });
    await eventually(() => (silent.closed ? true : undefined), 3000, 'the silent client to be dropped');
    expect(silent.pings).to.be.greaterThan(0);
    expect(polite.closed).to.equal(false);
    expect(polite.pings).to.be.greaterThan(2);
  });

  it('refuses upgrades while told to, and stops answering while hung', async () => {
    sim.faults.refuseWebSocket = true;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(sim.wsApiUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).to.equal(503);
    sim.faults.refuseWebSocket = false;
    const c = await connect();
    sim.faults.hangWebSocket = true;
    const pingsBefore = c.pings;
    c.ws.send(JSON.stringify({ id: 'x', method: 'ping' }));
    const pongTimeoutsLater = Date.now() + 500;
    await eventually(() => (Date.now() > pongTimeoutsLater ? true : undefined), 1000, 'time to pass');
    sim.faults.hangWebSocket = false;
    expect(await c.request('y', 'ping')).to.include({ status: 200 });
    expect(c.frames.find((f) => f['id'] === 'x')).to.equal(undefined); // swallowed while hung
    expect(c.pings).to.be.lessThan(pingsBefore + 2); // no pings while hung (at most one already in flight)
    expect(c.closed).to.equal(false); // silent, but not hung up
  });
});
