// TLS settings for a listener or an initiator, as files or PEM text, turned into Node tls options. Files are read
// once at start so that a bad path fails the start with the path in the message, not the first handshake.

import { readFileSync } from 'node:fs';
import tls from 'node:tls';

export interface TlsServerConfig {
  /** PEM text or a path to it. */
  cert: string | Buffer;
  key: string | Buffer;
  /** CA bundle used to verify client certificates. */
  ca?: string | Buffer;
  /** Ask clients for a certificate. */
  requestClientCert?: boolean;
  /** With requestClientCert: refuse clients without a valid certificate (default true). */
  requireClientCert?: boolean;
  minVersion?: tls.SecureVersion;
  /** Further certificates chosen by the SNI name the client asks for (the default cert/key serve the rest). */
  sni?: Record<string, { cert: string | Buffer; key: string | Buffer }>;
}

export interface TlsClientConfig {
  /** SNI name and the name the server certificate must carry. */
  servername?: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
  minVersion?: tls.SecureVersion;
}

export function serverTlsOptions(config: TlsServerConfig): tls.TlsOptions {
  const requestCert = config.requestClientCert ?? false;
  const contexts = new Map<string, tls.SecureContext>();
  for (const [name, pair] of Object.entries(config.sni ?? {})) {
    contexts.set(name.toLowerCase(), tls.createSecureContext({ cert: pem(pair.cert, `cert for ${name}`), key: pem(pair.key, `key for ${name}`) }));
  }
  return {
    ...(contexts.size > 0
      ? { SNICallback: (servername: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void) => cb(null, contexts.get(servername.toLowerCase())) }
      : {}),
    cert: pem(config.cert, 'cert'),
    key: pem(config.key, 'key'),
    ...(config.ca !== undefined ? { ca: pem(config.ca, 'ca') } : {}),
    requestCert,
    rejectUnauthorized: requestCert ? (config.requireClientCert ?? true) : false,
    minVersion: config.minVersion ?? 'TLSv1.2',
  };
}

export function clientTlsOptions(config: TlsClientConfig): tls.ConnectionOptions {
  return {
    ...(config.servername !== undefined ? { servername: config.servername } : {}),
    ...(config.ca !== undefined ? { ca: pem(config.ca, 'ca') } : {}),
    ...(config.cert !== undefined ? { cert: pem(config.cert, 'cert') } : {}),
    ...(config.key !== undefined ? { key: pem(config.key, 'key') } : {}),
    rejectUnauthorized: config.rejectUnauthorized ?? true,
    minVersion: config.minVersion ?? 'TLSv1.2',
  };
}

/** PEM text is used as is; anything else is a file path. */
function pem(value: string | Buffer, what: string): string | Buffer {
  if (Buffer.isBuffer(value) || value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value);
  } catch (err) {
    throw new Error(`TLS ${what} file ${value} cannot be read: ${(err as Error).message}`);
  }
}
