// Growing the typed arrays market data keeps its per-level and per-entry state in: a copy twice as large.

export function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (size: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
