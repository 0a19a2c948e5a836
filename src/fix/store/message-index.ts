// Where each stored message of the current epoch lives in the store file: seq → (payload offset, length, flags), in
// growable typed arrays so that a store with millions of messages costs a few bytes per message and no objects.
// Sequence numbers only grow within an epoch, so lookups are a binary search.

export class MessageIndex {
  private seqs = new Uint32Array(1024);
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private flagBits = new Uint8Array(1024);
  private n = 0;

  get count(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  add(seq: number, offset: number, length: number, flags: number): void {
    if (this.n > 0 && seq <= this.seqs[this.n - 1]!) {
      // A lower or repeated seq can only follow a manual sequence change; keep the index ordered by dropping the
      // entries it supersedes (their numbers now belong to the new message).
      this.n = this.lowerBound(seq);
    }
    if (this.n === this.seqs.length) this.grow();
    this.seqs[this.n] = seq;
    this.offsets[this.n] = offset;
    this.lengths[this.n] = length;
    this.flagBits[this.n] = flags;
    this.n++;
  }

  /** First position whose seq is >= `seq`. */
  lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  seqAt(i: number): number {
    return this.seqs[i]!;
  }
  offsetAt(i: number): number {
    return this.offsets[i]!;
  }
  lengthAt(i: number): number {
    return this.lengths[i]!;
  }
  flagsAt(i: number): number {
    return this.flagBits[i]!;
  }

  private grow(): void {
    const size = this.seqs.length * 2;
    const seqs = new Uint32Array(size);
    seqs.set(this.seqs);
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    const flags = new Uint8Array(size);
    flags.set(this.flagBits);
    this.seqs = seqs;
    this.offsets = offsets;
    this.lengths = lengths;
    this.flagBits = flags;
  }
}
