// Batches the engine's durability and socket writes per event-loop turn. Sessions mark themselves dirty as they
// stage messages; once per turn (setImmediate) the scheduler calls every registered flush barrier (e.g. the venue's
// journal group commit), then writes every dirty session's store batch once the barriers have resolved, and only
// when ALL of them have completed are that turn's messages written to the sockets (one write per connection).
// Stores after barriers: a crash between the two leaves the journal with commands whose reports were never stored
// (nothing was acknowledged), never a store holding reports of commands the journal lost. Turns overlap on disk but
// their socket writes happen strictly in turn order.
//
// When the barriers' durable part is one write on the write thread (the journal's), the stores' batches are queued
// right behind it on that thread instead of waiting for the barrier's promise: the thread writes them only if the
// journal's write succeeded, and the turn needs one hand-over to the disk instead of two in a row.

import { isPendingDurability, type PendingDurability, type QueuedWrite } from '../../io/write-thread.js';
import type { FixSession, FlushTicket } from '../session/fix-session.js';

/**
 * Called once per flush; resolve when everything your side did so far is durable. A barrier whose durable part is a
 * write on the write thread returns it with its promise (PendingDurability, e.g. JournaledVenue.flushBarrier): the
 * stores' batches are then queued behind that write. Returning nothing means there is nothing to wait for.
 */
export type FlushBarrier = () => Promise<void> | PendingDurability | void;

/**
 * Told when a flush has completed (sockets written), once per flush, for latency metrics. Times are
 * performance.now() milliseconds: when the flush started, how long the store writes of its `stores` sessions took,
 * and how long the whole flush took (store writes, barriers, earlier flushes, socket writes).
 */
export type FlushObserver = (startedAt: number, stores: number, storeMs: number, totalMs: number) => void;

export class FlushScheduler {
  private dirty: FixSession[] = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly barriers = new Set<FlushBarrier>();
  /** Flushes started (for observability and tests). */
  flushes = 0;

  constructor(
    private readonly onBarrierError: (error: Error) => void,
    private readonly onFlushed: FlushObserver | null = null,
  ) {}

  markDirty(session: FixSession): void {
    if (session.flushQueued) return;
    session.flushQueued = true;
    this.dirty.push(session);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  addBarrier(barrier: FlushBarrier): () => void {
    this.barriers.add(barrier);
    return () => this.barriers.delete(barrier);
  }

  /** Resolves once everything staged before the call has been written (or failed). */
  async idle(): Promise<void> {
    while (this.scheduled || this.dirty.length > 0) await new Promise<void>((r) => setImmediate(r));
    await this.chain;
  }

  /** Resolves when the flush that takes what is staged now has completed (without waiting for later ones). */
  cycleDone(): Promise<void> {
    if (!this.scheduled) return this.chain;
    // The run is queued with setImmediate; this callback comes after it, when `chain` covers that run.
    return new Promise((resolve) => setImmediate(() => void this.chain.then(resolve)));
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const startedAt = performance.now();
    const batch = this.dirty;
    this.dirty = [];
    this.flushes++;
    const barrierWrites: Promise<void>[] = [];
    /** The one write on the write thread that all barriers stand for, while that is true of them. */
    let queuedBehind: QueuedWrite | null = null;
    let ordered = true;
    for (const barrier of this.barriers) {
      let write: Promise<void>;
      try {
        const result = barrier();
        if (result === undefined) continue;
        if (isPendingDurability(result)) {
          write = result.done;
          if (result.write !== null) {
            if (queuedBehind !== null) ordered = false;
            queuedBehind = result.write;
          }
        } else {
          write = result;
          ordered = false;
        }
      } catch (err) {
        write = Promise.reject(err instanceof Error ? err : new Error(String(err)));
        ordered = false;
      }
      // Settled below, after the store writes: mark it handled now so a quick rejection is not reported as unhandled.
      write.catch(() => {});
      barrierWrites.push(write);
    }
    const barriersDone = barrierWrites.length === 0 ? undefined : barrierWrites.length === 1 ? barrierWrites[0]! : Promise.all(barrierWrites).then(() => {});
    barriersDone?.catch(() => {});
    const gate: Promise<void> | PendingDurability | undefined =
      ordered && queuedBehind !== null ? { done: barriersDone!, write: queuedBehind } : barriersDone;
    const tickets: FlushTicket[] = batch.map((s) => s.prepareFlush(gate));
    const previous = this.chain;
    this.chain = this.complete(tickets, barrierWrites, previous, startedAt);
  };

  private async complete(tickets: FlushTicket[], barrierWrites: Promise<void>[], previous: Promise<void>, startedAt: number): Promise<void> {
    const persisted = await Promise.allSettled(tickets.map((t) => t.persist ?? undefined));
    const storeMs = performance.now() - startedAt;
    const barriers = await Promise.allSettled(barrierWrites);
    await previous;
    let barrierError: Error | null = null;
    for (const b of barriers) {
      if (b.status === 'rejected') {
        barrierError = b.reason instanceof Error ? b.reason : new Error(String(b.reason));
        break;
      }
    }
    if (barrierError) this.onBarrierError(barrierError);
    for (let i = 0; i < tickets.length; i++) {
      const p = persisted[i]!;
      const storeError = p.status === 'rejected' ? (p.reason instanceof Error ? p.reason : new Error(String(p.reason))) : null;
      try {
        tickets[i]!.complete(storeError, barrierError);
      } catch {
        // A socket already torn down cannot stop the other sessions' output.
      }
    }
    if (this.onFlushed !== null) {
      let stores = 0;
      for (const t of tickets) if (t.persist !== null) stores++;
      this.onFlushed(startedAt, stores, storeMs, performance.now() - startedAt);
    }
  }
}
