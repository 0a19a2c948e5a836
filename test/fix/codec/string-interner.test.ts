import { expect } from 'chai';
import { StringInterner } from '../../../src/fix/codec/string-interner.js';

describe('StringInterner', () => {
  const bytesOf = (text: string): Buffer => Buffer.from(`xx${text}yy`, 'latin1');

  it('finds a held value by its bytes and gives back the held string itself', () => {
    const interner = new StringInterner();
    const held = ['BTC', 'USDT'].join('');
    interner.add(held);
    const buf = bytesOf('BTCUSDT');
    const found = interner.find(buf, 2, buf.length - 2);
    expect(found).to.equal('BTCUSDT');
    expect(Object.is(found, held)).to.equal(true);
  });

  it('misses values it does not hold, prefixes and longer values included', () => {
    const interner = new StringInterner();
    interner.add('ACC1');
    for (const other of ['ACC', 'ACC12', 'acc1', '', 'ACC2']) {
      const buf = bytesOf(other);
      expect(interner.find(buf, 2, buf.length - 2), other).to.equal(undefined);
    }
  });

  it('keeps finding every value as the table grows, and adding twice holds one entry', () => {
    const interner = new StringInterner();
    for (let i = 0; i < 500; i++) interner.add(`SYM${i}`);
    for (let i = 0; i < 500; i++) interner.add(`SYM${i}`);
    expect(interner.size).to.equal(500);
    for (let i = 0; i < 500; i++) {
      const buf = bytesOf(`SYM${i}`);
      expect(interner.find(buf, 2, buf.length - 2)).to.equal(`SYM${i}`);
    }
  });

  it('refuses values past its capacity and values outside latin1', () => {
    const interner = new StringInterner(2);
    expect(interner.add('A')).to.equal(true);
    expect(interner.add('B')).to.equal(true);
    expect(interner.add('C')).to.equal(false);
    expect(new StringInterner().add('€uro')).to.equal(false);
    const buf = bytesOf('C');
    expect(interner.find(buf, 2, buf.length - 2)).to.equal(undefined);
  });
});
