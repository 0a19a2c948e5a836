import { expect } from 'chai';
import fc from 'fast-check';
import { FixEncoder } from '../../../src/fix/codec/encoder.js';
import type { FixMessageView } from '../../../src/fix/codec/message-view.js';
import { FixParser, ParseStatus } from '../../../src/fix/codec/parser.js';
import { FixStreamReader } from '../../../src/fix/codec/stream-reader.js';
import { loadDictionary } from '../../../src/fix/dictionary/loader.js';
import { FixValidator } from '../../../src/fix/validation/validator.js';
import { fix } from './fix-text.js';

const dictionary = loadDictionary('fix-dictionaries/FIX44.xml');
const HEADER_TAGS = [34, 49, 50, 52, 56, 57, 97, 115, 128];
const REASONS = new Set([0, 1, 2, 4, 5, 6, 11, 13, 14, 16]);

/** Printable ASCII without SOH, possibly empty. */
const value = fc.string({ unit: fc.constantFrom(...'ABCxyz0129.-_ :/'.split('')), maxLength: 12 });
/** Body tags that are neither header/trailer tags nor group count fields in any message, so any value fits. */
const bodyTag = fc.integer({ min: 1, max: 9999 }).filter((t) => {
  if (dictionary.isHeaderTag(t) || dictionary.isTrailerTag(t) || dictionary.dataLengthTag(t) !== 0) return false;
  for (const m of dictionary.messages) if (m.group(t) !== undefined) return false;
  return t !== 8 && t !== 9 && t !== 10 && t !== 35;
});
const fields = fc.uniqueArray(fc.tuple(bodyTag, value), { selector: ([t]) => t, maxLength: 25 });
const headerFields = fc.uniqueArray(fc.tuple(fc.constantFrom(...HEADER_TAGS), value), { selector: ([t]) => t });

function encodeFields(enc: FixEncoder, header: [number, string][], body: [number, string][]): Buffer {
  enc.begin('FIX.4.4', 'D');
  for (const [t, v] of [...body, ...header]) enc.str(t, v);
  return Buffer.from(enc.finish());
}

function topLevelFields(view: FixMessageView): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i < view.fieldCount; i++) out.push([view.tagAt(i), view.stringAt(i)]);
  return out;
}

describe('codec properties (fast-check)', () => {
  it('encode -> parse gives back every field, header before body, each part ascending, valid length and checksum', () => {
    const enc = new FixEncoder({ dictionary });
    const parser = new FixParser({ dictionary });
    fc.assert(
      fc.property(headerFields, fields, (header, body) => {
        const bytes = encodeFields(enc, header, body);
        expect(parser.parse(bytes)).to.equal(ParseStatus.Ok);
        const got = topLevelFields(parser.view);
        const sortedHeader = [...header].sort((a, b) => a[0] - b[0]);
        const sortedBody = [...body].sort((a, b) => a[0] - b[0]);
        expect(got.slice(3, -1)).to.deep.equal([...sortedHeader, ...sortedBody]);
        expect(got[2]).to.deep.equal([35, 'D']);
        expect(got[got.length - 1]![0]).to.equal(10);
      }),
      { numRuns: 300 },
    );
  });

  it('the output does not depend on the order fields were added in (in-place and reordering paths agree)', () => {
    const a = new FixEncoder({ dictionary });
    const b = new FixEncoder({ dictionary });
    fc.assert(
      fc.property(headerFields, fields, fc.integer(), (header, body, seed) => {
        const all = [...header, ...body];
        const inOrder = [...all].sort((x, y) => (dictionary.isHeaderTag(x[0]) === dictionary.isHeaderTag(y[0]) ? x[0] - y[0] : dictionary.isHeaderTag(x[0]) ? -1 : 1));
        const shuffled = [...all];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) | 0;
          const j = Math.abs(s) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        a.begin('FIX.4.4', 'D');
        for (const [t, v] of inOrder) a.str(t, v);
        b.begin('FIX.4.4', 'D');
        for (const [t, v] of shuffled) b.str(t, v);
        expect(Buffer.from(b.finish()).toString('latin1')).to.equal(Buffer.from(a.finish()).toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('any chunking of a stream of valid messages yields exactly those messages', () => {
    const enc = new FixEncoder({ dictionary });
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (bodies, cuts) => {
        const messages = bodies.map((body) => encodeFields(enc, [[34, '1'], [49, 'A'], [56, 'B']], body));
        const stream = Buffer.concat(messages);
        const got: string[] = [];
        const reader = new FixStreamReader(
          {
            onMessage: (view) => got.push(view.raw().toString('latin1')),
            onDrop: (reason) => expect.fail(`dropped: ${reason}`),
          },
          { dictionary },
        );
        let pos = 0;
        for (let k = 0; pos < stream.length; k++) {
          const size = cuts[k % cuts.length]!;
          reader.push(stream.subarray(pos, pos + size));
          pos += size;
        }
        expect(got).to.deep.equal(messages.map((m) => m.toString('latin1')));
      }),
      { numRuns: 200 },
    );
  });

  it('random mutations of a valid message never throw, and every answer is a known outcome', () => {
    const base = fix(
      '8=FIX.4.4|35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|11=ID|21=1|38=100|40=2|44=12.5|54=1|55=INTC|60=20240102-03:04:05|453=2|448=P1|447=D|452=1|802=1|523=S|803=2|448=P2|447=D|452=3|',
    );
    // Most mutations break the CheckSum, so half the runs parse without that check to reach the validator.
    const checking = new FixParser({ dictionary });
    const lenient = new FixParser({ dictionary, validateLengthAndChecksum: false });
    const validator = new FixValidator(dictionary);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0x01, 0x3d, 0x2d, 0x30, 0x39, 0x41, 0x00, 0xff) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x01, 0x3d, 0x31, 0x7c) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (mutations, checkLength) => {
        let bytes = Buffer.from(base);
        for (const m of mutations) {
          const at = m.at % bytes.length;
          if (m.kind === 'set') bytes[at] = m.byte;
          else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
          else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(m.byte), bytes.subarray(at)]);
        }
        const parser = checkLength ? checking : lenient;
        const status = parser.parse(bytes);
        expect(status).to.be.within(0, 9);
        if (status === ParseStatus.Ok) {
          const view = parser.view;
          const result = validator.validate(view);
          if (result !== null) expect(REASONS.has(result.reason), `reason ${result.reason}`).to.equal(true);
          for (let i = 0; i < view.fieldCount; i++) {
            view.stringAt(i);
            view.intAt(i);
            view.scaledAt(i, 4);
            view.timestampAt(i);
          }
        }
        const reader = new FixStreamReader({ onMessage: (v) => validator.validate(v), onDrop: () => undefined }, { dictionary, maxMessageSize: 512 });
        reader.push(bytes);
        reader.push(bytes.subarray(0, 7));
      }),
      { numRuns: 1000 },
    );
  });
});
