// FIX 4.4 code values the gateway reads and writes, and their mapping to the venue's enums. The venue's own
// numeric codes already follow FIX for Side, OrdType and TimeInForce; the tables here cover the rest.

import { OrdType, RejectReason, Side, TimeInForce } from '../venue/model/enums.js';

/** Tags the gateway uses, by name, so handlers read like the FIX spec. */
export const Tag = {
  Account: 1,
  AvgPx: 6,
  ClOrdID: 11,
  CumQty: 14,
  Currency: 15,
  ExecID: 17,
  ExecInst: 18,
  LastMkt: 30,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  Price: 44,
  RefSeqNum: 45,
  SecurityID: 48,
  Side: 54,
  Symbol: 55,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  TradeDate: 75,
  StopPx: 99,
  ExDestination: 100,
  CxlRejReason: 102,
  OrdRejReason: 103,
  MinQty: 110,
  MaxFloor: 111,
  ExpireTime: 126,
  ExecType: 150,
  LeavesQty: 151,
  SecurityExchange: 207,
  MDReqID: 262,
  SubscriptionRequestType: 263,
  MarketDepth: 264,
  MDUpdateType: 265,
  NoMDEntryTypes: 267,
  NoMDEntries: 268,
  MDEntryType: 269,
  MDEntryPx: 270,
  MDEntrySize: 271,
  MDEntryDate: 272,
  MDEntryTime: 273,
  MDUpdateAction: 279,
  MDReqRejReason: 281,
  NumberOfOrders: 346,
  RefMsgType: 372,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  SecurityReqID: 320,
  SecurityResponseID: 322,
  SecurityStatusReqID: 324,
  SecurityTradingStatus: 326,
  HaltReason: 327,
  TotNoRelatedSym: 393,
  NoRelatedSym: 146,
  CxlRejResponseTo: 434,
  ExpireDate: 432,
  MassStatusReqID: 584,
  MassStatusReqType: 585,
  LastRptRequested: 912,
  MassCancelRequestType: 530,
  MassCancelResponse: 531,
  MassCancelRejectReason: 532,
  TotalAffectedOrders: 533,
  TradeRequestID: 568,
  TradeRequestType: 569,
  NoDates: 580,
  TradeRequestResult: 749,
  TradeRequestStatus: 750,
  TradeReportID: 571,
  TotNumTradeReports: 748,
  NoSides: 552,
  NoPartyIDs: 453,
  PartyID: 448,
  PartyIDSource: 447,
  PartyRole: 452,
  PreviouslyReported: 570,
  ExecRestatementReason: 378,
  LastLiquidityInd: 851,
  SecondaryExecID: 527,
  TotNumReports: 911,
  CopyMsgIndicator: 797,
  TrdMatchID: 880,
  AggressorIndicator: 1057,
  TradSesStatus: 340,
  TradingSessionID: 336,
  SecurityListRequestType: 559,
  SecurityRequestResult: 560,
  MinPriceIncrement: 969,
  RoundLot: 561,
  MinTradeVol: 562,
  // market data, security list and trade capture (helper M)
  SecurityDesc: 107,
  AggregatedBook: 266,
  MDEntryID: 278,
  OpenCloseSettlFlag: 286,
  UnsolicitedIndicator: 325,
  NoTradingSessions: 386,
  Scope: 546,
  MDImplicitDelete: 547,
  TrdType: 828,
  NoInstrAttrib: 870,
  InstrAttribType: 871,
  InstrAttribValue: 872,
  LastFragment: 893,
} as const;

export const MsgType = {
  Heartbeat: '0',
  Reject: '3',
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

/** BusinessRejectReason(380): the FIX engine's table, so both layers answer with the same codes. */
export { BusinessRejectReason } from '../fix/index.js';

/** CxlRejReason(102). */
export const CxlRejReason = {
  TooLateToCancel: 0,
  UnknownOrder: 1,
  BrokerOption: 2,
  AlreadyPending: 3,
  DuplicateClOrdID: 6,
  Other: 99,
} as const;

/** OrdRejReason(103). */
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

export function sideFromFix(c: string): Side | 0 {
  return c === '1' ? Side.Buy : c === '2' ? Side.Sell : 0;
}

export function sideToFix(side: Side): string {
  return side === Side.Buy ? '1' : '2';
}

export function ordTypeFromFix(c: string): OrdType | 0 {
  switch (c) {
    case '1':
      return OrdType.Market;
    case '2':
      return OrdType.Limit;
    case '3':
      return OrdType.Stop;
    case '4':
      return OrdType.StopLimit;
    default:
      return 0;
  }
}

export function ordTypeToFix(t: OrdType): string {
  return String(t);
}

/** TimeInForce(59); absent means Day, per FIX. Returns -1 for values the venue does not support. */
export function timeInForceFromFix(c: string): TimeInForce | -1 {
  switch (c) {
    case '':
    case '0':
      return TimeInForce.Day;
    case '1':
      return TimeInForce.GTC;
    case '3':
      return TimeInForce.IOC;
    case '4':
      return TimeInForce.FOK;
    case '6':
      return TimeInForce.GTD;
    case '2':
      return TimeInForce.AtTheOpening;
    case '7':
      return TimeInForce.AtTheClose;
    default:
      return -1;
  }
}

export function timeInForceToFix(t: TimeInForce): string {
  return String(t);
}

/** OrdRejReason(103) for a venue refusal of a new order. */
export function ordRejReasonFor(reason: RejectReason): number {
  switch (reason) {
    case RejectReason.UnknownSymbol:
      return OrdRejReason.UnknownSymbol;
    case RejectReason.InstrumentHalted:
    case RejectReason.InstrumentClosed:
      return OrdRejReason.ExchangeClosed;
    case RejectReason.InvalidQuantity:
    case RejectReason.MinQtyNotMet:
      return OrdRejReason.IncorrectQuantity;
    case RejectReason.DuplicateClOrdId:
      return OrdRejReason.DuplicateOrder;
    case RejectReason.RiskLimit:
    case RejectReason.MinNotional:
      return OrdRejReason.ExceedsLimit;
    case RejectReason.Unsupported:
    case RejectReason.WouldTakeLiquidity:
      return OrdRejReason.UnsupportedCharacteristic;
    case RejectReason.KillSwitch:
      return OrdRejReason.BrokerOption;
    case RejectReason.UnknownOrder:
      return OrdRejReason.UnknownOrder;
    default:
      return OrdRejReason.Other;
  }
}

/** CxlRejReason(102) for a refused cancel or replace. */
export function cxlRejReasonFor(reason: RejectReason): number {
  switch (reason) {
    case RejectReason.UnknownOrder:
      return CxlRejReason.UnknownOrder;
    case RejectReason.TooLateToCancel:
      return CxlRejReason.TooLateToCancel;
    case RejectReason.DuplicateClOrdId:
      return CxlRejReason.DuplicateClOrdID;
    case RejectReason.RiskLimit:
    case RejectReason.KillSwitch:
    case RejectReason.InstrumentHalted:
      return CxlRejReason.BrokerOption;
    default:
      return CxlRejReason.Other;
  }
}
