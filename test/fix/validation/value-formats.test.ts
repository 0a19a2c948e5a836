import { expect } from 'chai';
import { FieldType } from '../../../src/fix/dictionary/field-types.js';
import { hasValidFormat } from '../../../src/fix/validation/value-formats.js';

function ok(type: number, text: string, strict = true): boolean {
  const b = Buffer.from(text, 'latin1');
  return hasValidFormat(type, b, 0, b.length, strict);
}

describe('value formats (QuickFIX convertor rules)', () => {
  it('INT-like types: optional minus and digits only', () => {
    for (const t of [FieldType.Int, FieldType.SeqNum, FieldType.NumInGroup, FieldType.Length]) {
      expect(ok(t, '0')).to.equal(true);
      expect(ok(t, '-12')).to.equal(true);
      expect(ok(t, '+1')).to.equal(false);
      expect(ok(t, '1.0')).to.equal(false);
      expect(ok(t, '')).to.equal(false);
    }
  });

  it('decimal types', () => {
    for (const t of [FieldType.Price, FieldType.Qty, FieldType.Amt, FieldType.Float, FieldType.PriceOffset, FieldType.Percentage]) {
      for (const good of ['1', '1.5', '-1.5', '1.', '.5', '002000.00']) expect(ok(t, good), good).to.equal(true);
      for (const bad of ['+1', '1e3', '.', '-', '', '1..2', ' 1', '1,5']) expect(ok(t, bad), bad).to.equal(false);
    }
  });

  it('CHAR, BOOLEAN, STRING', () => {
    expect(ok(FieldType.Char, 'A')).to.equal(true);
    expect(ok(FieldType.Char, 'AB')).to.equal(false);
    expect(ok(FieldType.Boolean, 'N')).to.equal(true);
    expect(ok(FieldType.Boolean, 'T')).to.equal(false);
    expect(ok(FieldType.String, 'anything at all')).to.equal(true);
  });

  it('UTCTIMEONLY and UTCDATEONLY', () => {
    expect(ok(FieldType.UtcTimeOnly, '23:59:60')).to.equal(true);
    expect(ok(FieldType.UtcTimeOnly, '23:59:59.123')).to.equal(true);
    expect(ok(FieldType.UtcTimeOnly, '24:00:00')).to.equal(false);
    expect(ok(FieldType.UtcTimeOnly, '23:59')).to.equal(false);
    expect(ok(FieldType.UtcDateOnly, '20240229')).to.equal(true);
    expect(ok(FieldType.UtcDateOnly, '20240230')).to.equal(true); // QuickFIX only checks day <= 31
    expect(ok(FieldType.UtcDateOnly, '20240001')).to.equal(false);
  });

  it('DAYOFMONTH, MONTHYEAR, LOCALMKTDATE: checked when strict, free text otherwise', () => {
    expect(ok(FieldType.DayOfMonth, '31')).to.equal(true);
    expect(ok(FieldType.DayOfMonth, '32')).to.equal(false);
    expect(ok(FieldType.DayOfMonth, '32', false)).to.equal(true);
    expect(ok(FieldType.MonthYear, '202406w5')).to.equal(true);
    expect(ok(FieldType.MonthYear, '202406w6')).to.equal(false);
    expect(ok(FieldType.LocalMktDate, '2024-01-01')).to.equal(false);
    expect(ok(FieldType.LocalMktDate, '2024-01-01', false)).to.equal(true);
  });
});
