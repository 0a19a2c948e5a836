// A simulator set up for tests: one symbol with Binance-like filters and three accounts - alice (HMAC),
// bob (HMAC, the counter-party that provides liquidity) and carol (an Ed25519 key pair made per run).

import { generateKeyPairSync } from 'node:crypto';
import { startBinanceSimulator, type BinanceSimulator } from '../../../../src/simulators/binance/simulator.js';

export interface TestKeys {
  alice: { apiKey: string; secret: string };
  bob: { apiKey: string; secret: string };
  carol: { apiKey: string; privateKeyPem: string; publicKeyPem: string };
}

export const SYMBOL = 'BTCUSDT';

export function testConfig(overrides: Record<string, unknown> = {}): { config: Record<string, unknown>; keys: TestKeys } {
  const pair = generateKeyPairSync('ed25519');
  const keys: TestKeys = {
    alice: { apiKey: 'alice-key', secret: 'alice-secret-0123456789' },
    bob: { apiKey: 'bob-key', secret: 'bob-secret-0123456789' },
    carol: {
      apiKey: 'carol-key',
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  };
  const config = {
    host: '127.0.0.1',
    port: 0,
    symbols: [
      {
        symbol: SYMBOL,
        baseAsset: 'BTC',
        quoteAsset: 'USDT',
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
          { filterType: 'LOT_SIZE', minQty: '0.00010000', maxQty: '1000.00000000', stepSize: '0.00010000' },
          { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
          { filterType: 'ICEBERG_PARTS', limit: 10 },
          { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '1000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
          { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
          { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 20 },
        ],
      },
    ],
    accounts: [
      {
        name: 'alice',
        apiKeys: [{ apiKey: keys.alice.apiKey, type: 'hmac', secret: keys.alice.secret }],
        balances: { USDT: '100000', BTC: '10' },
        makerCommission: '0.001',
        takerCommission: '0.001',
      },
      { name: 'bob', apiKeys: [{ apiKey: keys.bob.apiKey, type: 'hmac', secret: keys.bob.secret }], balances: { USDT: '1000000', BTC: '100' } },
      { name: 'carol', apiKeys: [{ apiKey: keys.carol.apiKey, type: 'ed25519', publicKeyPem: keys.carol.publicKeyPem }], balances: { USDT: '100000', BTC: '10' } },
    ],
    ...overrides,
  };
  return { config, keys };
}

export async function startTestSimulator(overrides: Record<string, unknown> = {}): Promise<{ sim: BinanceSimulator; keys: TestKeys }> {
  const { config, keys } = testConfig(overrides);
  return { sim: await startBinanceSimulator(config), keys };
}

/** Bob rests a GTC limit order: the liquidity a test's order will meet. */
export function seed(sim: BinanceSimulator, side: 'BUY' | 'SELL', price: string, quantity: string, account = 'bob'): number {
  return sim.placeOrder(account, { symbol: SYMBOL, side, type: 'LIMIT', timeInForce: 'GTC', price, quantity }).orderId;
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined, ms = 3000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
