// Reports the journal owes a session after a crash. Each turn the journal is written first and the FIX session
// stores after it (the engine's flush barrier), so a crash between the two leaves commands in the journal whose
// ExecutionReports no store holds: the member (and the drop copy) would never hear of those acceptances and
// fills. At start-up, after the journal replay and before any session logs on, each session's store is read
// backwards to the newest report it holds for a venue event (ExecIDs derive from event seqs), and the replayed
// events after it are reported again to that session only. They are stored like any report sent while the member
// is away, so the member receives them by ordinary resend, exactly once: reports at or below the store's newest
// one are already there, because a session's reports are stored in event order and a torn store loses a suffix.

import type { StoredMessage } from '../fix/index.js';
import type { VenueEvent } from '../venue/model/events.js';

/** What a session's store already holds of the venue's event stream. */
export interface ReportHead {
  /** Highest event seq among the stored ExecutionReports; 0 when the store holds none. */
  eventSeq: number;
  /** ClOrdIDs of OrderCancelRejects stored after that report (they carry no ExecID). */
  cancelRejectsAfter: Set<string>;
  /** Start of the store's epoch (ms): events before it belong to history the session reset away. */
  since: number;
}

/** Reads stored messages begin..end (inclusive) of one session. */
export type StoredRange = (begin: number, end: number) => Promise<StoredMessage[]>;

const SOH = 0x01;
const EVENT_EXEC_ID = /^(\d+)[BS]?$/;

/** The value of `tag` in a raw FIX message, or '' (a plain scan: this runs once per session at start-up). */
export function fieldOf(bytes: Buffer, tag: number): string {
  const key = Buffer.from(`\x01${tag}=`, 'latin1');
  const at = bytes.indexOf(key);
  if (at < 0) return '';
  const start = at + key.length;
  const end = bytes.indexOf(SOH, start);
  return bytes.toString('latin1', start, end < 0 ? bytes.length : end);
}

/**
 * Scans a store backwards from its newest message to the newest ExecutionReport of a venue event (status answers
 * carry other ExecIDs and are skipped), at most `maxScan` messages.
 */
export async function readReportHead(range: StoredRange, nextSenderSeq: number, since: number, maxScan = 200_000): Promise<ReportHead> {
  const head: ReportHead = { eventSeq: 0, cancelRejectsAfter: new Set(), since };
  const chunk = 512;
  for (let end = nextSenderSeq - 1; end >= 1 && nextSenderSeq - end <= maxScan; end -= chunk) {
    const messages = await range(Math.max(1, end - chunk + 1), end);
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.admin) continue;
      const type = fieldOf(m.bytes, 35);
      if (type === '9') head.cancelRejectsAfter.add(fieldOf(m.bytes, 11));
      if (type !== '8') continue;
      const found = EVENT_EXEC_ID.exec(fieldOf(m.bytes, 17));
      if (found !== null) {
        head.eventSeq = Number(found[1]);
        return head;
      }
    }
  }
  return head;
}

/**
 * Which sessions an event's reports must go to again: those whose store head is below it, that were not reset
 * after it, and (for a cancel/replace refusal) that do not hold its OrderCancelReject already.
 */
export function owedTo(e: VenueEvent, head: ReportHead | undefined): boolean {
  if (head === undefined || e.seq <= head.eventSeq || e.time < head.since) return false;
  if (e.type === 'rejected' && (e.command === 'cancel' || e.command === 'replace')) return !head.cancelRejectsAfter.has(e.clOrdId);
  return true;
}

/** Sessions that own the orders an event reports on (drop copies aside). */
export function ownersOf(e: VenueEvent): string[] {
  switch (e.type) {
    case 'accepted':
    case 'cancelled':
    case 'replaced':
    case 'expired':
    case 'triggered':
    case 'restated':
    case 'routed':
      return [e.order.session];
    case 'trade':
      return [e.maker.session, e.taker.session];
    case 'rejected':
      return [e.session];
    default:
      return [];
  }
}
