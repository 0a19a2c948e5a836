// Where the client connects and with which key: endpoints from config, keys only from the environment.

import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialsFromEnv, resolveEndpoints } from '../../../src/routing/binance/client-config.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('binance client: configuration', () => {
  it('resolves production, testnet and custom (simulator) endpoints', () => {
    expect(resolveEndpoints('production')).to.deep.equal({ restBaseUrl: 'https://api.binance.com', wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3' });
    expect(resolveEndpoints('testnet').restBaseUrl).to.equal('https://testnet.binance.vision');
    expect(resolveEndpoints('custom', { restBaseUrl: 'http://127.0.0.1:9', wsApiUrl: 'ws://127.0.0.1:9/ws-api/v3' }).wsApiUrl).to.equal('ws://127.0.0.1:9/ws-api/v3');
    expect(() => resolveEndpoints('custom', { restBaseUrl: 'http://x' })).to.throw(/needs both restBaseUrl and wsApiUrl/);
  });

  it('reads the key from the environment: an Ed25519 key file first, else an HMAC secret', () => {
    const dir = makeTempDir('binance-key-');
    const file = join(dir, 'key.pem');
    writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(credentialsFromEnv({ BINANCE_API_KEY: 'k', BINANCE_PRIVATE_KEY_PATH: file, BINANCE_API_SECRET: 's' }).signer.keyType).to.equal('ed25519');
    expect(credentialsFromEnv({ BINANCE_API_KEY: 'k', BINANCE_API_SECRET: 's' }).signer.keyType).to.equal('hmac');
    expect(() => credentialsFromEnv({})).to.throw('binance: BINANCE_API_KEY is not set');
    expect(() => credentialsFromEnv({ BINANCE_API_KEY: 'k' })).to.throw(/BINANCE_PRIVATE_KEY_PATH .* or BINANCE_API_SECRET/);
    expect(() => credentialsFromEnv({ BINANCE_API_KEY: 'k', BINANCE_PRIVATE_KEY_PATH: join(dir, 'missing.pem') })).to.throw(/cannot be read/);
  });
});
