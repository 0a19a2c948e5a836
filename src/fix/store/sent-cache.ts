// The most recently sent messages, kept in memory so that the usual ResendRequest (a few messages back) is answered
// without touching the disk. A ring indexed by seq; entries are views into staging slabs, which are never rewritten.

export class SentCache {
  private readonly bufs: (Buffer | undefined)[];
  private readonly offs: Uint32Array;
  private readonly lens: Uint32Array;
  private readonly seqs: Uint32Array;
  private readonly flags: Uint8Array;

  constructor(private readonly capacity: number) {
    this.bufs = new Array<Buffer | undefined>(capacity);
    this.offs = new Uint32Array(capacity);
    this.lens = new Uint32Array(capacity);
    this.seqs = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  put(seq: number, buf: Buffer, offset: number, length: number, flags: number): void {
    if (this.capacity === 0) return;
    const slot = seq % this.capacity;
    this.bufs[slot] = buf;
    this.offs[slot] = offset;
    this.lens[slot] = length;
    this.seqs[slot] = seq;
    this.flags[slot] = flags;
  }

  has(seq: number): boolean {
    if (this.capacity === 0) return false;
    const slot = seq % this.capacity;
    return this.bufs[slot] !== undefined && this.seqs[slot] === seq;
  }

  /** The cached bytes of `seq` (a view; callers must not keep it past the current turn if they mutate). */
  bytes(seq: number): Buffer {
    const slot = seq % this.capacity;
    const off = this.offs[slot]!;
    return this.bufs[slot]!.subarray(off, off + this.lens[slot]!);
  }

  flagsOf(seq: number): number {
    return this.flags[seq % this.capacity]!;
  }

  clear(): void {
    this.bufs.fill(undefined);
  }
}
