// The journal's flush barrier after a disk error (turnBarrier, what the venue app gives the FIX engine). Once the
// failure is known the venue goes on answering with "journal unavailable" rejects, so a turn that journaled nothing
// must not wait for the journal. But a command applied earlier in the same turn, before the failed write's
// completion arrived, was accepted by the core and its reports were staged: that turn's store batches must be
// withheld, or a store holds (and resends after a restart) a report of an event the journal never held. The crash
// soak found it (a member received an acceptance the journal lost).

import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { WithheldWriteError, WriteThread } from '../../src/io/write-thread.js';
import { copyEvent } from '../../src/venue/event-copy.js';
import { JournaledVenue, JOURNAL_FILE } from '../../src/venue/journal/journaled-venue.js';
import { Side, StpMode } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { makeTempDir } from '../support/temp-dir.js';
import { Harness, spec } from './support/harness.js';

const CONFIG = { instruments: [spec()], stp: { defaultMode: StpMode.CancelResting, scope: 'account' as const } };

/**
 * The disk under an open file fills up: the descriptor that has `file` open is made to refer to /dev/full instead
 * (closed, then the lowest free descriptor, which is that one once the lower holes are taken, opened on /dev/full),
 * so every later write through it fails with ENOSPC, as on a full disk. Call it with no write in flight.
 */
function fillDiskUnder(file: string): void {
  const fdDir = '/proc/self/fd';
  const target = fs.realpathSync(file);
  const fd = fs
    .readdirSync(fdDir)
    .map(Number)
    .find((n) => {
      try {
        return fs.readlinkSync(path.join(fdDir, String(n))) === target;
      } catch {
        return false;
      }
    });
  if (fd === undefined) throw new Error(`no open descriptor for ${target}`);
  fs.closeSync(fd);
  const holes: number[] = [];
  for (;;) {
    const next = fs.openSync('/dev/full', 'r+');
    if (next === fd) break;
    holes.push(next);
    if (next > fd) throw new Error(`descriptor ${fd} was taken by someone else`);
  }
  for (const h of holes) fs.closeSync(h);
}

/** A store batch queued behind the barrier's journal write, as the FIX engine queues it: resolves with its outcome. */
function storeBatchBehind(thread: WriteThread, stream: number, fd: number, dependsOn: ReturnType<JournaledVenue['commitQueued']>['write']): Promise<Error | null> {
  return new Promise((resolve) => thread.write(stream, fd, Buffer.from('reports\n'), 0, 8, 0, { dependsOn }, resolve));
}

describe('venue journal: the flush barrier after a disk error', () => {
  it('at the page-cache level: throws for the turn whose write failed and for a later turn that journaled, passes turns that journaled nothing', async () => {
    const dir = makeTempDir('journal-failure-barrier-');
    const jv = new JournaledVenue(CONFIG, { dir, fsync: 'none', autoCommit: false, release: 'immediate' });
    const events: VenueEvent[] = [];
    jv.subscribe((e) => events.push(copyEvent(e)));
    await jv.open();
    const h = new Harness();
    try {
      jv.apply(h.newOrder({ side: Side.Sell, price: 101, qty: 1 }));
      expect(jv.turnBarrier(), 'written inline: nothing to wait for').to.equal(undefined);
      expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).to.be.greaterThan(32);

      fillDiskUnder(path.join(dir, JOURNAL_FILE));
      jv.apply(h.newOrder({ side: Side.Sell, price: 102, qty: 1 }));
      let thrown: NodeJS.ErrnoException | null = null;
      try {
        jv.turnBarrier();
      } catch (err) {
        thrown = err as NodeJS.ErrnoException;
      }
      expect(thrown?.code, 'the turn is withheld').to.equal('ENOSPC');
      expect(jv.error).to.equal(thrown);
      // A later turn refuses its commands outside the sequenced stream: its rejects may go out.
      jv.apply(h.newOrder({ side: Side.Sell, price: 104, qty: 1 }));
      const refused = events.at(-1)!;
      expect(refused.type === 'rejected' && refused.seq).to.equal(0);
      expect(jv.turnBarrier()).to.equal(undefined);
    } finally {
      await jv.close();
    }
  });

  it('at the fsync level: withholds the store batches of a turn whose commands were applied before the failure was known; passes turns that journaled nothing', async () => {
    const dir = makeTempDir('journal-failure-barrier-');
    const jv = new JournaledVenue(CONFIG, { dir, fsync: 'batch', autoCommit: false, release: 'immediate' });
    const events: VenueEvent[] = [];
    jv.subscribe((e) => events.push(copyEvent(e)));
    await jv.open();
    const thread = WriteThread.shared();
    const store = thread.openStream('a session store');
    const storeFile = path.join(dir, 'store');
    const storeFd = fs.openSync(storeFile, 'w+');
    const h = new Harness();
    try {
      jv.apply(h.newOrder({ side: Side.Sell, price: 101, qty: 1 }));
      const durable = jv.turnBarrier();
      expect(durable).to.not.equal(undefined);
      await durable!.done;

      fillDiskUnder(path.join(dir, JOURNAL_FILE));
      // Turn 1: a command whose journal write will fail.
      jv.apply(h.newOrder({ side: Side.Sell, price: 102, qty: 1 }));
      const turn1 = jv.turnBarrier()!;
      // Turn 2: a command applied before the failure of turn 1's write is known: the core accepts it.
      jv.apply(h.newOrder({ side: Side.Sell, price: 103, qty: 1 }));
      const acceptedBeforeKnown = events.filter((e) => e.type === 'accepted').at(-1)!;
      expect(acceptedBeforeKnown.seq).to.be.greaterThan(0);
      const failure = await turn1.done.then(() => null, (e: NodeJS.ErrnoException) => e);
      expect(failure?.code).to.equal('ENOSPC');
      expect(jv.error).to.equal(failure);

      // Turn 2's flush: the failure is known now, but its command's batch will never be written.
      const turn2 = jv.turnBarrier();
      expect(turn2, 'a turn that journaled a command must not pass once the failure is known').to.not.equal(undefined);
      expect(await turn2!.done.then(() => null, (e: Error) => e)).to.equal(failure);
      const withheld = await storeBatchBehind(thread, store, storeFd, turn2!.write);
      expect(withheld).to.be.instanceOf(WithheldWriteError);
      expect(fs.readFileSync(storeFile, 'utf8')).to.equal('');

      // Turn 3: commands are refused outside the sequenced stream; the rejects may go out.
      jv.apply(h.newOrder({ side: Side.Sell, price: 104, qty: 1 }));
      const refused = events.at(-1)!;
      expect(refused.type === 'rejected' && refused.seq).to.equal(0);
      expect(jv.turnBarrier()).to.equal(undefined);
    } finally {
      await jv.close();
      fs.closeSync(storeFd);
      thread.closeStream(store);
    }
  });
});
