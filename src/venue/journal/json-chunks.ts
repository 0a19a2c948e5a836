// JSON text of a large plain-data value, produced a slice at a time with the event loop free in between: a
// snapshot of a deep book is tens of MB of text, and one JSON.stringify of it would stall order flow for that long.
// The text is exactly JSON.stringify's (same key order, undefined members left out, undefined elements as null).

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface JsonChunkOptions {
  /** Array elements stringified between two yields (default 2000). */
  itemsPerSlice?: number;
}

/**
 * Emits the JSON text of `value` in pieces, in order, yielding to the event loop after every `itemsPerSlice` array
 * elements. Objects, and arrays whose elements hold arrays (instruments and their books), are walked; every other
 * array element is stringified whole. `emit` may return a promise (a file write), which is awaited at each yield.
 */
export async function emitJsonInSlices(value: unknown, emit: (text: string) => void | Promise<void>, options: JsonChunkOptions = {}): Promise<void> {
  const perSlice = options.itemsPerSlice ?? 2000;
  let parts: string[] = [];
  let items = 0;
  const flush = async (): Promise<void> => {
    if (parts.length === 0) return;
    const text = parts.join('');
    parts = [];
    await emit(text);
  };
  const walk = async (v: unknown): Promise<void> => {
    if (Array.isArray(v)) {
      parts.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push(',');
        const el: unknown = v[i];
        if (holdsArray(el)) await walk(el);
        else parts.push(JSON.stringify(el) ?? 'null');
        if (++items % perSlice === 0) {
          await flush();
          await yieldTurn();
        }
      }
      parts.push(']');
    } else if (isPlainObject(v)) {
      parts.push('{');
      let first = true;
      for (const key of Object.keys(v)) {
        const member = v[key];
        if (member === undefined || typeof member === 'function') continue;
        parts.push(first ? '' : ',', JSON.stringify(key), ':');
        first = false;
        if (Array.isArray(member) || holdsArray(member)) await walk(member);
        else parts.push(JSON.stringify(member));
      }
      parts.push('}');
    } else {
      parts.push(JSON.stringify(v) ?? 'null');
    }
  };
  await walk(value);
  await flush();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function holdsArray(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const key of Object.keys(v)) if (Array.isArray(v[key]) || holdsArray(v[key])) return true;
  return false;
}
