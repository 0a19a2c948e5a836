// Binary encoding of venue commands for the journal: one type byte, then the fields in a fixed order as
// varints and length-prefixed strings. Prices and quantities are integers, so varints keep a typical
// order under ~60 bytes. Decoding validates nothing beyond the framing: the core validates commands.

import type {
  CancelCommand,
  EndOfDayCommand,
  MassCancelCommand,
  NewOrderCommand,
  PhaseCommand,
  RejectCommand,
  ReplaceCommand,
  RouteReportCommand,
  SetStpModeCommand,
  TimeCommand,
  TradingStatusCommand,
  VenueCommand,
} from '../model/commands.js';
import type { CancelReason, MarketPhase, OrdType, RejectReason, Side, StpMode, TimeInForce } from '../model/enums.js';
import type { ByteReader, ByteWriter } from './byte-writer.js';

const enum Tag {
  New = 1,
  Cancel = 2,
  Replace = 3,
  MassCancel = 4,
  Halt = 5,
  Resume = 6,
  Time = 7,
  EndOfDay = 8,
  SetStp = 9,
  /** A command type the core does not know: kept so that replay rejects it with the same numbers. */
  Unknown = 10,
  Reject = 11,
  /** A new order with an external route: the New fields, then the route (older journals have no route). */
  RoutedNew = 12,
  RouteReport = 13,
  /** A phase of the trading day: time, phase index (PHASES), symbol ('' = every instrument), trade date. */
  Phase = 14,
}

// Wire order of the phases: append only (the index is what the journal holds).
const PHASES: ReadonlyArray<MarketPhase> = ['closed', 'preOpen', 'continuous', 'preClose'];

const ROUTE_REPORT_KINDS: ReadonlyArray<RouteReportCommand['kind']> = [
  'acknowledged', 'fill', 'cancelled', 'expired', 'rejected', 'replaced', 'cancelRejected', 'replaceRejected',
];

const MASS_REASONS: ReadonlyArray<MassCancelCommand['reason']> = ['user', 'disconnect', 'kill-switch', 'ops'];

function reasonIndex(reason: MassCancelCommand['reason'], w: ByteWriter): number {
  const i = MASS_REASONS.indexOf(reason);
  if (i >= 0) return i;
  w.coerced = true;
  return 0;
}

/** The fields every order-entry command starts with. */
function writeRequest(w: ByteWriter, tag: Tag, cmd: NewOrderCommand | CancelCommand | ReplaceCommand | RejectCommand): void {
  w.u8(tag);
  w.num(cmd.time);
  w.str(cmd.session);
  w.str(cmd.firm);
  w.str(cmd.account);
  w.str(cmd.clOrdId);
}

/** The fields a cancel and a replace share: the request, then the order they refer to. */
function writeAmend(w: ByteWriter, tag: Tag, cmd: CancelCommand | ReplaceCommand): void {
  writeRequest(w, tag, cmd);
  w.str(cmd.origClOrdId);
  w.num(cmd.orderId);
  w.str(cmd.symbol);
  w.byte(cmd.side);
}

/**
 * Appends the command's encoding. Any value is accepted; when something had to be coerced `w.coerced` is
 * set, and the decoded command (not the raw one) is what the core must see.
 */
export function encodeCommand(w: ByteWriter, cmd: VenueCommand): void {
  switch (cmd.type) {
    case 'new': {
      const route = typeof cmd.route === 'string' ? cmd.route : '';
      writeRequest(w, route === '' ? Tag.New : Tag.RoutedNew, cmd);
      w.str(cmd.symbol);
      w.byte(cmd.side);
      w.byte(cmd.ordType);
      w.byte(cmd.timeInForce);
      w.num(cmd.price);
      w.num(cmd.stopPx);
      w.num(cmd.qty);
      w.num(cmd.minQty);
      w.num(cmd.maxFloor);
      w.bool(cmd.postOnly);
      w.num(cmd.expireTime);
      w.str(cmd.exDestination);
      if (route !== '') w.str(route);
      return;
    }
    case 'cancel':
      writeAmend(w, Tag.Cancel, cmd);
      return;
    case 'replace':
      writeAmend(w, Tag.Replace, cmd);
      w.byte(cmd.ordType);
      w.byte(cmd.timeInForce);
      w.num(cmd.price);
      w.num(cmd.stopPx);
      w.num(cmd.qty);
      w.num(cmd.maxFloor);
      w.num(cmd.expireTime);
      return;
    case 'massCancel':
      w.u8(Tag.MassCancel);
      w.num(cmd.time);
      w.str(cmd.requestedBy);
      w.str(cmd.requestId);
      w.str(cmd.firm);
      w.str(cmd.account);
      w.str(cmd.session);
      w.str(cmd.symbol);
      w.byte(cmd.side);
      w.byte(reasonIndex(cmd.reason, w));
      return;
    case 'halt':
    case 'resume':
      w.u8(cmd.type === 'halt' ? Tag.Halt : Tag.Resume);
      w.num(cmd.time);
      w.str(cmd.symbol);
      w.str(cmd.reason);
      return;
    case 'phase': {
      // A phase the core does not know is kept as one it will refuse the same way on replay.
      const phase = PHASES.indexOf(cmd.phase);
      w.u8(phase < 0 ? Tag.Unknown : Tag.Phase);
      w.num(cmd.time);
      if (phase < 0) {
        w.str('phase');
        w.coerced = true;
        return;
      }
      w.byte(phase);
      w.str(cmd.symbol);
      w.str(cmd.tradeDate);
      return;
    }
    case 'time':
      w.u8(Tag.Time);
      w.num(cmd.time);
      return;
    case 'endOfDay':
      w.u8(Tag.EndOfDay);
      w.num(cmd.time);
      w.str(cmd.tradeDate);
      return;
    case 'setStp':
      w.u8(Tag.SetStp);
      w.num(cmd.time);
      w.str(cmd.account);
      w.byte(cmd.mode);
      return;
    case 'reject':
      writeRequest(w, Tag.Reject, cmd);
      w.str(cmd.command);
      w.str(cmd.origClOrdId);
      w.str(cmd.symbol);
      w.byte(cmd.side);
      w.str(cmd.sideCode);
      w.str(cmd.reason);
      w.str(cmd.text);
      w.num(cmd.ordRejReason);
      w.num(cmd.cxlRejReason);
      return;
    case 'routeReport': {
      // An unknown kind is written as a report about order 0, which never exists: it replays as the no-op it was.
      const kind = ROUTE_REPORT_KINDS.indexOf(cmd.kind);
      if (kind < 0) w.coerced = true;
      w.u8(Tag.RouteReport);
      w.num(cmd.time);
      w.str(cmd.route);
      w.num(kind < 0 ? 0 : cmd.orderId);
      w.byte(kind < 0 ? 0 : kind);
      w.str(cmd.externalOrderId);
      w.str(cmd.execId);
      w.num(cmd.price);
      w.num(cmd.qty);
      w.str(cmd.cancelReason);
      w.str(cmd.text);
      w.num(cmd.baseQty);
      return;
    }
    default: {
      const type: unknown = (cmd as { type?: unknown }).type;
      w.u8(Tag.Unknown);
      w.num((cmd as { time?: number }).time ?? Number.NaN);
      w.str(typeof type === 'string' ? type : String(type));
      w.coerced = true;
      return;
    }
  }
}

/**
 * Decodes one command, or returns null when the bytes do not form one. Fields are read straight into the
 * object literals in wire order: spreading a helper's result into a literal takes V8's slow generic copy.
 */
export function decodeCommand(r: ByteReader): VenueCommand | null {
  const tag = r.u8();
  let cmd: VenueCommand | null;
  switch (tag) {
    case Tag.New:
    case Tag.RoutedNew: {
      const c: NewOrderCommand = {
        type: 'new', time: r.num(), session: r.str(), firm: r.str(), account: r.str(), clOrdId: r.str(),
        symbol: r.str(), side: r.u8() as Side, ordType: r.u8() as OrdType,
        timeInForce: r.u8() as TimeInForce, price: r.num(), stopPx: r.num(), qty: r.num(), minQty: r.num(),
        maxFloor: r.num(), postOnly: r.u8() === 1, expireTime: r.num(), exDestination: r.str(),
      };
      if (tag === Tag.RoutedNew) c.route = r.str();
      cmd = c;
      break;
    }
    case Tag.RouteReport: {
      const time = r.num();
      const route = r.str();
      const orderId = r.num();
      const kind = ROUTE_REPORT_KINDS[r.u8()];
      if (kind === undefined) return null;
      const c: RouteReportCommand = {
        type: 'routeReport', time, route, orderId, kind, externalOrderId: r.str(), execId: r.str(),
        price: r.num(), qty: r.num(), cancelReason: r.str() as CancelReason | '', text: r.str(), baseQty: r.num(),
      };
      cmd = c;
      break;
    }
    case Tag.Cancel: {
      const c: CancelCommand = {
        type: 'cancel', time: r.num(), session: r.str(), firm: r.str(), account: r.str(), clOrdId: r.str(),
        origClOrdId: r.str(), orderId: r.num(), symbol: r.str(), side: r.u8() as Side,
      };
      cmd = c;
      break;
    }
    case Tag.Replace: {
      const c: ReplaceCommand = {
        type: 'replace', time: r.num(), session: r.str(), firm: r.str(), account: r.str(), clOrdId: r.str(),
        origClOrdId: r.str(), orderId: r.num(), symbol: r.str(), side: r.u8() as Side,
        ordType: r.u8() as OrdType, timeInForce: r.u8() as TimeInForce, price: r.num(),
        stopPx: r.num(), qty: r.num(), maxFloor: r.num(), expireTime: r.num(),
      };
      cmd = c;
      break;
    }
    case Tag.MassCancel: {
      const c: MassCancelCommand = {
        type: 'massCancel', time: r.num(), requestedBy: r.str(), requestId: r.str(), firm: r.str(), account: r.str(),
        session: r.str(), symbol: r.str(), side: r.u8() as Side | 0, reason: MASS_REASONS[r.u8()] ?? 'user',
      };
      cmd = c;
      break;
    }
    case Tag.Halt:
    case Tag.Resume: {
      const c: TradingStatusCommand = { type: tag === Tag.Halt ? 'halt' : 'resume', time: r.num(), symbol: r.str(), reason: r.str() };
      cmd = c;
      break;
    }
    case Tag.Phase: {
      const time = r.num();
      const phase = PHASES[r.u8()];
      if (phase === undefined) return null;
      const c: PhaseCommand = { type: 'phase', time, phase, symbol: r.str(), tradeDate: r.str() };
      cmd = c;
      break;
    }
    case Tag.Time: {
      const c: TimeCommand = { type: 'time', time: r.num() };
      cmd = c;
      break;
    }
    case Tag.EndOfDay: {
      const c: EndOfDayCommand = { type: 'endOfDay', time: r.num(), tradeDate: r.str() };
      cmd = c;
      break;
    }
    case Tag.SetStp: {
      const c: SetStpModeCommand = { type: 'setStp', time: r.num(), account: r.str(), mode: r.u8() as StpMode };
      cmd = c;
      break;
    }
    case Tag.Reject: {
      const c: RejectCommand = {
        type: 'reject', time: r.num(), session: r.str(), firm: r.str(), account: r.str(), clOrdId: r.str(),
        command: r.str() as RejectCommand['command'], origClOrdId: r.str(), symbol: r.str(),
        side: r.u8() as Side | 0, sideCode: r.str(), reason: r.str() as RejectReason, text: r.str(), ordRejReason: r.num(),
        cxlRejReason: r.num(),
      };
      cmd = c;
      break;
    }
    case Tag.Unknown: {
      const time = r.num();
      cmd = { type: r.str(), time } as unknown as VenueCommand;
      break;
    }
    default:
      return null;
  }
  return r.overrun || r.pos !== r.end ? null : cmd;
}
