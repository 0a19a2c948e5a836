// Field readers for request bodies and query strings: each returns the typed value or throws a 4xx naming
// the field and what it should have been.

import { invalidField, missingField } from './http-error.js';
import type { JsonObject } from './request-body.js';

const MAX_TEXT = 500;

/** A non-empty string (trimmed), at most 500 characters. */
export function requiredText(body: JsonObject, field: string, what = 'a non-empty string'): string {
  const v = body[field];
  if (v === undefined) throw missingField(field, what);
  return text(v, field, what);
}

export function optionalText(body: JsonObject, field: string, fallback: string, what = 'a string'): string {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && v.trim() === '') return fallback;
  return text(v, field, what);
}

function text(v: unknown, field: string, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalidField(field, what, v);
  if (v.length > MAX_TEXT) throw invalidField(field, `at most ${MAX_TEXT} characters`, v);
  return v.trim();
}

/** A whole number within [min, max], or undefined when absent. */
export function optionalInteger(body: JsonObject, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw invalidField(field, `a whole number from ${min} to ${max}`, v);
  }
  return v;
}

export function oneOf<T extends string>(body: JsonObject, field: string, values: readonly T[]): T {
  const v = body[field];
  if (v === undefined) throw missingField(field, `one of ${values.join(', ')}`);
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw invalidField(field, `one of ${values.join(', ')}`, v);
  return v as T;
}

/** A query parameter as a whole number within [min, max], or the fallback when absent. */
export function queryInteger(query: URLSearchParams, field: string, fallback: number, min: number, max: number): number {
  const raw = query.get(field);
  if (raw === null || raw === '') return fallback;
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw invalidField(field, `a whole number from ${min} to ${max}`, raw);
  }
  return v;
}
