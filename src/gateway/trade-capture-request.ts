// Reads a TradeCaptureReportRequest(AD) into a trade query, or into the TradeRequestResult(749) and Text that refuse
// it. Supported: TradeRequestType 0 (all trades) and 1 (matched trades: every venue trade is matched), a snapshot
// (SubscriptionRequestType absent or 0), a time range in NoDates(580), and filters Symbol, Side, TradeReportID /
// TrdMatchID (the match id), OrderID, ClOrdID and Parties (firm by PartyRole 1, 7 or 13; account by PartyRole 24).
// Any other body field would narrow the request in a way the venue cannot honour, so it is refused by name rather
// than ignored (ignoring it would return trades the requester did not ask for).

import { type FixMessageView, Tag, TradeRequestResult } from '../fix/index.js';

const DAY_MS = 86_400_000;
/** FixMessageView.sectionAt(): header 0, body 1, trailer 2. */
const BODY_SECTION = 1;

const PartyRole = { ExecutingFirm: 1, EnteringFirm: 7, OrderOriginationFirm: 13, CustomerAccount: 24 } as const;
const FIRM_ROLES: readonly number[] = [PartyRole.ExecutingFirm, PartyRole.EnteringFirm, PartyRole.OrderOriginationFirm];

/** Body tags the query understands; NoDates, Parties and their members are read as groups. */
const UNDERSTOOD = new Set<number>([
  Tag.TradeRequestID, Tag.TradeRequestType, Tag.SubscriptionRequestType, Tag.TradeReportID, Tag.TrdMatchID,
  Tag.OrderID, Tag.ClOrdID, Tag.Side, Tag.Symbol, Tag.NoDates, Tag.NoPartyIDs, Tag.Text,
  354 /* EncodedTextLen */, 355 /* EncodedText */, 725 /* ResponseTransportType: 0 in-band is all we do */,
]);

export interface TradeQuery {
  ok: true;
  requestId: string;
  requestType: number;
  /** Inclusive range, epoch ms. */
  from: number;
  to: number;
  symbol: string;
  /** FIX Side code, '' for any. */
  side: string;
  /** Match id as text (TradeReportID / TrdMatchID), '' for any. */
  matchId: string;
  orderId: string;
  clOrdId: string;
  firm: string;
  account: string;
}

export interface TradeQueryRefusal {
  ok: false;
  requestId: string;
  requestType: number;
  result: number;
  text: string;
}

export function readTradeCaptureRequest(view: FixMessageView, now: number): TradeQuery | TradeQueryRefusal {
  const requestId = view.getString(Tag.TradeRequestID) ?? '';
  const requestType = view.getInt(Tag.TradeRequestType) ?? -1;
  const refuse = (result: number, text: string): TradeQueryRefusal => ({ ok: false, requestId, requestType: Number.isSafeInteger(requestType) ? requestType : -1, result, text });
  if (requestId === '') return refuse(TradeRequestResult.Other, 'TradeRequestID(568) is required');
  if (requestType !== 0 && requestType !== 1) {
    return refuse(TradeRequestResult.TradeRequestTypeNotSupported, `TradeRequestType(569) ${view.getString(Tag.TradeRequestType) ?? 'missing'} is not supported: 0 (all trades) or 1 (matched trades)`);
  }
  const subscription = view.getString(Tag.SubscriptionRequestType);
  if (subscription !== undefined && subscription !== '0') {
    return refuse(TradeRequestResult.Other, `SubscriptionRequestType(263) ${subscription} is not supported: trade capture answers snapshots (0); real-time copies come through drop copy`);
  }
  const transport = view.getString(Tag.ResponseTransportType);
  if (transport !== undefined && transport !== '0') return refuse(TradeRequestResult.Other, 'ResponseTransportType(725) must be 0 (in-band)');
  for (let i = 0; i < view.fieldCount; i++) {
    if (view.ownerAt(i) !== -1 || view.sectionAt(i) !== BODY_SECTION) continue;
    const tag = view.tagAt(i);
    if (!UNDERSTOOD.has(tag)) return refuse(TradeRequestResult.Other, `tag ${tag} is not supported as a trade capture filter`);
  }

  const range = readRange(view, now);
  if (typeof range === 'string') return refuse(TradeRequestResult.Other, range);

  let firm = '';
  let account = '';
  const parties = view.groupSize(Tag.NoPartyIDs);
  for (let k = 0; k < parties; k++) {
    const inst = view.groupInstance(Tag.NoPartyIDs, k);
    const id = view.getStringIn(inst, Tag.PartyID) ?? '';
    const role = view.getIntIn(inst, Tag.PartyRole);
    if (id === '') return refuse(TradeRequestResult.InvalidParties, `party ${k + 1} has no PartyID(448)`);
    if (role !== undefined && FIRM_ROLES.includes(role)) {
      if (firm !== '' && firm !== id) return refuse(TradeRequestResult.InvalidParties, 'more than one firm in Parties: ask for one firm per request');
      firm = id;
    } else if (role === PartyRole.CustomerAccount) {
      if (account !== '' && account !== id) return refuse(TradeRequestResult.InvalidParties, 'more than one account in Parties: ask for one account per request');
      account = id;
    } else {
      return refuse(TradeRequestResult.InvalidParties, `PartyRole(452) ${view.getStringIn(inst, Tag.PartyRole) ?? 'missing'} is not supported: 1, 7 or 13 for a firm, 24 for an account`);
    }
  }

  const side = view.getString(Tag.Side) ?? '';
  if (side !== '' && side !== '1' && side !== '2') return refuse(TradeRequestResult.Other, `Side(54) ${side} is not supported: 1 (buy) or 2 (sell)`);
  const reportId = view.getString(Tag.TradeReportID) ?? '';
  const matchId = view.getString(Tag.TrdMatchID) ?? '';
  if (reportId !== '' && matchId !== '' && reportId !== matchId) {
    return refuse(TradeRequestResult.Other, 'TradeReportID(571) and TrdMatchID(880) name different trades (both are the venue match id)');
  }
  return {
    ok: true,
    requestId,
    requestType,
    from: range.from,
    to: range.to,
    symbol: view.getString(Tag.Symbol) ?? '',
    side,
    matchId: reportId || matchId,
    orderId: view.getString(Tag.OrderID) ?? '',
    clOrdId: view.getString(Tag.ClOrdID) ?? '',
    firm,
    account,
  };
}

/**
 * NoDates(580): one instance is a start (TransactTime: from then until now) or a whole trade date (TradeDate alone);
 * two are the start and the end of the range. A TradeDate bound covers its whole UTC day. Returns a text on error.
 */
function readRange(view: FixMessageView, now: number): { from: number; to: number } | string {
  const n = view.groupSize(Tag.NoDates);
  if (n === 0) return 'a time range is required: NoDates(580) with TransactTime(60) or TradeDate(75)';
  if (n > 2) return `NoDates(580) has ${n} entries: give 1 (start, or one trade date) or 2 (start and end)`;
  const first = bound(view, 0);
  if (typeof first === 'string') return first;
  let from = first.start;
  let to = first.exact ? now : first.end;
  if (n === 2) {
    const second = bound(view, 1);
    if (typeof second === 'string') return second;
    to = second.exact ? second.start : second.end;
  }
  if (from > to) return `the range starts after it ends (${new Date(from).toISOString()} > ${new Date(to).toISOString()})`;
  if (from < 0) from = 0;
  return { from, to };
}

interface Bound {
  /** First ms covered. */
  start: number;
  /** Last ms covered (the end of the day for a TradeDate). */
  end: number;
  /** A TransactTime (a point) rather than a TradeDate (a day). */
  exact: boolean;
}

function bound(view: FixMessageView, k: number): Bound | string {
  const inst = view.groupInstance(Tag.NoDates, k);
  const ti = view.indexIn(inst, Tag.TransactTime);
  if (ti >= 0) {
    const ms = view.timestampAt(ti);
    if (Number.isNaN(ms)) return `NoDates(580) entry ${k + 1}: TransactTime(60) ${view.stringAt(ti)} is not a UTC timestamp`;
    return { start: ms, end: ms, exact: true };
  }
  const di = view.indexIn(inst, Tag.TradeDate);
  if (di >= 0) {
    const ms = view.dateAt(di);
    if (Number.isNaN(ms) || compactDate(ms) !== view.stringAt(di)) return `NoDates(580) entry ${k + 1}: TradeDate(75) ${view.stringAt(di)} is not a date (YYYYMMDD)`;
    return { start: ms, end: ms + DAY_MS - 1, exact: false };
  }
  return `NoDates(580) entry ${k + 1} has neither TransactTime(60) nor TradeDate(75)`;
}

/** "YYYYMMDD" of a UTC midnight: a date that does not print back as it was written (20250231) does not exist. */
function compactDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}
