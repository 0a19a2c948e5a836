// Reads one node of a parsed config file with its key path, so every error can say exactly where it is.
// Each section parser walks the tree with these typed getters instead of trusting JSON shapes.

import { ConfigError } from './config-error.js';
import { decimalsOf, parseDecimal } from '../venue/model/decimal.js';

type Json = unknown;

export class ConfigNode {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: Json,
  ) {}

  private keyPath(key: string | number): string {
    if (typeof key === 'number') return `${this.path}[${key}]`;
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(expected: string, key?: string | number, got?: unknown): never {
    throw new ConfigError(this.file, key === undefined ? this.path : this.keyPath(key), expected, got);
  }

  private object(): Record<string, Json> {
    const v = this.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail('an object', undefined, v);
    return v as Record<string, Json>;
  }

  has(key: string): boolean {
    return this.object()[key] !== undefined;
  }

  /** Keys present in this object, for rejecting unknown keys (typos must not pass silently). */
  keys(): string[] {
    return Object.keys(this.object());
  }

  /** Fails on any key not in `allowed`, naming it. */
  onlyKeys(allowed: readonly string[]): this {
    for (const k of this.keys()) {
      if (!allowed.includes(k)) this.fail(`one of the known keys (${allowed.join(', ')})`, k, 'an unknown key');
    }
    return this;
  }

  child(key: string): ConfigNode {
    const v = this.object()[key];
    if (v === undefined) this.fail('a value (this key is required)', key);
    return new ConfigNode(this.file, this.keyPath(key), v);
  }

  optionalChild(key: string): ConfigNode | undefined {
    const v = this.object()[key];
    return v === undefined ? undefined : new ConfigNode(this.file, this.keyPath(key), v);
  }

  /** Children of an array value. */
  items(key: string, optional = false): ConfigNode[] {
    const v = this.object()[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) this.fail('an array', key, v);
    return v.map((item, i) => new ConfigNode(this.file, `${this.keyPath(key)}[${i}]`, item));
  }

  /** Entries of an object value keyed by name. */
  entries(key: string, optional = false): Array<[string, ConfigNode]> {
    const v = this.object()[key];
    if (v === undefined && optional) return [];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail('an object', key, v);
    return Object.entries(v as Record<string, Json>).map(([k, item]) => [k, new ConfigNode(this.file, this.keyPath(key) + '.' + k, item)]);
  }

  str(key: string, fallback?: string): string {
    const v = this.object()[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('a string (this key is required)', key);
    }
    if (typeof v !== 'string') this.fail('a string', key, v);
    return v;
  }

  nonEmptyStr(key: string, fallback?: string): string {
    const s = this.str(key, fallback);
    if (s.length === 0) this.fail('a non-empty string', key, s);
    return s;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const s = this.str(key, fallback);
    if (!(allowed as readonly string[]).includes(s)) this.fail(`one of ${allowed.map((a) => `"${a}"`).join(', ')}`, key, s);
    return s as T;
  }

  bool(key: string, fallback?: boolean): boolean {
    const v = this.object()[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('true or false (this key is required)', key);
    }
    if (typeof v !== 'boolean') this.fail('true or false', key, v);
    return v;
  }

  int(key: string, fallback?: number, min = -Infinity, max = Infinity): number {
    const v = this.object()[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('an integer (this key is required)', key);
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail('an integer', key, v);
    if (v < min || v > max) this.fail(`an integer from ${min} to ${max}`, key, v);
    return v;
  }

  /** A non-negative number that may have a fraction (percentages, seconds); never used for money. */
  ratio(key: string, fallback?: number): number {
    const v = this.object()[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('a number (this key is required)', key);
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.fail('a non-negative number', key, v);
    return v;
  }

  stringList(key: string, fallback?: string[]): string[] {
    const v = this.object()[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail('a list of strings (this key is required)', key);
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.fail('a list of strings', key, v);
    return v as string[];
  }

  /**
   * An exact decimal written as a string ("0.01"), scaled to `decimals` places. Numbers are refused on
   * purpose: a JSON number like 0.1 has already been through a float.
   */
  decimal(key: string, decimals: number, fallback?: string): number {
    const s = this.str(key, fallback);
    const v = parseDecimal(s, decimals);
    if (Number.isNaN(v) || v < 0) this.fail(`a non-negative decimal string with at most ${decimals} decimals, like "1.5"`, key, s);
    return v;
  }

  /** Number of decimal places of a positive decimal string (a tick or lot size), validated. */
  decimalPlaces(key: string): number {
    const s = this.str(key);
    const places = decimalsOf(s);
    if (places > 15 || Number.isNaN(parseDecimal(s, places)) || parseDecimal(s, places) <= 0) {
      this.fail('a positive decimal string like "0.01" (at most 15 decimals)', key, s);
    }
    return places;
  }
}
