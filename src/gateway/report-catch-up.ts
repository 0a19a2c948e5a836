// Reports the journal owes a session after a crash. Each turn the journal is written first and the FIX session
// stores after it (the engine's flush barrier), so a crash between the two leaves commands in the journal whose
// ExecutionReports no store holds: the member (and the drop copy) would never hear of those acceptances and
// fills. At start-up, after the journal replay and before any session logs on, each session's store is read
// backwards to the newest report it holds for a venue event (ExecIDs derive from event seqs), and the replayed
// events after it are reported again to that session only. They are stored like any report sent while the member
// is away, so the member receives them by ordinary resend, exactly once: reports below the store's newest one are
// already there, because a session's reports are stored in event order and a torn store loses a suffix. The newest
// event itself may be there only in part: a trade is two reports to a session that owns both sides and to a drop
// copy (ExecIDs <seq>B and <seq>S, stored one after the other), and a torn tail can keep the first and cut the
// second. So the head also lists the ExecIDs of that event the store holds, and only its other reports are owed.

import { MsgType, Tag, type StoredMessage } from '../fix/index.js';
import { isSingleOrderEvent, type VenueEvent } from '../venue/model/events.js';

/** What a session's store already holds of the venue's event stream. */
export interface ReportHead {
  /** Highest event seq among the stored ExecutionReports; 0 when the store holds none. */
  eventSeq: number;
  /** ExecIDs of that event's stored ExecutionReports (a trade's may be one of two). */
  heldAtHead: Set<string>;
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
 * carry other ExecIDs and are skipped), and on to the reports of an older event, collecting the newest event's
 * ExecIDs; at most `maxScan` messages.
 */
export async function readReportHead(range: StoredRange, nextSenderSeq: number, since: number, maxScan = 200_000): Promise<ReportHead> {
  const head: ReportHead = { eventSeq: 0, heldAtHead: new Set(), cancelRejectsAfter: new Set(), since };
  const chunk = 512;
  for (let end = nextSenderSeq - 1; end >= 1 && nextSenderSeq - end <= maxScan; end -= chunk) {
    const messages = await range(Math.max(1, end - chunk + 1), end);
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.admin) continue;
      const type = fieldOf(m.bytes, Tag.MsgType);
      if (type === MsgType.OrderCancelReject && head.eventSeq === 0) head.cancelRejectsAfter.add(fieldOf(m.bytes, Tag.ClOrdID));
      if (type !== MsgType.ExecutionReport) continue;
      const execId = fieldOf(m.bytes, Tag.ExecID);
      const found = EVENT_EXEC_ID.exec(execId);
      if (found === null) continue;
      const seq = Number(found[1]);
      if (head.eventSeq !== 0 && seq !== head.eventSeq) return head;
      head.eventSeq = seq;
      head.heldAtHead.add(execId);
    }
  }
  return head;
}

/**
 * Whether a session is owed an event's reports again: its store head is below the event (or at it, holding only
 * some of its reports), it was not reset after it, and (for a cancel/replace refusal) it does not hold its
 * OrderCancelReject already. With `execId`, whether it is owed that one report ('' for an OrderCancelReject); without,
 * whether it may be owed any.
 */
export function owedTo(e: VenueEvent, head: ReportHead | undefined, execId?: string): boolean {
  if (head === undefined || e.seq < head.eventSeq || e.time < head.since) return false;
  if (e.seq === head.eventSeq) return execId === undefined ? e.type === 'trade' : execId !== '' && !head.heldAtHead.has(execId);
  if (e.type === 'rejected' && (e.command === 'cancel' || e.command === 'replace')) return !head.cancelRejectsAfter.has(e.clOrdId);
  return true;
}

/** Sessions that own the orders an event reports on (drop copies aside). */
export function ownersOf(e: VenueEvent): string[] {
  if (isSingleOrderEvent(e)) return [e.order.session];
  if (e.type === 'trade') return [e.maker.session, e.taker.session];
  if (e.type === 'rejected') return [e.session];
  return [];
}
