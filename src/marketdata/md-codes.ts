// Market data's own codes: which entry types a subscription wants, and the words for the MDEntryType values it
// does not publish. The FIX 4.4 values of the market data and security list messages are in src/fix/fix44-values.ts.

/** Names of the MDEntryType values the venue does not publish, for reject texts. */
export const UNPUBLISHED_ENTRY_TYPES: Readonly<Record<string, string>> = {
  '3': 'index value',
  '4': 'opening price',
  '5': 'closing price',
  '6': 'settlement price',
  '7': 'session high',
  '8': 'session low',
  '9': 'session VWAP',
  B: 'trade volume',
  C: 'open interest',
};

/** Which entry types a subscription wants, as bits. */
export const EntryMask = { Bid: 1, Offer: 2, Trade: 4, Imbalance: 8 } as const;
