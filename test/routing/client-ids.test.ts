// Client order ids sent to external venues: derived from venue numbers, parsed back without a table, and never
// mistaken for someone else's.

import { expect } from 'chai';
import { isValidClientOrderId } from '../../src/routing/binance/decimal-rule.js';
import { ClientIds } from '../../src/routing/client-ids.js';

describe('routing: client order ids', () => {
  const ids = ClientIds.forJournal('v', '0123456789abcdef0123456789abcdef');

  it('names an order, its replaced incarnations and its cancels, and parses each back', () => {
    expect([ids.order(42, 0), ids.order(42, 977), ids.cancel(42, 980)]).to.deep.equal(['v0123.16', 'v0123.16-r5', 'v0123.16_r8']);
    expect(ids.parse('v0123.16')).to.deep.equal({ orderId: 42, seq: 0, cancel: false });
    expect(ids.parse('v0123.16-r5')).to.deep.equal({ orderId: 42, seq: 977, cancel: false });
    expect(ids.parse('v0123.16_r8')).to.deep.equal({ orderId: 42, seq: 980, cancel: true });
  });

  it('refuses ids of another journal, another system or a malformed tail', () => {
    for (const id of ['v9999.16', 'web_abc', 'v0123.', 'v0123.16-', 'v0123.16_', 'v0123.1 6', 'v0123.16-R5', 'v0123.16-r5_1', '']) expect(ids.parse(id), id).to.equal(null);
  });

  it('fits Binance\'s client order id rule at the largest numbers', () => {
    const longest = ClientIds.forJournal('abcdef', 'ffffffff').cancel(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(longest.length).to.be.at.most(36);
    expect(isValidClientOrderId(longest)).to.equal(true);
    expect(ClientIds.forJournal('abcdef', 'ffffffff').parse(longest)).to.deep.equal({ orderId: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER, cancel: true });
  });
});
