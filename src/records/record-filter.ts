// Firm / account / symbol filters over record entries. A trade matches when either side does; an entry that
// belongs to no firm (a trading status change, a mass-cancel summary) matches only filters without a firm
// or account, so a firm's query never shows another firm's activity.

import type { RecordEntry, RecordFilter, TradeEntry, TradeParty } from './record-entries.js';

function partyMatches(p: TradeParty, f: RecordFilter): boolean {
  return (!f.firm || p.firm === f.firm) && (!f.account || p.account === f.account);
}

export function tradeMatches(t: TradeEntry, f: RecordFilter): boolean {
  if (f.symbol && t.symbol !== f.symbol) return false;
  return partyMatches(t.buy, f) || partyMatches(t.sell, f);
}

export function entryMatches(e: RecordEntry, f: RecordFilter): boolean {
  switch (e.type) {
    case 'trade':
      return tradeMatches(e, f);
    case 'rejected':
      return (!f.firm || e.firm === f.firm) && (!f.account || e.account === f.account) && (!f.symbol || e.symbol === f.symbol);
    case 'massCancelDone':
      return !f.firm && !f.account && !f.symbol;
    case 'tradingStatus':
      return !f.firm && !f.account && (!f.symbol || e.symbol === f.symbol);
    default: {
      const o = e.order;
      return (!f.firm || o.firm === f.firm) && (!f.account || o.account === f.account) && (!f.symbol || o.symbol === f.symbol);
    }
  }
}
