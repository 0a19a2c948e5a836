// FIX 4.4 values by name: the one table of tag numbers and code values that the engine, the gateway, market
// data and the routing adapters all use, so that handlers read like the FIX spec and no room keeps its own list.
// Only values the venue reads or writes are here; everything else is in the dictionary (fix-dictionaries/).
// Mapping these to the venue's own enums is the gateway's job (src/gateway/fix-mappings.ts), not this table's;
// OrdStatus(39), Side(54), OrdType(40) and TimeInForce(59) are the venue's enums, whose codes are FIX's
// (src/venue/model/enums.ts).

/** Tag numbers, in numeric order. */
export const Tag = {
  Account: 1,
  AvgPx: 6,
  BeginSeqNo: 7,
  BeginString: 8,
  BodyLength: 9,
  CheckSum: 10,
  ClOrdID: 11,
  CumQty: 14,
  Currency: 15,
  EndSeqNo: 16,
  ExecID: 17,
  ExecInst: 18,
  LastMkt: 30,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  PossDupFlag: 43,
  Price: 44,
  RefSeqNum: 45,
  SecurityID: 48,
  SenderCompID: 49,
  SenderSubID: 50,
  SendingTime: 52,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  TargetSubID: 57,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  TradeDate: 75,
  Signature: 89,
  SecureDataLen: 90,
  SecureData: 91,
  SignatureLength: 93,
  PossResend: 97,
  EncryptMethod: 98,
  StopPx: 99,
  ExDestination: 100,
  CxlRejReason: 102,
  OrdRejReason: 103,
  SecurityDesc: 107,
  HeartBtInt: 108,
  MinQty: 110,
  MaxFloor: 111,
  TestReqID: 112,
  OnBehalfOfCompID: 115,
  OnBehalfOfSubID: 116,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  ExpireTime: 126,
  DeliverToCompID: 128,
  DeliverToSubID: 129,
  ResetSeqNumFlag: 141,
  OnBehalfOfLocationID: 144,
  DeliverToLocationID: 145,
  NoRelatedSym: 146,
  ExecType: 150,
  LeavesQty: 151,
  SecurityExchange: 207,
  XmlDataLen: 212,
  XmlData: 213,
  MDReqID: 262,
  SubscriptionRequestType: 263,
  MarketDepth: 264,
  MDUpdateType: 265,
  AggregatedBook: 266,
  NoMDEntryTypes: 267,
  NoMDEntries: 268,
  MDEntryType: 269,
  MDEntryPx: 270,
  MDEntrySize: 271,
  MDEntryDate: 272,
  MDEntryTime: 273,
  MDEntryID: 278,
  MDUpdateAction: 279,
  MDReqRejReason: 281,
  OpenCloseSettlFlag: 286,
  SecurityReqID: 320,
  SecurityResponseID: 322,
  SecurityStatusReqID: 324,
  UnsolicitedIndicator: 325,
  SecurityTradingStatus: 326,
  HaltReason: 327,
  TradSesReqID: 335,
  TradingSessionID: 336,
  TradSesStatus: 340,
  TradSesStartTime: 341,
  TradSesOpenTime: 342,
  TradSesPreCloseTime: 343,
  TradSesCloseTime: 344,
  TradSesEndTime: 345,
  NumberOfOrders: 346,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  ExecRestatementReason: 378,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  NoTradingSessions: 386,
  TotNoRelatedSym: 393,
  ExpireDate: 432,
  CxlRejResponseTo: 434,
  PartyIDSource: 447,
  PartyID: 448,
  PartyRole: 452,
  NoPartyIDs: 453,
  SecondaryExecID: 527,
  MassCancelRequestType: 530,
  MassCancelResponse: 531,
  MassCancelRejectReason: 532,
  TotalAffectedOrders: 533,
  Scope: 546,
  MDImplicitDelete: 547,
  NoSides: 552,
  Username: 553,
  Password: 554,
  SecurityListRequestType: 559,
  SecurityRequestResult: 560,
  RoundLot: 561,
  MinTradeVol: 562,
  TradSesStatusRejReason: 567,
  TradeRequestID: 568,
  TradeRequestType: 569,
  PreviouslyReported: 570,
  TradeReportID: 571,
  NoDates: 580,
  MassStatusReqID: 584,
  MassStatusReqType: 585,
  NoHops: 627,
  ResponseTransportType: 725,
  TotNumTradeReports: 748,
  TradeRequestResult: 749,
  TradeRequestStatus: 750,
  CopyMsgIndicator: 797,
  TrdType: 828,
  LastLiquidityInd: 851,
  NoInstrAttrib: 870,
  InstrAttribType: 871,
  InstrAttribValue: 872,
  TrdMatchID: 880,
  LastFragment: 893,
  TotNumReports: 911,
  LastRptRequested: 912,
  MinPriceIncrement: 969,
  AggressorIndicator: 1057,
} as const;

/** MsgType(35) values: session messages first, then application messages. */
export const MsgType = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  Logon: 'A',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  NewOrderSingle: 'D',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  BusinessMessageReject: 'j',
  OrderMassCancelRequest: 'q',
  OrderMassCancelReport: 'r',
  OrderMassStatusRequest: 'AF',
  TradeCaptureReportRequest: 'AD',
  TradeCaptureReport: 'AE',
  TradeCaptureReportRequestAck: 'AQ',
  MarketDataRequest: 'V',
  MarketDataSnapshotFullRefresh: 'W',
  MarketDataIncrementalRefresh: 'X',
  MarketDataRequestReject: 'Y',
  SecurityListRequest: 'x',
  SecurityList: 'y',
  SecurityStatus: 'f',
  TradingSessionStatusRequest: 'g',
  TradingSessionStatus: 'h',
} as const;

/** ExecType(150) values. */
export const ExecType = {
  New: '0',
  Cancelled: '4',
  Replaced: '5',
  PendingCancel: '6',
  Rejected: '8',
  PendingNew: 'A',
  Expired: 'C',
  Restated: 'D',
  PendingReplace: 'E',
  Trade: 'F',
  OrderStatus: 'I',
} as const;

/** CxlRejResponseTo(434) values. */
export const CxlRejResponseTo = {
  /** the refused request was an OrderCancelRequest(F) */
  Cancel: '1',
  /** the refused request was an OrderCancelReplaceRequest(G) */
  Replace: '2',
} as const;

/** CxlRejReason(102) values. */
export const CxlRejReason = {
  TooLateToCancel: 0,
  UnknownOrder: 1,
  BrokerOption: 2,
  AlreadyPending: 3,
  DuplicateClOrdID: 6,
  Other: 99,
} as const;

/** OrdRejReason(103) values. */
export const OrdRejReason = {
  BrokerOption: 0,
  UnknownSymbol: 1,
  ExchangeClosed: 2,
  ExceedsLimit: 3,
  TooLateToEnter: 4,
  UnknownOrder: 5,
  DuplicateOrder: 6,
  UnsupportedCharacteristic: 11,
  IncorrectQuantity: 13,
  UnknownAccount: 15,
  Other: 99,
} as const;

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

/** MDEntryType(269) values the venue publishes. */
/**
 * MDEntryType(269) values the venue publishes. Imbalance (A) carries the indicative auction price during a call
 * (FIX 4.4 has no "auction clearing price" type; A is its auction entry): MDEntryPx the price the book would
 * uncross at now, MDEntrySize the quantity that would trade, Text the surplus ("buy surplus 6", "sell surplus
 * 4", "no surplus").
 */
export const MdEntryType = { Bid: '0', Offer: '1', Trade: '2', Imbalance: 'A' } as const;

/** SecurityTradingStatus(326). */
export const SecurityTradingStatus = { Halt: 2, Resume: 3, ReadyToTrade: 17, NotAvailableForTrading: 18 } as const;

/** SecurityListRequestType(559). */
export const SecurityListRequestType = { Symbol: 0, AllSecurities: 4 } as const;

/** SecurityRequestResult(560). */
export const SecurityRequestResult = { Valid: 0, InvalidOrUnsupported: 1, NoInstrumentsFound: 2 } as const;

/** InstrAttribType(871) values: 99 is free text, the only FIX 4.4 place for a tick size in a SecurityList. */
export const InstrAttribType = { Text: 99 } as const;

/** TradSesStatus(340). */
export const TradSesStatus = { Halted: 1, Open: 2, Closed: 3, PreOpen: 4, PreClose: 5, RequestRejected: 6 } as const;

/** TradSesStatusRejReason(567). */
export const TradSesStatusRejReason = { UnknownOrInvalidTradingSessionId: 1, Other: 99 } as const;

/** TradeRequestResult(749). */
export const TradeRequestResult = {
  Successful: 0,
  InvalidOrUnknownInstrument: 1,
  InvalidParties: 3,
  TradeRequestTypeNotSupported: 8,
  NotAuthorized: 9,
  Other: 99,
} as const;

/** TradeRequestStatus(750). */
export const TradeRequestStatus = { Accepted: 0, Completed: 1, Rejected: 2 } as const;

/**
 * SessionRejectReason(373) and BusinessRejectReason(380) are declared beside the QuickFIX texts that go with them
 * (validation/reject-reasons.ts, session/reject-reasons.ts); they are part of this table all the same.
 */
export { BusinessRejectReason, SessionRejectReason } from './session/reject-reasons.js';
