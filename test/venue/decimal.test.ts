import { expect } from 'chai';
import { decimalsOf, formatDecimal, formatQuotient, parseDecimal } from '../../src/venue/model/decimal.js';

describe('exact decimals', () => {
  it('parses decimal strings into scaled integers without rounding', () => {
    expect(parseDecimal('123.45', 2)).to.equal(12345);
    expect(parseDecimal('100', 2)).to.equal(10000);
    expect(parseDecimal('100.500', 2)).to.equal(10050);
    expect(parseDecimal('0.00001', 5)).to.equal(1);
    expect(parseDecimal('-0.25', 2)).to.equal(-25);
    expect(parseDecimal('0.001', 2)).to.be.NaN;
    expect(parseDecimal('1e5', 2)).to.be.NaN;
    expect(parseDecimal('', 2)).to.be.NaN;
    expect(parseDecimal('.', 2)).to.be.NaN;
    expect(parseDecimal('99999999999999999999', 2)).to.be.NaN;
  });

  it('prints scaled integers back exactly', () => {
    expect(formatDecimal(12345, 2)).to.equal('123.45');
    expect(formatDecimal(5, 2)).to.equal('0.05');
    expect(formatDecimal(-5, 2)).to.equal('-0.05');
    expect(formatDecimal(100000, 5, true)).to.equal('1');
    expect(formatDecimal(150000, 5, true)).to.equal('1.5');
    expect(formatDecimal(7, 0)).to.equal('7');
    expect(decimalsOf('0.01')).to.equal(2);
    expect(formatQuotient(30001, 3, 2)).to.equal('10000.33');
  });
});
