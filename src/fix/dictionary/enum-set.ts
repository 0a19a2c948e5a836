// The allowed values of one enumerated field, checkable straight from message bytes. Most FIX enums are a
// single character (Side, OrdType, TimeInForce), so those are a 256-entry table; longer ones (SecurityType
// "CS", "FUT") are bucketed by a byte hash and compared byte by byte. No string is built per check.

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

export class EnumSet {
  private readonly single = new Uint8Array(256);
  private readonly multi = new Map<number, Uint8Array[]>();
  private readonly all: string[] = [];

  add(value: string): void {
    if (this.all.includes(value)) return;
    this.all.push(value);
    const bytes = Buffer.from(value, 'latin1');
    if (bytes.length === 1) {
      this.single[bytes[0]!] = 1;
      return;
    }
    const h = hashBytes(bytes, 0, bytes.length);
    const bucket = this.multi.get(h);
    if (bucket) bucket.push(bytes);
    else this.multi.set(h, [bytes]);
  }

  /** True when buf[start, end) is exactly one of the allowed values. */
  has(buf: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (len === 1) return this.single[buf[start]!] === 1;
    if (len === 0 || this.multi.size === 0) return false;
    const bucket = this.multi.get(hashBytes(buf, start, end));
    if (bucket === undefined) return false;
    for (const candidate of bucket) {
      if (candidate.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (candidate[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return true;
    }
    return false;
  }

  /** Space-separated list (MULTIPLEVALUESTRING and friends): every item must be allowed, as QuickFIX checks. */
  hasEachOf(buf: Uint8Array, start: number, end: number): boolean {
    let itemStart = start;
    for (let i = start; i <= end; i++) {
      if (i === end || buf[i] === 0x20) {
        if (!this.has(buf, itemStart, i)) return false;
        itemStart = i + 1;
      }
    }
    return true;
  }

  hasString(value: string): boolean {
    return this.all.includes(value);
  }

  get values(): readonly string[] {
    return this.all;
  }
}
