// CRC-32 (the zlib/IEEE polynomial, identical to node:zlib's crc32) over a range of a buffer, in JavaScript.
// zlib.crc32 needs the range as a view of its own, and making a view allocates: for the journal's short records,
// one per command, a table-driven loop is both cheaper and allocation-free. Long runs (a store batch) still go to
// zlib, which is faster per byte.

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** CRC-32 of buf[start, end), as an unsigned 32-bit integer. */
export function crc32Range(buf: Uint8Array, start: number, end: number): number {
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
