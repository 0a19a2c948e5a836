// The simulator's own control endpoints under /_sim/ (not Binance's API; never on a real exchange): seed
// counter-party liquidity as any account, inject faults, move the clock, reset rate limits, top up
// balances, inspect state. Bodies are JSON.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.js';
import type { FailNextOptions } from '../faults.js';
import type { BinanceSimulator } from '../simulator.js';
import { readBody, sendJson } from './rest-api.js';

export const ADMIN_PREFIX = '/_sim/';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown, what: string): Record<string, string> {
  if (!isRecord(v)) throw new ApiError(400, -1130, `${what} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw new ApiError(400, -1130, `${what}.${k} must be a string`);
    out[k] = x;
  }
  return out;
}

function flag(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ApiError(400, -1130, `${key} must be true or false`);
  return v;
}

export async function handleAdmin(sim: BinanceSimulator, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  try {
    const text = await readBody(req);
    if (text === null) throw new ApiError(413, -1130, 'body too large');
    let body: Record<string, unknown> = {};
    if (text.length > 0) {
      const parsed: unknown = JSON.parse(text);
      if (!isRecord(parsed)) throw new ApiError(400, -1135, 'body must be a JSON object');
      body = parsed;
    }
    const route = `${req.method ?? ''} ${path.slice(ADMIN_PREFIX.length)}`;
    switch (route) {
      case 'GET state':
        return sendJson(res, 200, sim.state());
      case 'POST orders': {
        const account = body['account'];
        if (typeof account !== 'string') throw new ApiError(400, -1102, 'account (a simulated account name) is required');
        return sendJson(res, 200, sim.placeOrder(account, stringRecord(body['order'], 'order')));
      }
      case 'POST faults/fail-next':
        sim.faults.failNext(body as FailNextOptions);
        return sendJson(res, 200, {});
      case 'POST faults/hang':
        sim.hangRest(flag(body, 'on') ?? true);
        return sendJson(res, 200, {});
      case 'POST faults/websocket': {
        const refuse = flag(body, 'refuse');
        const hang = flag(body, 'hang');
        if (refuse !== undefined) sim.faults.refuseWebSocket = refuse;
        if (hang !== undefined) sim.faults.hangWebSocket = hang;
        const dropped = flag(body, 'drop') === true ? sim.dropUserStreams() : 0;
        return sendJson(res, 200, { dropped });
      }
      case 'POST faults/clear':
        sim.clearFaults();
        return sendJson(res, 200, {});
      case 'POST clock': {
        const offset = body['offsetMs'];
        if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new ApiError(400, -1130, 'offsetMs must be an integer');
        sim.setClockOffset(offset);
        return sendJson(res, 200, { serverTime: sim.now() });
      }
      case 'POST rate-limits/reset':
        sim.resetRateLimits();
        return sendJson(res, 200, {});
      case 'POST deposit': {
        const { account, asset, amount } = stringRecord(body, 'body');
        if (account === undefined || asset === undefined || amount === undefined) throw new ApiError(400, -1102, 'account, asset and amount are required');
        sim.deposit(account, asset, amount);
        return sendJson(res, 200, {});
      }
      default:
        return sendJson(res, 404, { code: -1000, msg: `no admin endpoint ${route}` });
    }
  } catch (err) {
    if (err instanceof ApiError) return sendJson(res, err.status, err.toJson());
    if (err instanceof SyntaxError) return sendJson(res, 400, { code: -1135, msg: 'Invalid JSON Request' });
    return sendJson(res, 400, { code: -1000, msg: (err as Error).message });
  }
}
