import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FieldType } from '../../../src/fix/dictionary/field-types.js';
import { DictionaryError, loadDictionary, parseDictionary } from '../../../src/fix/dictionary/loader.js';
import { Section } from '../../../src/fix/dictionary/model.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FIX44 = 'fix-dictionaries/FIX44.xml';

describe('dictionary loader: FIX44.xml', () => {
  const dict = loadDictionary(FIX44);

  it('reads the version, fields, types and enums', () => {
    expect(dict.beginString).to.equal('FIX.4.4');
    expect(dict.field(44)?.name).to.equal('Price');
    expect(dict.typeOf(44)).to.equal(FieldType.Price);
    expect(dict.typeOf(38)).to.equal(FieldType.Qty);
    expect(dict.typeOf(52)).to.equal(FieldType.UtcTimestamp);
    expect(dict.fieldByName('Side')?.tag).to.equal(54);
    expect(dict.enumsOf(54)?.hasString('1')).to.equal(true);
    expect(dict.enumsOf(54)?.hasString('Z')).to.equal(false);
    expect(dict.enumsOf(167)?.has(Buffer.from('CS'), 0, 2)).to.equal(true);
    expect(dict.enumsOf(167)?.has(Buffer.from('BOO'), 0, 3)).to.equal(false);
    expect(dict.field(54)?.valueNames.get('1')).to.equal('BUY');
    expect(dict.isKnownTag(5000)).to.equal(false);
  });

  it('classifies header and trailer tags and their required flags', () => {
    expect(dict.sectionOf(49)).to.equal(Section.Header);
    expect(dict.sectionOf(627)).to.equal(Section.Header);
    expect(dict.sectionOf(10)).to.equal(Section.Trailer);
    expect(dict.sectionOf(55)).to.equal(Section.Body);
    expect(Array.from(dict.headerRequired)).to.deep.equal([8, 9, 34, 35, 49, 52, 56]);
    expect(Array.from(dict.trailerRequired)).to.deep.equal([10]);
    expect(dict.headerGroup(627)?.delimiter).to.equal(628);
  });

  it('reads messages with their category, allowed fields and required fields through components', () => {
    const order = dict.message('D')!;
    expect(order.name).to.equal('NewOrderSingle');
    expect(order.isAdmin).to.equal(false);
    expect(dict.message('A')!.isAdmin).to.equal(true);
    expect(Array.from(order.requiredTags)).to.deep.equal([11, 40, 54, 60]);
    expect(order.allows(55)).to.equal(true); // via the Instrument component
    expect(order.allows(38)).to.equal(true); // via OrderQtyData
    expect(order.allows(336)).to.equal(false); // only inside NoTradingSessions
    expect(dict.message('*')).to.equal(undefined);
  });

  it('reads groups: delimiter, members in dictionary order, nested groups, required members', () => {
    const sessions = dict.message('D')!.group(386)!;
    expect(sessions.delimiter).to.equal(336);
    expect(Array.from(sessions.memberOrder)).to.deep.equal([336, 625]);
    const parties = dict.message('D')!.group(453)!;
    expect(Array.from(parties.memberOrder)).to.deep.equal([448, 447, 452, 802]);
    expect(parties.nested(802)?.delimiter).to.equal(523);
    // a group whose first child is a component: the delimiter is that component's first field
    const related = dict.message('V')!.group(146)!;
    expect(related.delimiter).to.equal(55);
    // members are required only when the group itself is required
    const listOrders = dict.message('E')!.group(73)!;
    expect(listOrders.required).to.equal(true);
    expect(Array.from(listOrders.requiredTags)).to.include.members([11, 67]);
    expect(Array.from(dict.message('i')!.requiredTags)).to.deep.equal([117, 296]);
  });

  it('knows DATA fields and their length fields', () => {
    expect(dict.dataLengthTag(96)).to.equal(95);
    expect(dict.dataLengthTag(89)).to.equal(93);
    expect(dict.dataLengthTag(55)).to.equal(0);
  });
});

describe('dictionary loader: errors name the file and the problem', () => {
  const dir = makeTempDir('fixdict-');
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const minimal = (body: string): string =>
    `<fix major='4' minor='4'><header><field name='BeginString' required='Y'/></header><trailer><field name='CheckSum' required='Y'/></trailer>${body}</fix>`;
  const fields = `<fields><field number='8' name='BeginString' type='STRING'/><field number='10' name='CheckSum' type='STRING'/><field number='35' name='MsgType' type='STRING'/></fields>`;

  it('a missing file', () => {
    expect(() => loadDictionary(join(dir, 'nope.xml'))).to.throw(DictionaryError, /nope\.xml: cannot read data dictionary: file not found/);
  });

  it('XML that is not well-formed, with line and column', () => {
    const path = write('broken.xml', `<fix major='4' minor='4'>\n  <fields>\n  </field>\n</fix>`);
    expect(() => loadDictionary(path)).to.throw(DictionaryError, /broken\.xml: not well-formed XML: closing tag <\/field> does not match <fields> .*line 3/);
    expect(() => parseDictionary(`<fix><a x=1/></fix>`, 'x.xml')).to.throw(/x\.xml: .*must be quoted/);
    expect(() => parseDictionary(`<fix>`, 'x.xml')).to.throw(/never closed/);
  });

  it('a message that uses an undefined field or component', () => {
    expect(() =>
      parseDictionary(minimal(`${fields}<messages><message name='M' msgtype='0'><field name='Nope' required='N'/></message></messages>`), 'd.xml'),
    ).to.throw(DictionaryError, /d\.xml: message M uses field Nope, which <fields> does not define \(line 1\)/);
    expect(() =>
      parseDictionary(minimal(`${fields}<messages><message name='M' msgtype='0'><component name='Gone' required='N'/></message></messages>`), 'd.xml'),
    ).to.throw(/uses component Gone/);
  });

  it('missing sections, attributes and duplicates', () => {
    expect(() => parseDictionary(`<fix major='4' minor='4'>${fields}</fix>`, 'd.xml')).to.throw(/<header> section not found/);
    expect(() => parseDictionary(`<fix minor='4'/>`, 'd.xml')).to.throw(/<fix> has no major attribute/);
    expect(() => parseDictionary(`<dictionary/>`, 'd.xml')).to.throw(/root element is <dictionary>/);
    expect(() =>
      parseDictionary(minimal(`<fields><field number='8' name='BeginString' type='STRING'/><field number='8' name='Other' type='STRING'/><field number='10' name='CheckSum' type='STRING'/></fields><messages><message name='M' msgtype='0'/></messages>`), 'd.xml'),
    ).to.throw(/fields BeginString and Other both have number 8/);
    expect(() =>
      parseDictionary(minimal(`<fields><field number='x' name='BeginString' type='STRING'/></fields>`), 'd.xml'),
    ).to.throw(/field BeginString has number "x"/);
  });

  it('a component that includes itself', () => {
    expect(() =>
      parseDictionary(
        minimal(`${fields}<messages><message name='M' msgtype='0'><component name='Loop' required='N'/></message></messages><components><component name='Loop'><component name='Loop' required='N'/></component></components>`),
        'd.xml',
      ),
    ).to.throw(/component Loop includes itself/);
  });
});
