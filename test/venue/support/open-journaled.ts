// A JournaledVenue on a folder with two logs: the events delivered live, and the events re-created by the
// start-up replay (for comparing a replay with the run that wrote the journal).

import type { VenueConfig } from '../../../src/venue/config.js';
import { copyEvent } from '../../../src/venue/event-copy.js';
import { JournaledVenue } from '../../../src/venue/journal/journaled-venue.js';
import type { VenueEvent } from '../../../src/venue/model/events.js';

export async function openJournaled(config: VenueConfig, dir: string, opts: Partial<ConstructorParameters<typeof JournaledVenue>[1]> = {}) {
  const jv = new JournaledVenue(config, { dir, fsync: 'none', autoCommit: false, ...opts });
  const live: VenueEvent[] = [];
  const replayed: VenueEvent[] = [];
  jv.subscribe((e) => live.push(copyEvent(e)));
  jv.subscribe((e) => replayed.push(copyEvent(e)), { replay: true });
  const report = await jv.open();
  return { jv, live, replayed, report };
}
