import { expect } from 'chai';
import { FixEncoder } from '../../../src/fix/codec/encoder.js';
import { FixParser, ParseStatus } from '../../../src/fix/codec/parser.js';
import { loadDictionary } from '../../../src/fix/dictionary/loader.js';
import { fix, pipes } from './fix-text.js';

const dictionary = loadDictionary('fix-dictionaries/FIX44.xml');
const HEAD = '8=FIX.4.4|35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|';

function parse(text: string) {
  const parser = new FixParser({ dictionary });
  const status = parser.parse(fix(text));
  return { status, view: parser.view };
}

describe('repeating groups read by the dictionary', () => {
  it('reads instances of a group and their fields', () => {
    const { status, view } = parse(`${HEAD}11=ID|386=2|336=PRE|625=A|336=POST|40=1|54=1|`);
    expect(status).to.equal(ParseStatus.Ok);
    expect(view.groupSize(386)).to.equal(2);
    const first = view.groupInstance(386, 0);
    const second = view.groupInstance(386, 1);
    expect(view.getStringIn(first, 336)).to.equal('PRE');
    expect(view.getStringIn(first, 625)).to.equal('A');
    expect(view.getStringIn(second, 336)).to.equal('POST');
    expect(view.getStringIn(second, 625)).to.equal(undefined);
    // the group ends at the first tag that is not a member: 40 and 54 are top-level again
    expect(view.getString(40)).to.equal('1');
    expect(view.getString(336)).to.equal(undefined);
    expect(view.repeatCount).to.equal(0); // 336 twice is not a repeat: it is in two instances
  });

  it('reads nested groups', () => {
    const { view } = parse(
      `${HEAD}11=ID|453=2|448=P1|447=D|452=1|802=2|523=S1|803=1|523=S2|803=2|448=P2|447=D|452=3|40=1|54=1|`,
    );
    expect(view.groupSize(453)).to.equal(2);
    const p1 = view.groupInstance(453, 0);
    const p2 = view.groupInstance(453, 1);
    expect(view.getStringIn(p1, 448)).to.equal('P1');
    expect(view.groupSize(802, p1)).to.equal(2);
    expect(view.getStringIn(view.groupInstance(802, 1, p1), 523)).to.equal('S2');
    expect(view.getStringIn(p2, 448)).to.equal('P2');
    expect(view.groupSize(802, p2)).to.equal(0);
    expect(view.getIntIn(p2, 452)).to.equal(3);
  });

  it('starts a new instance when a member repeats, as QuickFIX does', () => {
    const { view } = parse(`${HEAD}11=ID|386=2|336=A|625=X|625=Y|40=1|`);
    expect(view.groupSize(386)).to.equal(2);
    expect(view.getStringIn(view.groupInstance(386, 1), 625)).to.equal('Y');
  });

  it('records the instances actually present when the declared count differs (14i)', () => {
    const { view } = parse(`${HEAD}11=ID|21=1|40=1|54=1|38=200.00|55=INTC|386=3|336=PRE-OPEN|336=AFTER-HOURS|60=20240102-03:04:05|`);
    expect(view.getInt(386)).to.equal(3);
    expect(view.groupSize(386)).to.equal(2);
    expect(view.getString(60)).to.equal('20240102-03:04:05');
  });

  it('accepts a count of zero with no instances (21)', () => {
    const { status, view } = parse(
      '8=FIX.4.4|35=d|34=2|49=TW44|56=ISLD|52=20240102-03:04:05|320=JCD|322=1|323=6|55=TBS|22=8|167=CS|336=ONE_MAIN|58=No Products|454=0|',
    );
    expect(status).to.equal(ParseStatus.Ok);
    expect(view.getInt(454)).to.equal(0);
    expect(view.groupSize(454)).to.equal(0);
    expect(view.getString(336)).to.equal('ONE_MAIN');
  });

  it('reads a header group (NoHops)', () => {
    const { view } = parse('8=FIX.4.4|35=0|34=2|49=A|52=20240102-03:04:05|56=B|627=1|628=HOP|629=20240102-03:04:05|');
    expect(view.groupSize(627)).to.equal(1);
    expect(view.getStringIn(view.groupInstance(627, 0), 628)).to.equal('HOP');
  });

  it('reads a DATA field by its length, SOH bytes included, and refuses one without a length', () => {
    const ok = parse(`${HEAD}11=ID|95=5|96=a|b|c|40=1|`);
    expect(ok.status).to.equal(ParseStatus.Ok);
    expect(ok.view.getString(96)).to.equal('a\x01b\x01c');
    expect(ok.view.getString(40)).to.equal('1');
    expect(parse(`${HEAD}11=ID|96=abc|40=1|`).status).to.equal(ParseStatus.BadDataLength);
    expect(parse(`${HEAD}11=ID|95=500|96=abc|40=1|`).status).to.equal(ParseStatus.BadDataLength);
  });
});

describe('encoding groups in dictionary order', () => {
  it('writes group members in dictionary order whatever the add order', () => {
    const enc = new FixEncoder({ dictionary });
    enc
      .begin('FIX.4.4', 'D')
      .str(11, 'ID')
      .group(453, 1)
      .instance()
      .char(452, '1')
      .str(448, 'P1')
      .group(802, 1)
      .instance()
      .int(803, 1)
      .str(523, 'S1')
      .endGroup()
      .char(447, 'D')
      .endGroup()
      .char(54, '1');
    expect(pipes(enc.finish())).to.equal(
      pipes(fix('8=FIX.4.4|35=D|11=ID|54=1|453=1|448=P1|447=D|452=1|802=1|523=S1|803=1|')),
    );
  });

  it('echoes a received message with groups the way QuickFIX re-serialises it', () => {
    const parser = new FixParser({ dictionary });
    parser.parse(fix(`${HEAD}55=INTC|11=ID|453=2|448=P1|452=1|447=D|448=P2|452=3|54=1|40=1|`));
    const enc = new FixEncoder({ dictionary });
    enc.begin('FIX.4.4', 'D').copyBody(parser.view).int(34, 2);
    expect(pipes(enc.finish())).to.equal(
      pipes(fix('8=FIX.4.4|35=D|34=2|11=ID|40=1|54=1|55=INTC|453=2|448=P1|447=D|452=1|448=P2|452=3|')),
    );
  });
});
