// An answer other than success, thrown by handlers and turned into a JSON body by the server:
// { "error": "<message>", "field": "<name>" }. The message says what was wrong and, for bad input, what was
// expected, so an operator with curl can fix the request without reading code.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field at fault (a body field, a path parameter or a query parameter). */
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** 422: a field is present but not acceptable. */
export function invalidField(field: string, expected: string, got: unknown): HttpError {
  return new HttpError(422, `field '${field}': expected ${expected}, got ${describe(got)}`, field);
}

/** 400: a required field is missing. */
export function missingField(field: string, expected: string): HttpError {
  return new HttpError(400, `field '${field}' is required: ${expected}`, field);
}

export function notFound(what: string, field?: string): HttpError {
  return new HttpError(404, what, field);
}

export function conflict(message: string): HttpError {
  return new HttpError(409, message);
}

export function unavailable(message: string): HttpError {
  return new HttpError(503, message);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
