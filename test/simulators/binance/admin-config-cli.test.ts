// The simulator's own surface: the /_sim/ admin endpoints, config validation messages, and the
// `binance-sim` command line.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSimulatorConfig } from '../../../src/simulators/binance/config.js';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { hmacSigner } from '../../../src/routing/binance/signing.js';
import { startTestSimulator, SYMBOL, testConfig, type TestKeys } from './support/sim-fixture.js';
import { makeTempDir } from '../../support/temp-dir.js';

async function admin(sim: BinanceSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.restUrl}/_sim/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function signedPost(sim: BinanceSimulator, keys: TestKeys, path: string, query: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const q = `${query}&timestamp=${Date.now()}`;
  const sig = hmacSigner(keys.alice.secret).sign(q);
  const res = await fetch(`${sim.restUrl}${path}?${q}&signature=${sig}`, { method: 'POST', headers: { 'X-MBX-APIKEY': keys.alice.apiKey } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function configError(mutate: (c: Record<string, unknown> & { symbols: Record<string, unknown>[] }) => void): string {
  const { config } = testConfig();
  mutate(config as Record<string, unknown> & { symbols: Record<string, unknown>[] });
  try {
    parseSimulatorConfig(config);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('binance simulator: admin endpoints, config, command line', () => {
  describe('admin (/_sim/)', () => {
    let sim: BinanceSimulator;
    let keys: TestKeys;
    beforeEach(async () => {
      ({ sim, keys } = await startTestSimulator());
    });
    afterEach(async () => {
      await sim.close();
    });

    it('seeds liquidity as another account, reports state, and injects a 503 after executing the next order', async () => {
      const seeded = await admin(sim, 'POST', 'orders', { account: 'bob', order: { symbol: SYMBOL, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '0.5' } });
      expect(seeded.status).to.equal(200);
      expect(seeded.json).to.include({ status: 'NEW', side: 'SELL' });
      expect((await admin(sim, 'POST', 'orders', { account: 'nobody', order: {} })).status).to.equal(400);

      expect((await admin(sim, 'POST', 'faults/fail-next', { status: 503, execute: true })).status).to.equal(200);
      const lost = await signedPost(sim, keys, '/api/v3/order', `symbol=${SYMBOL}&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=60000&newClientOrderId=lost-1`);
      expect(lost.status).to.equal(503);
      const state = await admin(sim, 'GET', 'state');
      const alice = (state.json['accounts'] as Record<string, { asset: string; free: string }[]>)['alice']!;
      expect(alice.find((b) => b.asset === 'BTC')?.free).to.equal('10.09990000'); // it did execute
      expect(state.json['openOrders']).to.equal(1); // bob's remaining 0.4

      await admin(sim, 'POST', 'faults/fail-next', { code: -1007, execute: false });
      const timeout = await signedPost(sim, keys, '/api/v3/order', `symbol=${SYMBOL}&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=60000`);
      expect(timeout.status).to.equal(408);
      expect(timeout.json).to.deep.equal({ code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' });
      expect((await admin(sim, 'GET', 'state')).json['openOrders']).to.equal(1); // it did not execute

      const clock = await admin(sim, 'POST', 'clock', { offsetMs: 3_600_000 });
      expect(Number(clock.json['serverTime']) - Date.now()).to.be.greaterThan(3_500_000);
      expect((await admin(sim, 'POST', 'clock', { offsetMs: 'soon' })).status).to.equal(400);
    });

    it('answers a malformed request with a Binance error, not a crash', async () => {
      const dup = await fetch(`${sim.restUrl}/api/v3/depth?symbol=${SYMBOL}&symbol=ETHUSDT`);
      expect(dup.status).to.equal(400);
      expect(await dup.json()).to.deep.equal({ code: -1101, msg: 'Duplicate values for a parameter detected.' });
      const missing = await fetch(`${sim.restUrl}/api/v3/depth`);
      expect(await missing.json()).to.deep.equal({ code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
      const extra = await signedPost(sim, keys, '/api/v3/order', `symbol=${SYMBOL}&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=50000&colour=red`);
      expect(extra.json).to.deep.equal({ code: -1104, msg: "Not all sent parameters were read; read '8' parameter(s) but was sent '9'." });
      const noKey = await fetch(`${sim.restUrl}/api/v3/account?timestamp=${Date.now()}&signature=x`);
      expect([noKey.status, ((await noKey.json()) as { code: number }).code]).to.deep.equal([401, -2014]);
      expect((await fetch(`${sim.restUrl}/api/v3/nothing`)).status).to.equal(404);
      expect((await fetch(`${sim.restUrl}/api/v3/ping`)).status).to.equal(200);
    });
  });

  describe('config', () => {
    it('names the key and what was expected', () => {
      expect(configError((c) => (c.symbols[0]!['orderTypes'] = ['LIMIT', 'TAKE_PROFIT']))).to.match(/symbols\[0\]\.orderTypes: TAKE_PROFIT is not supported/);
      expect(
        configError((c) => ((c.symbols[0]!['filters'] as Record<string, unknown>[])[0]!['tickSize'] = 0.01)),
      ).to.equal('binance-sim config: symbols[0].filters: PRICE_FILTER.tickSize: expected a decimal string, got 0.01');
      expect(configError((c) => (c['wsPingIntervalMs'] = -5))).to.match(/wsPingIntervalMs: expected a number in \[10,/);
      expect(configError((c) => ((c['accounts'] as Record<string, unknown>[])[1]!['apiKeys'] = [{ apiKey: 'alice-key', type: 'hmac', secret: 's' }]))).to.match(
        /API keys unique across accounts/,
      );
    });
  });

  describe('command line', function () {
    this.timeout(20000);

    it('starts on the requested port, serves /api/v3, and stops on SIGTERM', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/binance-sim.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let out = '';
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const m = /REST (http:\/\/[^ ]+)\/api\/v3/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
        });
        expect(await (await fetch(`${url}/api/v3/ping`)).json()).to.deep.equal({});
        child.kill('SIGTERM');
        const [code] = await once(child, 'exit');
        expect(code).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('explains a bad config file and exits with status 2', async () => {
      const dir = makeTempDir('binance-sim-');
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ symbols: [] }));
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/binance-sim.ts', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const [code] = await once(child, 'exit');
      expect(code).to.equal(2);
      expect(err).to.include('symbols: expected a non-empty array');
    });
  });
});
