// How the simulator reads parameters and what it verifies a signature against (rest-api.md "General
// Information on Endpoints", "SIGNED Endpoint Examples"): query string and form body may be mixed, the
// query string wins a conflict, and the payload is the query string then the body, as received.

import { expect } from 'chai';
import { ApiError } from '../../../src/simulators/binance/api-error.js';
import { parseParams } from '../../../src/simulators/binance/http/request-params.js';

describe('binance simulator: request parameters', () => {
  it('merges query string and form body, the query string winning', () => {
    const { params, payload } = parseParams('symbol=LTCBTC&side=BUY&signature=abc', 'side=SELL&quantity=1&price=0.1&timestamp=1499827319559');
    expect(Object.fromEntries(params)).to.deep.equal({ symbol: 'LTCBTC', side: 'BUY', quantity: '1', price: '0.1', timestamp: '1499827319559', signature: 'abc' });
    expect(payload).to.equal('symbol=LTCBTC&side=BUYside=SELL&quantity=1&price=0.1&timestamp=1499827319559');
  });

  it('percent-decodes values but signs the encoded text as received', () => {
    const { params, payload } = parseParams('symbol=%EF%BC%91%EF%BC%92&note=a+b&signature=x%2By%3D', '');
    expect(params.get('symbol')).to.equal('１２');
    expect(params.get('note')).to.equal('a b');
    expect(params.get('signature')).to.equal('x+y=');
    expect(payload).to.equal('symbol=%EF%BC%91%EF%BC%92&note=a+b');
  });

  it('refuses a duplicated parameter (-1101) and broken percent-encoding (-1100)', () => {
    const err = (q: string): ApiError => {
      try {
        parseParams(q, '');
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('expected a refusal');
    };
    expect([err('a=1&a=2').code, err('a=1&a=2').message]).to.deep.equal([-1101, 'Duplicate values for a parameter detected.']);
    expect(err('a=%E0%A4%A').code).to.equal(-1100);
  });
});
