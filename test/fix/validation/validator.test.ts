import { expect } from 'chai';
import { FixParser, ParseStatus } from '../../../src/fix/codec/parser.js';
import { loadDictionary } from '../../../src/fix/dictionary/loader.js';
import { FixValidator, type ValidationOptions } from '../../../src/fix/validation/validator.js';
import { fix } from '../codec/fix-text.js';

const dictionary = loadDictionary('fix-dictionaries/FIX44.xml');
const H = '8=FIX.4.4|35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|';
const T = '20240102-03:04:05';
const ORDER = `${H}11=ID|21=1|40=1|54=1|38=002000.00|55=INTC|60=${T}|`;
const ORDER_NO_QTY = `${H}11=ID|21=1|40=1|54=1|55=INTC|60=${T}|`;

function check(text: string, options: ValidationOptions = {}) {
  const parser = new FixParser({ dictionary });
  const status = parser.parse(fix(text));
  expect(status, 'parse status').to.equal(ParseStatus.Ok);
  const result = new FixValidator(dictionary, options).validate(parser.view);
  return result === null ? null : { ...result };
}

function heartbeat(extra: string): string {
  return `8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|56=ISLD|${extra}`;
}

describe('FixValidator: each failure with QuickFIX code, RefTagID and text', () => {
  it('accepts valid messages', () => {
    expect(check(ORDER)).to.equal(null);
    expect(check(heartbeat(''))).to.equal(null);
    expect(check(`${ORDER}167=CS|`)).to.equal(null);
    expect(check(`${H}11=ID|40=1|54=1|60=${T}|386=2|336=A|336=B|453=1|448=P|447=D|452=1|`)).to.equal(null);
  });

  it('14 when a header tag follows a body tag (14g), with the first such tag', () => {
    expect(check(`8=FIX.4.4|35=D|11=id|21=3|40=1|54=1|55=MSFT|60=${T}|34=2|49=TW44|52=${T}|56=ISLD|`)).to.deep.equal({
      reason: 14,
      tag: 34,
      text: 'Tag specified out of required order',
    });
  });

  it('14 when a body tag follows a trailer tag', () => {
    expect(check(`${H}11=ID|40=1|54=1|60=${T}|93=2|55=X|`)).to.deep.include({ reason: 14, tag: 55 });
  });

  it('11 for an unknown MsgType, without RefTagID (2q)', () => {
    expect(check(`8=FIX.4.4|35=*|34=2|49=TW44|52=${T}|56=ISLD|`)).to.deep.equal({ reason: 11, tag: null, text: 'Invalid MsgType' });
  });

  it('1 for a missing required field: header first, then body lowest tag first (14b)', () => {
    expect(check(`8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|`)).to.deep.equal({ reason: 1, tag: 56, text: 'Required tag missing' });
    expect(check(`8=FIX.4.4|35=D|49=TW44|34=3|56=ISLD|52=${T}|40=1|60=${T}|54=1|21=3|`)).to.deep.include({ reason: 1, tag: 11 });
    expect(check(`${H}11=ID|60=${T}|`)).to.deep.include({ reason: 1, tag: 40 });
  });

  it('1 for a required member missing from a group instance', () => {
    // NoOrders(73) in NewOrderList is required, and ClOrdID(11)/ListSeqNo(67) are required members
    const list = `8=FIX.4.4|35=E|34=2|49=TW44|52=${T}|56=ISLD|66=L1|394=1|68=2|73=2|11=A|67=1|54=1|11=B|54=2|`;
    expect(check(list)).to.deep.include({ reason: 1, tag: 67 });
  });

  it('can leave required header fields to the session layer', () => {
    expect(check(`8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|`, { checkRequiredHeaderFields: false })).to.equal(null);
  });

  it('13 for a repeated tag (14h)', () => {
    expect(check(`${H}11=ID|21=1|40=1|40=2|54=1|38=200.00|55=INTC|60=${T}|`)).to.deep.equal({
      reason: 13,
      tag: 40,
      text: 'Tag appears more than once',
    });
  });

  it('4 for an empty value (14d), unless ValidateFieldsHaveValues is off', () => {
    expect(check(`8=FIX.4.4|35=0|34=2|49=TW44|52=${T}|56=|`)).to.deep.equal({
      reason: 4,
      tag: 56,
      text: 'Tag specified without a value',
    });
    expect(check(`8=FIX.4.4|35=1|34=2|49=TW44|52=${T}|56=ISLD|112=|`, { checkFieldsHaveValues: false })).to.equal(null);
    // with the check off an empty value still has to be a valid format for its type
    expect(check(heartbeat('112=X|'), {})).to.equal(null);
    expect(check(`${ORDER}44=|`, { checkFieldsHaveValues: false })).to.deep.include({ reason: 6, tag: 44 });
  });

  it('6 for a badly formatted value (14f) per type', () => {
    const bad: [string, number][] = [
      ['38=+200.00|', 38],
      ['44=1e5|', 44],
      ['44=1.2.3|', 44],
      ['44=.|', 44],
      ['423=1.5|', 423], // INT (PriceType)
      ['423=-|', 423],
      ['126=20040415|', 126], // UTCTIMESTAMP (RejectResentMessage)
      ['126=20241301-00:00:00|', 126],
      ['126=20240101-24:00:00|', 126],
      ['126=20240101-00:00:00.1234567890|', 126],
      ['114=YES|', 114], // BOOLEAN
      ['114=y|', 114],
      ['432=2024011|', 432], // LOCALMKTDATE (ExpireDate)
      ['432=20241301|', 432],
      ['200=2024|', 200], // MONTHYEAR (MaturityMonthYear)
      ['200=202413|', 200],
    ];
    for (const [field, tag] of bad) {
      expect(check(`${ORDER_NO_QTY}${field}`), field).to.deep.equal({ reason: 6, tag, text: 'Incorrect data format for value' });
    }
    const good = ['44=1.|', '44=.5|', '44=-0.25|', '126=20240101-00:00:60|', '126=20240101-00:00:00.123456789|',
      '114=Y|', '432=20240229|', '200=202406|', '200=20240615|', '200=202406w2|', '38=0|'];
    for (const field of good) expect(check(`${ORDER_NO_QTY}${field}`), field).to.equal(null);
  });

  it('treats LOCALMKTDATE, MONTHYEAR and DAYOFMONTH as text, like QuickFIX, when strict dates are off', () => {
    expect(check(`${ORDER}432=tomorrow|200=soon|`, { strictDateFormats: false })).to.equal(null);
  });

  it('5 for a value outside the enum (14e), including each item of a multiple-value field', () => {
    expect(check(`${H}11=ID|21=4|40=1|54=1|38=002000.00|55=INTC|60=${T}|`)).to.deep.equal({
      reason: 5,
      tag: 21,
      text: 'Value is incorrect (out of range) for this tag',
    });
    expect(check(`${ORDER}167=BOO|`)).to.deep.include({ reason: 5, tag: 167 });
    expect(check(`${ORDER}18=1 2|`)).to.equal(null); // ExecInst is MULTIPLEVALUESTRING
    expect(check(`${ORDER}18=1 @|`)).to.deep.include({ reason: 5, tag: 18 });
  });

  it('0 for an unknown tag, below, at and above 5000 (14a), unless told to allow them', () => {
    for (const tag of [999, 0, -1, 5000]) {
      expect(check(heartbeat(`${tag}=HI|`))).to.deep.equal({ reason: 0, tag, text: 'Invalid tag number' });
    }
    expect(check(heartbeat('999=HI|'), { allowUnknownMessageFields: true })).to.equal(null);
    expect(check(heartbeat('5000=HI|'), { allowUnknownMessageFields: true })).to.deep.include({ reason: 0, tag: 5000 });
    expect(check(heartbeat('5000=HI|'), { checkUserDefinedFields: false })).to.equal(null);
  });

  it('2 for a known tag not allowed in this MsgType (14c)', () => {
    expect(check(heartbeat('55=MSFT|'))).to.deep.equal({ reason: 2, tag: 55, text: 'Tag not defined for this message type' });
    expect(check(heartbeat('55=MSFT|'), { allowUnknownMessageFields: true })).to.equal(null);
  });

  it('16 when NumInGroup differs from the instances present (14i), at the top level and nested', () => {
    expect(check(`${H}11=ID|21=1|40=1|54=1|38=200.00|55=INTC|386=3|336=PRE-OPEN|336=AFTER-HOURS|60=${T}|`)).to.deep.equal({
      reason: 16,
      tag: 386,
      text: 'Incorrect NumInGroup count for repeating group',
    });
    expect(check(`${ORDER}453=1|448=P|447=D|452=1|802=3|523=S|803=1|`)).to.deep.include({ reason: 16, tag: 802 });
    expect(check(`${ORDER}453=1|448=P|447=D|452=1|802=3|523=S|803=1|`, { checkGroupFields: false })).to.equal(null);
  });

  it('checks formats and enums inside group instances', () => {
    expect(check(`${ORDER}453=1|448=P|447=D|452=abc|`)).to.deep.include({ reason: 6, tag: 452 });
    expect(check(`${ORDER}453=1|448=P|447=?|452=1|`)).to.deep.include({ reason: 5, tag: 447 });
    expect(check(`${ORDER}453=1|448=|447=D|452=1|`)).to.deep.include({ reason: 4, tag: 448 });
  });

  it('accepts a NumInGroup of zero with no instances (21)', () => {
    expect(
      check(`8=FIX.4.4|35=d|34=2|49=TW44|56=ISLD|52=${T}|320=JCD1091-20021011|322=1034356488676|323=6|55=TBS|22=8|167=CS|336=ONE_MAIN|58=No Products found|454=0|`),
    ).to.equal(null);
  });

  it('reports the failure QuickFIX meets first: header before body, lower tag before higher', () => {
    // body 21 (enum) and 11 empty: 11 comes first in tag order though it is later on the wire
    expect(check(`${H}21=9|40=1|54=1|60=${T}|11=|`)).to.deep.include({ reason: 4, tag: 11 });
    // a header problem wins over a body problem
    expect(check(`8=FIX.4.4|35=D|34=2|49=TW44|52=${T}|56=ISLD|347=BAD|11=ID|21=9|40=1|54=1|60=${T}|`)).to.deep.include({
      reason: 5,
      tag: 347,
    });
    // format is checked before the enum (PossResend is a BOOLEAN with enum Y/N)
    expect(check(`8=FIX.4.4|35=D|34=2|49=TW44|52=${T}|56=ISLD|97=X|11=ID|40=1|54=1|60=${T}|`)).to.deep.include({
      reason: 6,
      tag: 97,
    });
    // the first occurrence of a repeated tag is checked before the repeat is reported
    expect(check(`${H}11=ID|21=1|40=|40=2|54=1|60=${T}|`)).to.deep.include({ reason: 4, tag: 40 });
  });

  it('answers null for everything when validation is off', () => {
    expect(check(`8=FIX.4.4|35=*|34=2|49=TW44|52=${T}|56=ISLD|999=X|`, { enabled: false })).to.equal(null);
  });
});
