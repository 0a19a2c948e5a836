import { expect } from 'chai';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { crc32Range } from '../../src/io/crc32.js';

describe('crc32Range', () => {
  it('equals zlib crc32 of the same range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const buf = Buffer.from(bytes);
        const start = buf.length === 0 ? 0 : a % (buf.length + 1);
        const end = start + (buf.length === 0 ? 0 : b % (buf.length - start + 1));
        expect(crc32Range(buf, start, end)).to.equal(crc32(buf.subarray(start, end)));
      }),
      { numRuns: 500 },
    );
  });
});
