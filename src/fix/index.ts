// Public surface of the FIX engine. The gateway needs only what is exported here:
//
//   const engine = await FixEngine.create(config, application, quickfixValidator);
//   engine.addFlushBarrier(() => journal.commitTurn());   // messages wait for the venue's journal too
//   engine.events.on('logon', (session, remote) => ...);  // observability
//   await engine.start();
//   ...
//   session.send('8', (w) => { w.str(37, orderId); w.char(150, '0'); ... });
//
// See src/fix/engine/README.md for the full description.

export { FixEngine, type StoreReader, type ValidatorFactory } from './engine/fix-engine.js';
export type { AcceptorConfig, EngineConfig, InitiatorConfig } from './engine/engine-config.js';
export type { FlushBarrier } from './engine/flush-scheduler.js';
export { quickfixValidator } from './engine/quickfix-validator.js';

export {
  SessionStoreError,
  type Application,
  type BodyWriter,
  type InboundContext,
  type LogonRefusal,
  type SessionHandle,
} from './session/application.js';
export type { FieldWriter } from './session/field-writer.js';
export type { MessageValidator, ValidationFailure } from './session/message-validator.js';
export { BusinessRejectReason, SessionRejectReason } from './session/reject-reasons.js';
export { sessionKey, type SessionConfig, type SessionId } from './session/session-config.js';
export type { SessionSchedule } from './session/session-schedule.js';
export type { ScheduleClock } from './session/session-window.js';
export type { FixEngineEvents, SessionCounters, SessionInfo, SessionStatus } from './session/session-events.js';

export {
  Tag,
  MsgType,
  ExecType,
  CxlRejResponseTo,
  CxlRejReason,
  OrdRejReason,
  MdReqRejReason,
  SubscriptionRequestType,
  MdUpdateType,
  MdUpdateAction,
  MdEntryType,
  SecurityTradingStatus,
  SecurityListRequestType,
  SecurityRequestResult,
  InstrAttribType,
  TradeRequestResult,
  TradeRequestStatus,
  TradSesStatus,
  TradSesStatusRejReason,
} from './fix44-values.js';

export type { FixMessageView } from './codec/message-view.js';
export { StringInterner } from './codec/string-interner.js';
export { loadDictionary, loadDictionaryShared } from './dictionary/loader.js';
export type { FixDictionary } from './dictionary/model.js';

export { quietFixLogger, type FixLogger } from './transport/fix-logger.js';
export type { TlsClientConfig, TlsServerConfig } from './transport/tls-config.js';
export type { MessageLogOptions } from './store/message-log.js';
export type { StoredMessage } from './store/message-store.js';
