// FIX 4.4 code values of the market data and security list messages, by name, so the writers read like the spec.

/** MDReqRejReason(281). */
export const MdReqRejReason = {
  UnknownSymbol: '0',
  DuplicateMdReqId: '1',
  InsufficientBandwidth: '2',
  UnsupportedSubscriptionRequestType: '4',
  UnsupportedMarketDepth: '5',
  UnsupportedMdUpdateType: '6',
  UnsupportedAggregatedBook: '7',
  UnsupportedMdEntryType: '8',
  UnsupportedTradingSessionId: '9',
  UnsupportedScope: 'A',
  UnsupportedOpenCloseSettleFlag: 'B',
} as const;
export type MdReqRejReason = (typeof MdReqRejReason)[keyof typeof MdReqRejReason];

/** SubscriptionRequestType(263). */
export const SubscriptionRequestType = { Snapshot: '0', SnapshotAndUpdates: '1', Unsubscribe: '2' } as const;

/** MDUpdateType(265). */
export const MdUpdateType = { FullRefresh: 0, IncrementalRefresh: 1 } as const;

/** MDUpdateAction(279). */
export const MdUpdateAction = { New: '0', Change: '1', Delete: '2' } as const;

/**
 * MDEntryType(269) values the venue publishes. Imbalance (A) carries the indicative auction price during a call
 * (FIX 4.4 has no "auction clearing price" type; A is its auction entry): MDEntryPx the price the book would
 * uncross at now, MDEntrySize the quantity that would trade, Text the surplus ("buy surplus 6", "sell surplus
 * 4", "no surplus").
 */
export const MdEntryType = { Bid: '0', Offer: '1', Trade: '2', Imbalance: 'A' } as const;

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

/** SecurityTradingStatus(326). */
export const SecurityTradingStatus = { Halt: 2, Resume: 3, ReadyToTrade: 17, NotAvailableForTrading: 18 } as const;

/** SecurityListRequestType(559). */
export const SecurityListRequestType = { Symbol: 0, AllSecurities: 4 } as const;

/** SecurityRequestResult(560). */
export const SecurityRequestResult = { Valid: 0, InvalidOrUnsupported: 1, NoInstrumentsFound: 2 } as const;

/** InstrAttribType(871) 99: free text, the only FIX 4.4 place for a tick size in a SecurityList. */
export const INSTR_ATTRIB_TEXT = 99;
