// Reads a MarketDataRequest(V) into what the service acts on, or into the MDReqRejReason and Text that refuse it.
// The session layer has already checked required fields, formats and enums against the dictionary; this decides
// what the venue supports. Every refusal names the field and the value, so a member's developer can fix the
// request from the reject alone.

import {
  type FixMessageView,
  MdEntryType,
  MdReqRejReason,
  MdUpdateType,
  SubscriptionRequestType,
  Tag,
} from '../fix/index.js';
import { EntryMask, UNPUBLISHED_ENTRY_TYPES } from './md-codes.js';

export interface MdRequest {
  ok: true;
  reqId: string;
  /** SubscriptionRequestType(263): '0' snapshot, '1' snapshot + updates, '2' unsubscribe. */
  kind: string;
  /** 0 for the full book. */
  depth: number;
  fullRefresh: boolean;
  types: number;
  /** Distinct symbols in request order (not checked against the instruments here). */
  symbols: string[];
}

export interface MdRefusal {
  ok: false;
  reqId: string;
  /** MDReqRejReason(281); empty when no code fits (an unknown MDReqID to unsubscribe). */
  reason: string;
  text: string;
}

export function readMarketDataRequest(view: FixMessageView, maxDepth: number): MdRequest | MdRefusal {
  const reqId = view.getString(Tag.MDReqID) ?? '';
  const refuse = (reason: string, text: string): MdRefusal => ({ ok: false, reqId, reason, text });
  if (reqId === '') return refuse('', 'MDReqID(262) is required');
  const kind = view.getString(Tag.SubscriptionRequestType) ?? '';
  if (kind === SubscriptionRequestType.Unsubscribe) {
    return { ok: true, reqId, kind, depth: 0, fullRefresh: false, types: 0, symbols: [] };
  }
  if (kind !== SubscriptionRequestType.Snapshot && kind !== SubscriptionRequestType.SnapshotAndUpdates) {
    return refuse(MdReqRejReason.UnsupportedSubscriptionRequestType, `SubscriptionRequestType(263) must be 0, 1 or 2, not '${kind}'`);
  }

  const depth = view.getInt(Tag.MarketDepth);
  if (depth === undefined || !Number.isSafeInteger(depth) || depth < 0 || depth > maxDepth) {
    return refuse(
      MdReqRejReason.UnsupportedMarketDepth,
      `MarketDepth(264) ${view.getString(Tag.MarketDepth) ?? 'missing'} is not supported: 0 (full book), 1 (top of book) or up to ${maxDepth} levels`,
    );
  }

  let fullRefresh = false;
  const updateType = view.getInt(Tag.MDUpdateType);
  if (updateType !== undefined && kind === SubscriptionRequestType.SnapshotAndUpdates) {
    if (updateType !== MdUpdateType.FullRefresh && updateType !== MdUpdateType.IncrementalRefresh) {
      return refuse(MdReqRejReason.UnsupportedMdUpdateType, `MDUpdateType(265) must be 0 (full refresh) or 1 (incremental), not ${view.getString(Tag.MDUpdateType)}`);
    }
    fullRefresh = updateType === MdUpdateType.FullRefresh;
  }

  if (view.getBoolean(Tag.AggregatedBook) === false) {
    return refuse(MdReqRejReason.UnsupportedAggregatedBook, 'AggregatedBook(266)=N is not supported: the venue publishes price levels (aggregated book) only');
  }
  const scope = view.getString(Tag.Scope);
  if (scope !== undefined && scope !== '1') {
    return refuse(MdReqRejReason.UnsupportedScope, `Scope(546) ${scope} is not supported: only 1 (local market)`);
  }
  if (view.has(Tag.OpenCloseSettlFlag)) {
    return refuse(MdReqRejReason.UnsupportedOpenCloseSettleFlag, 'OpenCloseSettlFlag(286) is not supported');
  }
  const sessions = view.groupSize(Tag.NoTradingSessions);
  for (let k = 0; k < sessions; k++) {
    const id = view.getStringIn(view.groupInstance(Tag.NoTradingSessions, k), Tag.TradingSessionID);
    if (id !== undefined) {
      return refuse(MdReqRejReason.UnsupportedTradingSessionId, `TradingSessionID(336) ${id} is not supported: the venue has one continuous session; leave it out`);
    }
  }

  let types = 0;
  const typeCount = view.groupSize(Tag.NoMDEntryTypes);
  for (let k = 0; k < typeCount; k++) {
    const t = view.getStringIn(view.groupInstance(Tag.NoMDEntryTypes, k), Tag.MDEntryType) ?? '';
    if (t === MdEntryType.Bid) types |= EntryMask.Bid;
    else if (t === MdEntryType.Offer) types |= EntryMask.Offer;
    else if (t === MdEntryType.Trade) types |= EntryMask.Trade;
    else if (t === MdEntryType.Imbalance) types |= EntryMask.Imbalance;
    else {
      const name = UNPUBLISHED_ENTRY_TYPES[t];
      return refuse(
        MdReqRejReason.UnsupportedMdEntryType,
        `MDEntryType(269) ${t}${name ? ` (${name})` : ''} is not published; supported: 0 bid, 1 offer, 2 trade, A imbalance (indicative auction price)`,
      );
    }
  }
  if (types === 0) return refuse(MdReqRejReason.UnsupportedMdEntryType, 'NoMDEntryTypes(267) lists no MDEntryType(269): ask for 0 bid, 1 offer, 2 trade and/or A imbalance');

  const symbols: string[] = [];
  const symbolCount = view.groupSize(Tag.NoRelatedSym);
  for (let k = 0; k < symbolCount; k++) {
    const symbol = view.getStringIn(view.groupInstance(Tag.NoRelatedSym, k), Tag.Symbol);
    if (symbol === undefined || symbol === '') {
      return refuse(MdReqRejReason.UnknownSymbol, `NoRelatedSym(146) entry ${k + 1} has no Symbol(55); instruments are identified by Symbol`);
    }
    if (!symbols.includes(symbol)) symbols.push(symbol);
  }
  if (symbols.length === 0) return refuse(MdReqRejReason.UnknownSymbol, 'NoRelatedSym(146) lists no instrument');
  return { ok: true, reqId, kind, depth, fullRefresh, types, symbols };
}
