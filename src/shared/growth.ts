// Growing a buffer or a typed array that has run out of room: a copy at least twice as large, so that a
// structure filled one element at a time is copied O(log n) times in all. The one place this is written, for
// the FIX codec's buffers and arrays and market data's per-level state.

type GrowableArray = Int32Array | Uint32Array | Float64Array | Uint8Array;

/** The capacity to grow to from `current` to hold `needed`: `current` doubled (from at least `min`) until it does. */
export function grownCapacity(current: number, needed: number, min = 1): number {
  let size = Math.max(min, current * 2);
  while (size < needed) size *= 2;
  return size;
}

/** A copy of `a` with room for at least `needed` elements (twice as many by default), all of `a` kept. */
export function grownArray<T extends GrowableArray>(a: T, needed = a.length + 1): T {
  const b = new (a.constructor as new (size: number) => T)(grownCapacity(a.length, needed));
  b.set(a);
  return b;
}

/**
 * A Buffer with room for at least `needed` bytes (grownCapacity from `min`), holding the first `keep` bytes of
 * `b`; the rest is not zeroed (allocUnsafe: the caller writes before it reads).
 */
export function grownBuffer(b: Buffer, needed: number, keep: number, min = 1): Buffer {
  const bigger = Buffer.allocUnsafe(grownCapacity(b.length, needed, min));
  b.copy(bigger, 0, 0, keep);
  return bigger;
}
