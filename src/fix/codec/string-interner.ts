// Known field values (instrument symbols, account names) found by their bytes, so that reading them from a
// message gives back the one string the venue already holds instead of decoding a new one per message. Only
// values the caller has validated are added, so input from outside cannot fill the table; a value not in it is
// simply decoded as usual.

const EMPTY = -1;

export class StringInterner {
  private slots: Int32Array;
  private readonly strings: string[] = [];
  private readonly bytes: Buffer[] = [];
  private readonly hashes: number[] = [];

  constructor(private readonly maxEntries = 65_536) {
    this.slots = new Int32Array(64).fill(EMPTY);
  }

  get size(): number {
    return this.strings.length;
  }

  /** The held string equal to buffer[start, end) read as latin1, or undefined. Allocates nothing. */
  find(buffer: Buffer, start: number, end: number): string | undefined {
    const hash = hashBytes(buffer, start, end);
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return undefined;
      if (this.hashes[e] === hash && sameBytes(this.bytes[e]!, buffer, start, end)) return this.strings[e];
    }
  }

  /**
   * Holds `value` from now on; false when the table is full or the value is not latin1. Allocates nothing when
   * the value is already held, so callers may call it for every value they validate.
   */
  add(value: string): boolean {
    const hash = hashChars(value);
    if (hash < 0) return false;
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) break;
      if (this.hashes[e] === hash && this.strings[e] === value) return true;
    }
    if (this.strings.length >= this.maxEntries) return false;
    if ((this.strings.length + 1) * 2 > this.slots.length) this.grow();
    const e = this.strings.length;
    this.strings.push(value);
    this.bytes.push(Buffer.from(value, 'latin1'));
    this.hashes.push(hash);
    this.place(e, hash);
    return true;
  }

  private place(e: number, hash: number): void {
    const mask = this.slots.length - 1;
    let s = hash & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = e;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    for (let e = 0; e < this.strings.length; e++) this.place(e, this.hashes[e]!);
  }
}

/** FNV-1a over the bytes. */
function hashBytes(buffer: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buffer[i]!, 0x01000193);
  return h & 0x3fffffff; // a small integer (Smi): a full uint32 would be boxed
}

/** The same hash over a string's char codes (its latin1 bytes); -1 when a char is outside latin1. */
function hashChars(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h & 0x3fffffff; // a small integer (Smi): a full uint32 would be boxed
}

function sameBytes(held: Buffer, buffer: Buffer, start: number, end: number): boolean {
  if (held.length !== end - start) return false;
  for (let i = 0; i < held.length; i++) if (held[i] !== buffer[start + i]) return false;
  return true;
}
