/** A configuration problem, always naming the file, the key and what was expected. The venue refuses to start. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly expected: string,
    readonly got?: unknown,
  ) {
    super(`${file}: ${key || '(top level)'}: expected ${expected}${got === undefined ? '' : `, got ${describe(got)}`}`);
    this.name = 'ConfigError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}
