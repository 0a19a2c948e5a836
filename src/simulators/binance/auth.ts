// Signed-request checks shared by REST and the WebSocket API (rest-api.md "SIGNED Endpoint security",
// "Timing security"): the API key must exist, the signature must verify against the payload the transport
// defines, and the timestamp must fall inside recvWindow (default 5000 ms, at most 60000) and not be
// 1000 ms or more ahead of the server.

import { verifySignature } from '../../routing/binance/signing.js';
import { mandatory } from '../../routing/binance/order-params.js';
import { ApiError, badRequest } from './api-error.js';
import type { ApiKeyEntry, SimAccount } from './exchange/accounts.js';

const TIMESTAMP = /^[0-9]{1,20}$/;
const RECV_WINDOW = /^[0-9]{1,5}(\.[0-9]{1,3})?$/;

export interface SignedRequest {
  apiKey: string | undefined;
  payload: string;
  signature: string | undefined;
  timestamp: string | undefined;
  recvWindow: string | undefined;
}

export function invalidApiKey(): ApiError {
  return new ApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
}

export function lookupKey(keys: ReadonlyMap<string, ApiKeyEntry>, apiKey: string | undefined): ApiKeyEntry {
  if (apiKey === undefined || apiKey === '') throw new ApiError(401, -2014, 'API-key format invalid.');
  const entry = keys.get(apiKey);
  if (entry === undefined) throw invalidApiKey();
  return entry;
}

/** Checks timestamp and recvWindow against the server clock. */
export function checkTiming(timestampText: string | undefined, recvWindowText: string | undefined, now: number): void {
  if (timestampText === undefined || timestampText === '') throw badRequest(mandatory('timestamp').code, mandatory('timestamp').msg);
  if (!TIMESTAMP.test(timestampText)) {
    throw badRequest(-1100, "Illegal characters found in parameter 'timestamp'; legal range is '^[0-9]{1,20}$'.");
  }
  let timestamp = Number(timestampText);
  if (timestamp >= 1e14) timestamp /= 1000; // microseconds
  let recvWindow = 5000;
  if (recvWindowText !== undefined) {
    if (!RECV_WINDOW.test(recvWindowText)) {
      throw badRequest(-1100, "Illegal characters found in parameter 'recvWindow'; legal range is '^[0-9]{1,5}(\\.[0-9]{1,3})?$'.");
    }
    recvWindow = Number(recvWindowText);
    if (recvWindow > 60000) throw badRequest(-1102, "'recvWindow' contains unexpected value. Cannot be greater than 60000.");
  }
  if (timestamp >= now + 1000) throw badRequest(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  if (now - timestamp > recvWindow) throw badRequest(-1021, 'Timestamp for this request is outside of the recvWindow.');
}

/** Authenticates a signed request; returns the account it acts for. */
export function authenticate(keys: ReadonlyMap<string, ApiKeyEntry>, req: SignedRequest, now: number): SimAccount {
  const entry = lookupKey(keys, req.apiKey);
  if (req.signature === undefined || req.signature === '') throw badRequest(mandatory('signature').code, mandatory('signature').msg);
  if (!verifySignature(entry.key, req.payload, req.signature)) throw badRequest(-1022, 'Signature for this request is not valid.');
  checkTiming(req.timestamp, req.recvWindow, now);
  return entry.account;
}
