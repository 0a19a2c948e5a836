// Where the Binance client connects and with which key. Base URLs come from config (production, testnet,
// or our simulator); keys come from the environment only, never from a file in the repo.

import { readFileSync } from 'node:fs';
import { ed25519Signer, hmacSigner, type PayloadSigner } from './signing.js';

export interface BinanceEndpoints {
  /** REST base, e.g. https://api.binance.com (paths /api/v3/... are appended). */
  restBaseUrl: string;
  /** WebSocket API URL, e.g. wss://ws-api.binance.com:443/ws-api/v3. */
  wsApiUrl: string;
}

export const BINANCE_ENDPOINTS = {
  production: { restBaseUrl: 'https://api.binance.com', wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3' },
  testnet: { restBaseUrl: 'https://testnet.binance.vision', wsApiUrl: 'wss://ws-api.testnet.binance.vision/ws-api/v3' },
} as const satisfies Record<string, BinanceEndpoints>;

export type BinanceEnvironment = keyof typeof BINANCE_ENDPOINTS | 'custom';

/** Picks the endpoints for an environment; 'custom' (the simulator) needs both URLs spelled out. */
export function resolveEndpoints(environment: BinanceEnvironment, custom?: Partial<BinanceEndpoints>): BinanceEndpoints {
  if (environment !== 'custom') return { ...BINANCE_ENDPOINTS[environment], ...custom };
  if (custom?.restBaseUrl === undefined || custom.wsApiUrl === undefined) {
    throw new Error('binance: environment "custom" needs both restBaseUrl and wsApiUrl');
  }
  return { restBaseUrl: custom.restBaseUrl, wsApiUrl: custom.wsApiUrl };
}

export interface BinanceCredentials {
  apiKey: string;
  signer: PayloadSigner;
}

/**
 * Reads BINANCE_API_KEY and either BINANCE_PRIVATE_KEY_PATH (an Ed25519 PKCS#8 PEM file, preferred) or
 * BINANCE_API_SECRET (HMAC). Throws naming the missing variable.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): BinanceCredentials {
  const apiKey = env['BINANCE_API_KEY'];
  if (apiKey === undefined || apiKey === '') throw new Error('binance: BINANCE_API_KEY is not set');
  const keyPath = env['BINANCE_PRIVATE_KEY_PATH'];
  if (keyPath !== undefined && keyPath !== '') {
    let pem: string;
    try {
      pem = readFileSync(keyPath, 'utf8');
    } catch (err) {
      throw new Error(`binance: BINANCE_PRIVATE_KEY_PATH=${keyPath} cannot be read: ${(err as Error).message}`);
    }
    return { apiKey, signer: ed25519Signer(pem) };
  }
  const secret = env['BINANCE_API_SECRET'];
  if (secret === undefined || secret === '') {
    throw new Error('binance: set BINANCE_PRIVATE_KEY_PATH (Ed25519) or BINANCE_API_SECRET (HMAC)');
  }
  return { apiKey, signer: hmacSigner(secret) };
}
