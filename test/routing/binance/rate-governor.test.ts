// The client's local rate governor with a controlled clock: it learns usage from headers and limits from
// exchangeInfo, refuses before the weight or order count would be exceeded, backs off after 429 and
// refuses everything during a 418 ban, until the time Binance gave.

import { expect } from 'chai';
import { RateGovernor } from '../../../src/routing/binance/rate-governor.js';

describe('binance client: rate governor', () => {
  let now: number;
  let gov: RateGovernor;
  const usage = (w: Record<string, number>, o: Record<string, number> = {}) => ({ usedWeight: w, orderCount: o });

  beforeEach(() => {
    now = 1_700_000_020_000; // 40 s into a minute
    gov = new RateGovernor(
      [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 100 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 5 },
      ],
      () => now,
    );
  });

  it('refuses a request whose weight would pass the limit in this interval, and allows it in the next', () => {
    gov.observe(200, usage({ '1M': 90 }), undefined, 0);
    expect(gov.admit(10, false)).to.equal(null);
    const refused = gov.admit(20, false);
    expect(refused).to.include({ kind: 'throttled', local: true, banned: false, code: -1003 });
    expect(refused!.retryAt).to.equal(1_700_000_040_000);
    now = 1_700_000_040_001;
    expect(gov.admit(20, false)).to.equal(null);
  });

  it('refuses orders at the order-count limit but still lets other requests through', () => {
    gov.observe(200, usage({ '1M': 5 }, { '10S': 5 }), undefined, 0);
    expect(gov.admit(1, true)).to.include({ code: -1015 });
    expect(gov.admit(1, false)).to.equal(null);
  });

  it('backs off for Retry-After after a 429, and refuses everything during a 418 ban', () => {
    gov.observe(429, usage({}), 7, -1003);
    const backoff = gov.admit(1, false);
    expect(backoff).to.include({ banned: false, retryAt: now + 7000 });
    now += 7001;
    expect(gov.admit(1, false)).to.equal(null);
    gov.observe(418, usage({}), 120, -1003);
    expect(gov.admit(1, false)).to.include({ banned: true, retryAt: now + 120_000 });
    expect(gov.admit(1, true)!.msg).to.match(/^IP banned by Binance until .*; not sending$/);
    now += 120_001;
    expect(gov.admit(1, true)).to.equal(null);
  });

  it('a 429 for the order count (-1015) blocks only orders', () => {
    gov.observe(429, usage({}), 3, -1015);
    expect(gov.admit(1, true)).to.include({ code: -1015 });
    expect(gov.admit(1, false)).to.equal(null);
  });

  it('adopts new limits from exchangeInfo', () => {
    gov.observe(200, usage({ '1M': 90 }), undefined, 0);
    gov.setLimits([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1000 }]);
    expect(gov.admit(500, false)).to.equal(null);
    expect(gov.snapshot().limits).to.deep.equal([{ kind: 'weight', interval: '1M', limit: 1000, used: 90 }]);
  });
});
