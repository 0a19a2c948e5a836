// The session's usual outbound shape: the application writes the body, then the session adds its header
// (after removing 43/122 and replacing 34/49/52/56). The encoder has a shortcut for it; these tests hold its
// output to what the same fields give when added in QuickFIX order, and check the cases that must leave it.

import { expect } from 'chai';
import { FixEncoder } from '../../../src/fix/codec/encoder.js';
import { loadDictionaryShared } from '../../../src/fix/dictionary/loader.js';
import { FixParser, ParseStatus } from '../../../src/fix/codec/parser.js';
import { pipes } from './fix-text.js';

const dictionary = loadDictionaryShared(new URL('../../../fix-dictionaries/FIX44.xml', import.meta.url).pathname);
const T = Date.UTC(2025, 10, 24, 16, 0, 0, 7);

type Step = (e: FixEncoder) => FixEncoder;
const body: Step = (e) => e.str(1, 'ACC').decimal(6, 10000, 2).str(11, 'C-1').decimal(14, 100000, 5).str(17, '7B').char(39, '2').str(55, 'BTCUSDT').char(150, 'F');
const header: Step = (e) => e.int(34, 12).str(49, 'VENUE').timestamp(52, T).str(56, 'BENCH1');

function encode(...steps: Step[]): string {
  const enc = new FixEncoder({ dictionary });
  enc.begin('FIX.4.4', '8');
  for (const step of steps) step(enc);
  return pipes(Buffer.from(enc.finish()));
}

describe('FixEncoder: header fields added after the body', () => {
  it('writes what the same fields give in QuickFIX order, with a BodyLength and CheckSum the parser accepts', () => {
    const headerLast = encode(body, (e) => e.remove(43).remove(122).setInt(34, 12).setStr(49, 'VENUE').setTimestamp(52, T).setStr(56, 'BENCH1'));
    expect(headerLast).to.equal(encode(header, body));
    expect(headerLast.startsWith('8=FIX.4.4|9=')).to.equal(true);
    expect(headerLast).to.match(/\|35=8\|34=12\|49=VENUE\|52=20251124-16:00:00\.007\|56=BENCH1\|1=ACC\|/);
    const parser = new FixParser({ dictionary });
    expect(parser.parse(Buffer.from(headerLast.replace(/\|/g, '\x01'), 'latin1'))).to.equal(ParseStatus.Ok);
  });

  it('keeps a body repeating group in place and in dictionary order', () => {
    const parties: Step = (e) => e.group(453, 2).instance().str(448, 'P1').char(447, 'D').int(452, 1).instance().str(448, 'P2').char(447, 'D').int(452, 3).endGroup();
    const out = encode(body, parties, header);
    expect(out).to.equal(encode(header, body, parties));
    expect(out).to.contain('|453=2|448=P1|447=D|452=1|448=P2|447=D|452=3|');
  });

  it('sorts correctly when the shortcut does not apply', () => {
    // a header field already among the body fields
    expect(encode((e) => e.str(50, 'DESK'), body, header)).to.equal(encode(header, (e) => e.str(50, 'DESK'), body));
    // header fields after the body, but not ascending
    expect(encode(body, (e) => e.str(56, 'BENCH1').int(34, 12).timestamp(52, T).str(49, 'VENUE'))).to.equal(encode(header, body));
    // a body field after the header fields
    expect(encode(body, header, (e) => e.str(58, 'late'))).to.equal(encode(header, body, (e) => e.str(58, 'late')));
    // a header field replaced after the header run started
    expect(encode(body, header, (e) => e.setInt(34, 13))).to.equal(encode((e) => e.int(34, 13).str(49, 'VENUE').timestamp(52, T).str(56, 'BENCH1'), body));
    // a header group after the body
    const hops: Step = (e) => e.group(627, 1).instance().str(628, 'HOP1').endGroup();
    expect(encode(body, header, hops)).to.equal(encode(header, hops, body));
    // trailer fields after the header run
    expect(encode(body, header, (e) => e.str(93, '3').str(89, 'sig'))).to.equal(encode(header, body, (e) => e.str(93, '3').str(89, 'sig')));
  });

  it('never writes 35 twice when a caller adds it among the header fields', () => {
    const out = encode(body, (e) => e.int(34, 12).str(35, '8').str(49, 'VENUE'));
    expect(out.match(/\|35=/g)).to.have.length(1);
  });

  it('remove() and has() see fields whose tags share the shortcut table slot (tag mod 1024), and forget them on begin()', () => {
    const enc = new FixEncoder({ dictionary });
    enc.begin('FIX.4.4', '8').str(58, 'a').str(58 + 1024, 'b');
    expect(enc.has(58)).to.equal(true);
    expect(enc.has(58 + 2048)).to.equal(false);
    enc.remove(58);
    expect(enc.has(58)).to.equal(false);
    expect(enc.has(58 + 1024)).to.equal(true);
    expect(pipes(Buffer.from(enc.finish()))).to.not.contain('|58=');
    enc.begin('FIX.4.4', '8').str(1, 'x');
    expect(enc.has(58 + 1024)).to.equal(false);
    expect(enc.has(1)).to.equal(true);
  });
});
