// What the audit line of an operator action records as its parameters: the request body, also when the action
// was refused before the handler read it (no or a viewer's token) or because the body itself was wrong (not JSON,
// not an object). An auditor asks what was attempted, not only what succeeded.

import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES, readBodyText, type JsonObject } from '../http/request-body.js';

/** Longest body text kept in an audit line when it is not a JSON object. */
const MAX_AUDIT_TEXT = 1024;

/** Reads the body of a refused request that nobody read yet ('' if it cannot be read, or is too large). */
export async function unreadBodyText(req: IncomingMessage): Promise<string> {
  if (req.readableEnded || req.readableDidRead) return '';
  try {
    return await readBodyText(req, MAX_BODY_BYTES);
  } catch {
    return '';
  }
}

/** The parsed body when it is a JSON object; otherwise the text itself (cut short), under `body`. */
export function auditParams(text: string): JsonObject {
  if (text.length === 0) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // not JSON: recorded as text
  }
  return { body: text.length > MAX_AUDIT_TEXT ? `${text.slice(0, MAX_AUDIT_TEXT)}…` : text };
}
