// Request signing (rest-api.md "SIGNED Endpoint security", web-socket-api.md "SIGNED request security").
// HMAC-SHA256 gives lowercase hex; Ed25519 gives base64 (percent-encoded when it travels in a query
// string). The payloads differ by transport: REST signs the query string exactly as sent (plus the form
// body), the WebSocket API signs its params sorted by name and joined without percent-encoding.

import { createHmac, createPrivateKey, createPublicKey, sign, verify, timingSafeEqual, type KeyObject } from 'node:crypto';

export type BinanceKeyType = 'hmac' | 'ed25519';

export interface PayloadSigner {
  readonly keyType: BinanceKeyType;
  /** The signature for the payload, as Binance expects it before any percent-encoding. */
  sign(payload: string): string;
}

export function hmacSigner(secret: string): PayloadSigner {
  return {
    keyType: 'hmac',
    sign: (payload) => createHmac('sha256', secret).update(payload).digest('hex'),
  };
}

/** An Ed25519 signer from a PEM (PKCS#8) private key or a KeyObject. */
export function ed25519Signer(privateKey: string | KeyObject): PayloadSigner {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 private key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  return {
    keyType: 'ed25519',
    sign: (payload) => sign(null, Buffer.from(payload), key).toString('base64'),
  };
}

/** How a server holds a client's key: the shared HMAC secret, or the Ed25519 public key. */
export type VerificationKey = { type: 'hmac'; secret: string } | { type: 'ed25519'; publicKey: KeyObject };

export function ed25519VerificationKey(publicKeyPem: string): VerificationKey {
  const publicKey = createPublicKey(publicKeyPem);
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 public key, got ${publicKey.asymmetricKeyType ?? publicKey.type}`);
  }
  return { type: 'ed25519', publicKey };
}

const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** Checks a signature (already percent-decoded) against the payload. HMAC hex is case-insensitive. */
export function verifySignature(key: VerificationKey, payload: string, signature: string): boolean {
  if (key.type === 'hmac') {
    if (!HEX_64.test(signature)) return false;
    const expected = createHmac('sha256', key.secret).update(payload).digest();
    return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
  }
  const raw = Buffer.from(signature, 'base64');
  if (raw.length !== 64) return false;
  return verify(null, Buffer.from(payload), key.publicKey, raw);
}

/** WebSocket API payload: every param except `signature`, sorted by name, `k=v` joined by `&`, not encoded. */
export function wsSignaturePayload(params: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort();
  let out = '';
  for (const k of keys) {
    if (out.length > 0) out += '&';
    out += `${k}=${String(params[k])}`;
  }
  return out;
}
