// Request signing against the documented test vectors (rest-api.md, web-socket-api.md), and Ed25519 with
// a key pair made here.

import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { ed25519Signer, ed25519VerificationKey, hmacSigner, verifySignature, wsSignaturePayload } from '../../../src/routing/binance/signing.js';

const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('binance client: signing', () => {
  it('matches the REST HMAC-SHA256 test vector', () => {
    const payload = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(hmacSigner(SECRET).sign(payload)).to.equal('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('builds the WebSocket API payload (sorted, unencoded) and matches its HMAC test vector', () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: 1645423376532,
      apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
      signature: 'ignored',
    };
    const payload = wsSignaturePayload(params);
    expect(payload).to.equal(
      'apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT',
    );
    expect(hmacSigner(SECRET).sign(payload)).to.equal('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
  });

  it('verifies HMAC signatures case-insensitively and refuses altered payloads', () => {
    const key = { type: 'hmac' as const, secret: SECRET };
    const sig = hmacSigner(SECRET).sign('a=1');
    expect(verifySignature(key, 'a=1', sig)).to.equal(true);
    expect(verifySignature(key, 'a=1', sig.toUpperCase())).to.equal(true);
    expect(verifySignature(key, 'a=2', sig)).to.equal(false);
    expect(verifySignature(key, 'a=1', 'not-hex')).to.equal(false);
  });

  it('signs with Ed25519 (base64) so that the public key verifies it, and only that payload', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = ed25519Signer(pem);
    expect(signer.keyType).to.equal('ed25519');
    const payload = 'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000';
    const sig = signer.sign(payload);
    expect(Buffer.from(sig, 'base64')).to.have.length(64);
    const key = ed25519VerificationKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(verifySignature(key, payload, sig)).to.equal(true);
    expect(verifySignature(key, `${payload}0`, sig)).to.equal(false);
    const other = generateKeyPairSync('ed25519');
    expect(verifySignature(key, payload, ed25519Signer(other.privateKey).sign(payload))).to.equal(false);
  });

  it('refuses a private key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => ed25519Signer(privateKey)).to.throw(/expected an Ed25519 private key, got ec/);
  });
});
