import { expect } from 'chai';
import fc from 'fast-check';
import { FixFramer, type FrameDropReason } from '../../../src/fix/codec/framer.js';
import { fix, pipes } from './fix-text.js';

interface Collected {
  frames: string[];
  frameBuffers: Buffer[];
  drops: { reason: FrameDropReason; bytes: number; detail: string }[];
}

function collector(maxMessageSize?: number): { framer: FixFramer; got: Collected } {
  const got: Collected = { frames: [], frameBuffers: [], drops: [] };
  const framer = new FixFramer(
    {
      onFrame(buf, start, end) {
        got.frames.push(pipes(buf.subarray(start, end)));
        got.frameBuffers.push(buf);
      },
      onDrop(reason, bytes, detail) {
        got.drops.push({ reason, bytes, detail });
      },
    },
    maxMessageSize !== undefined ? { maxMessageSize } : {},
  );
  return { framer, got };
}

const HEARTBEAT = fix('8=FIX.4.4|35=0|34=2|49=TW44|52=20240102-03:04:05.067|56=ISLD|');
const ORDER = fix('8=FIX.4.4|35=D|34=3|49=TW44|52=20240102-03:04:05.067|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|');

describe('FixFramer', () => {
  it('hands out a frame that lies in one chunk as a view of that chunk, without copying', () => {
    const { framer, got } = collector();
    framer.push(HEARTBEAT);
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT)]);
    expect(got.frameBuffers[0]).to.equal(HEARTBEAT);
    expect(framer.bufferedBytes).to.equal(0);
  });

  it('reassembles a message split at every possible byte position', () => {
    for (let cut = 1; cut < ORDER.length; cut++) {
      const { framer, got } = collector();
      framer.push(ORDER.subarray(0, cut));
      expect(got.frames, `cut at ${cut}`).to.have.length(0);
      framer.push(ORDER.subarray(cut));
      expect(got.frames, `cut at ${cut}`).to.deep.equal([pipes(ORDER)]);
      expect(got.drops, `cut at ${cut}`).to.deep.equal([]);
      expect(framer.bufferedBytes).to.equal(0);
    }
  });

  it('reads several messages from one chunk, in order', () => {
    const { framer, got } = collector();
    framer.push(Buffer.concat([HEARTBEAT, ORDER, HEARTBEAT, ORDER]));
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT), pipes(ORDER), pipes(HEARTBEAT), pipes(ORDER)]);
  });

  it('reads messages delivered one byte per write', () => {
    const { framer, got } = collector();
    const stream = Buffer.concat([ORDER, HEARTBEAT, ORDER]);
    for (let i = 0; i < stream.length; i++) framer.push(stream.subarray(i, i + 1));
    expect(got.frames).to.deep.equal([pipes(ORDER), pipes(HEARTBEAT), pipes(ORDER)]);
    expect(framer.bufferedBytes).to.equal(0);
  });

  it('skips garbage between messages and reports how many bytes it skipped', () => {
    const { framer, got } = collector();
    framer.push(Buffer.concat([Buffer.from('hello\r\n'), HEARTBEAT, Buffer.from('xx\x01yy'), ORDER]));
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT), pipes(ORDER)]);
    const garbage = got.drops.filter((d) => d.reason === 'garbage').reduce((n, d) => n + d.bytes, 0);
    expect(garbage).to.equal(7 + 5);
  });

  it('keeps a trailing "8" from one chunk as a possible message start', () => {
    const { framer, got } = collector();
    framer.push(Buffer.concat([Buffer.from('zz'), HEARTBEAT.subarray(0, 1)]));
    framer.push(HEARTBEAT.subarray(1));
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT)]);
  });

  it('starts searching for CheckSum at bodystart+BodyLength-1, so an over-long BodyLength swallows the next message (QuickFIX 2m)', () => {
    const { framer, got } = collector();
    const tooLong = fix('8=FIX.4.4|9=111|35=D|34=4|49=TW44|52=20240102-03:04:05|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|');
    const next = fix('8=FIX.4.4|35=D|34=5|49=TW44|52=20240102-03:04:05|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|');
    framer.push(Buffer.concat([tooLong, next]));
    expect(got.frames).to.deep.equal([pipes(Buffer.concat([tooLong, next]))]);
  });

  it('finds the real CheckSum when BodyLength is too short (the frame is the message; the parser rejects it)', () => {
    const { framer, got } = collector();
    const tooShort = fix('8=FIX.4.4|9=30|35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|');
    framer.push(Buffer.concat([tooShort, HEARTBEAT]));
    expect(got.frames).to.deep.equal([pipes(tooShort), pipes(HEARTBEAT)]);
  });

  it('drops a BodyLength of 999999999 without buffering it, then reads the next message', () => {
    const { framer, got } = collector();
    framer.push(Buffer.from('8=FIX.4.4\x019=999999999\x0135=D\x0134=2\x01'));
    expect(got.drops[0]?.reason).to.equal('too-large');
    expect(framer.bufferedBytes).to.be.lessThan(64);
    framer.push(HEARTBEAT);
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT)]);
  });

  it('discards everything buffered on a BodyLength that is not a number, as QuickFIX does', () => {
    const { framer, got } = collector();
    framer.push(Buffer.concat([Buffer.from('8=FIX.4.4\x019=abc\x0135=0\x0110=000\x01'), HEARTBEAT]));
    expect(got.drops.map((d) => d.reason)).to.deep.equal(['bad-body-length']);
    expect(got.frames).to.deep.equal([]);
    framer.push(ORDER);
    expect(got.frames).to.deep.equal([pipes(ORDER)]);
  });

  it('handles a 10 MB line with no SOH in bounded memory and recovers afterwards', () => {
    const { framer, got } = collector(64 * 1024);
    const line = Buffer.alloc(10 * 1024 * 1024, 'a');
    for (let i = 0; i < line.length; i += 65536) {
      framer.push(line.subarray(i, i + 65536));
      expect(framer.bufferedBytes).to.be.at.most(1);
    }
    // a line that starts like a message but never has a BodyLength
    const fake = Buffer.concat([Buffer.from('8='), Buffer.alloc(10 * 1024 * 1024, 'b')]);
    let maxBuffered = 0;
    for (let i = 0; i < fake.length; i += 65536) {
      framer.push(fake.subarray(i, i + 65536));
      maxBuffered = Math.max(maxBuffered, framer.bufferedBytes);
    }
    expect(maxBuffered).to.be.at.most(64 * 1024 + 65536);
    expect(got.drops.some((d) => d.reason === 'too-large')).to.equal(true);
    framer.push(HEARTBEAT);
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT)]);
  });

  it('drops a frame larger than the configured maximum size', () => {
    const { framer, got } = collector(128);
    const big = fix(`8=FIX.4.4|35=0|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|112=${'x'.repeat(200)}|`);
    framer.push(big);
    framer.push(HEARTBEAT);
    expect(got.drops.some((d) => d.reason === 'too-large')).to.equal(true);
    expect(got.frames).to.deep.equal([pipes(HEARTBEAT)]);
  });

  it('never throws and stays bounded on random bytes in random chunks, and still reads a message after', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { maxLength: 20 }),
        fc.boolean(),
        (chunks, fixBytes) => {
          const { framer, got } = collector(1024);
          for (const c of chunks) {
            // bias towards FIX-looking bytes so the state machine is exercised, not just SEEK_BEGIN
            const bytes = Buffer.from(c);
            if (fixBytes) for (let i = 0; i < bytes.length; i++) bytes[i] = [0x38, 0x3d, 0x01, 0x39, 0x31, 0x30][bytes[i]! % 6]!;
            framer.push(bytes);
            expect(framer.bufferedBytes).to.be.at.most(1024 + 512);
          }
          // garbage may leave a partial frame open; a run of SOH-free bytes plus a message always resyncs
          framer.push(Buffer.alloc(2048, 'z'));
          framer.push(HEARTBEAT);
          expect(got.frames[got.frames.length - 1]).to.equal(pipes(HEARTBEAT));
        },
      ),
      { numRuns: 300 },
    );
  });
});
