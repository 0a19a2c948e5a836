// Request parameters as Binance reads them: from the query string and/or an
// application/x-www-form-urlencoded body; a parameter in both is taken from the query string; the same
// parameter twice in one place is -1101. The signature payload is the query string followed by the body,
// exactly as received, without the signature parameter itself.

import { ApiError, badRequest } from '../api-error.js';

export interface ParsedParams {
  params: Map<string, string>;
  /** What a signature must have been computed over. */
  payload: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw badRequest(-1100, 'Illegal characters found in a parameter.');
  }
}

function parseInto(raw: string, into: Map<string, string>): void {
  const seen = new Set<string>();
  if (raw.length === 0) return;
  for (const part of raw.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (seen.has(key)) throw badRequest(-1101, 'Duplicate values for a parameter detected.');
    seen.add(key);
    into.set(key, value);
  }
}

function withoutSignature(raw: string): string {
  if (!raw.includes('signature=')) return raw;
  return raw
    .split('&')
    .filter((p) => !p.startsWith('signature='))
    .join('&');
}

export function parseParams(rawQuery: string, rawBody: string): ParsedParams {
  const params = new Map<string, string>();
  parseInto(rawBody, params);
  const fromQuery = new Map<string, string>();
  parseInto(rawQuery, fromQuery);
  for (const [k, v] of fromQuery) params.set(k, v);
  return { params, payload: withoutSignature(rawQuery) + withoutSignature(rawBody) };
}

/** -1104 when parameters were sent that the endpoint does not read. */
export function checkAllRead(params: Map<string, string>, accepted: ReadonlySet<string>): void {
  let read = 0;
  for (const k of params.keys()) if (accepted.has(k)) read++;
  if (read !== params.size) {
    throw new ApiError(400, -1104, `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${params.size}'.`);
  }
}
