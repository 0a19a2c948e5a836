// Public surface of the execution record: the durable, append-only record of venue events.

export { ExecutionRecord } from './execution-record.js';
export type { EventQuery, ExecutionRecordOptions, RecordOpenReport } from './execution-record.js';
export type {
  CancelledEntry,
  MassCancelEntry,
  OrderEntry,
  RecordEntry,
  RecordEntryType,
  RecordFilter,
  RecordedOrder,
  RejectedEntry,
  ReplacedEntry,
  RestatedEntry,
  TradeEntry,
  TradeParty,
  TradingStatusEntry,
} from './record-entries.js';
export type { TradeLine } from './recent-trades.js';
export { parseRecordLine, parseTradeLine } from './record-parser.js';
export { tradeDateOf, isTradeDate, dateStartMs, addDays } from './trade-date.js';
