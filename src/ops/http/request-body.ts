// Reads a JSON request body: bounded in size, JSON only, an object at the top. Anything else is a 4xx that
// says what was expected; nothing a client sends can make the server throw past the handler.

import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

export const MAX_BODY_BYTES = 64 * 1024;

export type JsonObject = Record<string, unknown>;

/** The body's bytes as text, up to maxBytes (413 beyond). */
export async function readBodyText(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new HttpError(413, `request body larger than ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<JsonObject> {
  return parseJsonBody(req, await readBodyText(req, maxBytes));
}

/** The JSON object in a body already read (`{}` for none). */
export function parseJsonBody(req: IncomingMessage, text: string): JsonObject {
  if (text.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, `request body must be JSON (Content-Type: application/json), got ${type === '' ? 'no Content-Type' : type}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return value as JsonObject;
}
