// Start-up wiring of the report catch-up (src/gateway/report-catch-up.ts): read what each reporting session's
// store holds before the journal replays, keep copies of the replayed events some store lacks, and have the
// gateway store their reports once the engine's flush barrier is in place.

import type { FixEngine } from '../fix/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { owedTo, ownersOf, readReportHead, type ReportHead } from '../gateway/report-catch-up.js';
import { copyEvent } from '../venue/event-copy.js';
import type { JournaledVenue } from '../venue/journal/journaled-venue.js';
import type { VenueEvent } from '../venue/model/events.js';
import { BEGIN_STRING } from './fix-engine-config.js';

export async function readReportHeads(engine: FixEngine, gateway: Gateway, compId: string): Promise<Map<string, ReportHead>> {
  const heads = new Map<string, ReportHead>();
  for (const id of gateway.reportedSessions()) {
    const store = engine.storeReader({ beginString: BEGIN_STRING, senderCompId: compId, targetCompId: id });
    if (store === undefined) continue;
    heads.set(id, await readReportHead((b, e) => store.range(b, e), store.nextSenderSeq, store.creationTime));
  }
  return heads;
}

/**
 * Subscribes (for the replay) a collector of the events whose reports some store lacks: those of an owner or a
 * drop copy whose head is below them. On an ordinary restart every head is current and nothing is copied.
 * Call stop() after the replay.
 */
export function collectOwedEvents(journal: JournaledVenue, heads: ReadonlyMap<string, ReportHead>, dropCopies: readonly string[]): { events: VenueEvent[]; stop: () => void } {
  const copyHeads = dropCopies.map((id) => heads.get(id)).filter((h): h is ReportHead => h !== undefined);
  const events: VenueEvent[] = [];
  const stop = journal.subscribe(
    (e) => {
      if (e.type === 'bookDelta' || e.seq === 0) return;
      const owed = ownersOf(e).some((s) => owedTo(e, heads.get(s))) || copyHeads.some((h) => owedTo(e, h));
      if (owed) events.push(copyEvent(e));
    },
    { replay: true },
  );
  return { events, stop };
}
