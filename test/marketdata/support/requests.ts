// Request bodies the test clients send, and readers that turn received market data into compact rows to compare.

import type { BodyWriter, FieldWriter } from '../../../src/fix/index.js';
import { field, group, type Msg } from './fix-client.js';

export interface MdRequestSpec {
  reqId: string;
  /** SubscriptionRequestType: '0' snapshot, '1' snapshot + updates (default), '2' unsubscribe. */
  kind?: string;
  depth?: number;
  /** MDEntryTypes (default bid and offer). */
  types?: string[];
  symbols?: string[];
  updateType?: number;
  /** More fields (AggregatedBook, Scope, ...). */
  extra?: (w: FieldWriter) => void;
}

export function mdRequest(s: MdRequestSpec): BodyWriter {
  return (w) => {
    w.str(262, s.reqId);
    w.char(263, s.kind ?? '1');
    w.int(264, s.depth ?? 0);
    if (s.updateType !== undefined) w.int(265, s.updateType);
    const types = s.types ?? ['0', '1'];
    w.group(267, types.length);
    for (const t of types) w.instance().char(269, t);
    w.endGroup();
    const symbols = s.symbols ?? ['BTCUSDT'];
    w.group(146, symbols.length);
    for (const sym of symbols) w.instance().str(55, sym);
    w.endGroup();
    s.extra?.(w);
  };
}

export function unsubscribe(reqId: string): BodyWriter {
  return mdRequest({ reqId, kind: '2' });
}

export function securityListRequest(reqId: string, type: number, symbol?: string, extra?: (w: FieldWriter) => void): BodyWriter {
  return (w) => {
    w.str(320, reqId);
    w.int(559, type);
    if (symbol !== undefined) w.str(55, symbol);
    extra?.(w);
  };
}

/** One NoMDEntries instance as "action type symbol px size orders" (absent fields left out), e.g. "0 0 BTCUSDT 100.00 0.00005 1". */
export function row(e: Msg): string {
  return [279, 269, 55, 270, 271, 346, 278]
    .map((t) => field(e, t))
    .filter((v) => v !== undefined)
    .join(' ');
}

export function rows(m: Msg): string[] {
  return group(m, 268).map(row);
}
