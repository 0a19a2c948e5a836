// Prints what the venue sends in words a member's developer can read at a glance, and remembers orders so
// later commands can refer to them by the id shown.

import type { FixMessageView } from '../../src/fix/index.js';
import type { KnownOrder } from './commands.js';

const EXEC_TYPE: Record<string, string> = {
  '0': 'NEW', '4': 'CANCELLED', '5': 'REPLACED', '6': 'PENDING CANCEL', '8': 'REJECTED', A: 'PENDING NEW',
  C: 'EXPIRED', D: 'RESTATED', E: 'PENDING REPLACE', F: 'TRADE', I: 'STATUS',
};
const ORD_STATUS: Record<string, string> = {
  '0': 'new', '1': 'partially filled', '2': 'filled', '4': 'cancelled', '5': 'replaced', '6': 'pending cancel',
  '8': 'rejected', A: 'pending new', C: 'expired', E: 'pending replace',
};
const SIDE: Record<string, string> = { '1': 'buy', '2': 'sell' };

export class OrderBookkeeper {
  private readonly byId = new Map<string, KnownOrder>();

  lookup(id: string): KnownOrder | undefined {
    return this.byId.get(id);
  }

  /** Remembers an order as it is sent, so commands can refer to it before its first report arrives. */
  sent(order: KnownOrder): void {
    if (!this.byId.has(order.clOrdId)) this.byId.set(order.clOrdId, { ...order });
  }

  /** Learns from an ExecutionReport: new orders, replaces (the new ClOrdID joins the chain). */
  learn(m: FixMessageView): void {
    const clOrdId = m.getString(11);
    if (clOrdId === undefined) return;
    const orig = m.getString(41);
    const existing = (orig !== undefined ? this.byId.get(orig) : undefined) ?? this.byId.get(clOrdId);
    const execType = m.getString(150);
    if (execType === '4' || execType === '8' || execType === 'I') {
      if (!existing && execType === '8') return;
    }
    const entry: KnownOrder = existing ?? { clOrdId, side: m.getString(54) ?? '1', symbol: m.getString(55) ?? '', qty: '', price: '' };
    if (execType !== '4') entry.clOrdId = clOrdId;
    entry.qty = m.getString(38) ?? entry.qty;
    entry.price = m.getString(44) ?? entry.price;
    this.byId.set(clOrdId, entry);
  }
}

function field(m: FixMessageView, tag: number, fallback = '-'): string {
  return m.getString(tag) ?? fallback;
}

/**
 * One line for a message. `known` is what this client sent for the order the message is about (a refused order's
 * report carries no quantity or price of its own). Drop copies (CopyMsgIndicator=Y) are marked COPY.
 */
export function describeMessage(m: FixMessageView, known?: KnownOrder): string {
  const copy = m.getString(797) === 'Y' ? 'COPY ' : '';
  switch (m.msgType) {
    case '8': {
      const execType = field(m, 150);
      const qty = m.getString(38) ?? known?.qty ?? '';
      const price = m.getString(44) ?? (known?.price || undefined);
      // A refused new order never existed: its zero quantities say nothing.
      const refusedNew = execType === '8' && field(m, 37) === 'NONE';
      const parts = [
        `${copy}EXEC ${(EXEC_TYPE[execType] ?? execType).padEnd(9)} ${field(m, 11)}`,
        `${SIDE[field(m, 54)] ?? field(m, 54)} ${qty} ${field(m, 55)}${price !== undefined ? ` @ ${price}` : ''}`,
        `status ${ORD_STATUS[field(m, 39)] ?? field(m, 39)}`,
      ];
      if (!refusedNew) parts.push(`cum ${field(m, 14)} leaves ${field(m, 151)} avg ${field(m, 6)}`);
      if (m.has(32)) parts.push(`last ${field(m, 32)} @ ${field(m, 31)}`);
      if (m.has(41)) parts.push(`orig ${field(m, 41)}`);
      if (m.has(58)) parts.push(`text "${field(m, 58)}"`);
      if (m.has(103)) parts.push(`OrdRejReason ${field(m, 103)}`);
      parts.push(`(order ${field(m, 37)}, exec ${field(m, 17)})`);
      return parts.join('  ');
    }
    case '9':
      return `${copy}CANCEL REJECT ${field(m, 11)} for ${field(m, 41)}: reason ${field(m, 102)} "${field(m, 58, '')}" (order ${field(m, 37)}, status ${ORD_STATUS[field(m, 39)] ?? field(m, 39)})`;
    case 'r':
      return `MASS CANCEL ${field(m, 11)}: response ${field(m, 531)}, ${field(m, 533, '0')} orders affected${m.has(58) ? ` "${field(m, 58)}"` : ''}`;
    case 'j':
      return `BUSINESS REJECT of ${field(m, 372)} (seq ${field(m, 45)}): reason ${field(m, 380)} "${field(m, 58, '')}"`;
    case '3':
      return `SESSION REJECT of seq ${field(m, 45)}: reason ${field(m, 373)} tag ${field(m, 371)} "${field(m, 58, '')}"`;
    case 'W':
    case 'X':
      return `${m.msgType === 'W' ? 'BOOK SNAPSHOT' : 'BOOK UPDATE'} ${field(m, 55, '')}  ${mdEntries(m)}`;
    case 'y':
      return `SECURITIES  ${valuesOf(m, 55).join(', ')}`;
    case 'Y':
      return `MARKET DATA REJECT ${field(m, 262)}: reason ${field(m, 281)} "${field(m, 58, '')}"`;
    case 'AE':
      return `TRADE REPORT ${field(m, 571)}  ${field(m, 32)} ${field(m, 55)} @ ${field(m, 31)}  at ${field(m, 60)}`;
    case 'AQ':
      return `TRADE CAPTURE ACK ${field(m, 568)}: status ${field(m, 750)}, ${field(m, 748, '0')} reports${m.has(58) ? ` "${field(m, 58)}"` : ''}`;
    default:
      return `${m.msgType}  ${m.toString()}`;
  }
}

const ENTRY_TYPE: Record<string, string> = { '0': 'bid', '1': 'offer', '2': 'trade' };
const ACTION: Record<string, string> = { '0': '+', '1': '~', '2': '-' };

/** "bid 0.5@60000.00, offer 1@60001.00" from the NoMDEntries group, in wire order. */
function mdEntries(m: FixMessageView): string {
  const out: string[] = [];
  let cur: { action: string; type: string; px: string; size: string; symbol: string } | null = null;
  const push = (): void => {
    if (cur) out.push(`${cur.action}${ENTRY_TYPE[cur.type] ?? cur.type} ${cur.size}@${cur.px}${cur.symbol ? ` ${cur.symbol}` : ''}`);
  };
  for (let i = 0; i < m.fieldCount; i++) {
    const tag = m.tagAt(i);
    const value = m.stringAt(i);
    // An entry starts at MDUpdateAction(279) in X; in W (no 279) at each MDEntryType(269).
    if (tag === 279 || (tag === 269 && (cur === null || cur.type !== ''))) {
      push();
      cur = { action: '', type: '', px: '', size: '', symbol: '' };
    }
    if (cur === null) continue;
    if (tag === 279) cur.action = ACTION[value] ?? value;
    else if (tag === 269) cur.type = value;
    else if (tag === 270) cur.px = value;
    else if (tag === 271) cur.size = value;
    else if (tag === 55 && m.msgType === 'X') cur.symbol = value;
  }
  push();
  return out.length > 0 ? out.join(', ') : '(empty)';
}

function valuesOf(m: FixMessageView, tag: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.fieldCount; i++) if (m.tagAt(i) === tag) out.push(m.stringAt(i));
  return out;
}

/**
 * The answer to `orders` (OrderMassStatusRequest): a header with the count before the first report, each order
 * indented under it, and the venue's "none" answer as a header of its own.
 */
export function describeMassStatus(m: FixMessageView, known: KnownOrder | undefined, first: boolean): string[] {
  const total = Number(field(m, 911, '0'));
  const request = field(m, 584);
  if (total === 0) return [`ORDERS (request ${request}): no live orders${m.has(58) ? ` ("${field(m, 58)}")` : ''}`];
  const lines = first ? [`ORDERS (request ${request}): ${total} live order${total === 1 ? '' : 's'}`] : [];
  lines.push(`  ${describeMessage(m, known)}`);
  return lines;
}
