// Batches the engine's durability and socket writes per event-loop turn. Sessions mark themselves dirty as they
// stage messages; once per turn (io/turn-end.ts, after the journal's commit) the scheduler calls every registered flush barrier (the venue's
// journal), then writes every dirty session's store batch, and only then that turn's messages to the sockets (one
// write per connection). Stores after barriers: a crash between the two leaves the journal with commands whose
// reports were never stored (nothing was acknowledged), never a store holding reports of commands the journal lost.
//
// Two paths, chosen per turn:
//   inline (the page-cache level)  every barrier wrote synchronously (it returned nothing, or threw its failure) and
//        every dirty store can write synchronously: the stores' batches are written and the sockets written in this
//        same callback. No promise, no thread, nothing allocated for the turn.
//   asynchronous (fsync, or a barrier that returns a promise)  the stores' batches are written once the barriers
//        resolve, or queued right behind the barrier's write on the write thread when it is one
//        (PendingDurability), and the sockets once all of that completed. Turns overlap on disk but their socket
//        writes happen strictly in turn order; a turn that could go inline waits behind a pending one.

import { isPendingDurability, type PendingDurability, type QueuedWrite } from '../../io/write-thread.js';
import { asError } from '../../io/sync-write.js';
import type { FixSession } from '../session/fix-session.js';
import type { FlushTicket } from '../session/session-output.js';
import { turnEnd } from '../../io/turn-end.js';
import { emptyArray } from '../../shared/arrays.js';

/**
 * Called once per flush. A barrier that wrote synchronously returns nothing (and throws its write's error, which
 * withholds the turn's output). Otherwise return a promise that resolves when everything your side did so far is
 * durable; a barrier whose durable part is a write on the write thread returns it with its promise
 * (PendingDurability, e.g. JournaledVenue.commitQueued): the stores' batches are then queued behind that write.
 */
export type FlushBarrier = () => Promise<void> | PendingDurability | void;

/**
 * Told when a flush has completed (sockets written), once per flush, for latency metrics. Times are
 * performance.now() milliseconds: when the flush started, how long the store writes of its `stores` sessions took,
 * and how long the whole flush took (store writes, barriers, earlier flushes, socket writes).
 */
export type FlushObserver = (startedAt: number, stores: number, storeMs: number, totalMs: number) => void;

type BarrierResult = Promise<void> | PendingDurability;

export class FlushScheduler {
  private dirty: FixSession[] = [];
  /** The other dirty list, swapped in each turn (no array per turn). */
  private spare: FixSession[] = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  /** Asynchronous flushes not yet completed: an inline turn must not write its sockets ahead of them. */
  private asyncPending = 0;
  private barriers: FlushBarrier[] = [];
  /** Flushes started, and how many of them went inline (for observability and tests). */
  flushes = 0;
  inlineFlushes = 0;

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
      turnEnd.schedule(this.run);
    }
  }

  addBarrier(barrier: FlushBarrier): () => void {
    this.barriers = [...this.barriers, barrier];
    return () => {
      this.barriers = this.barriers.filter((b) => b !== barrier);
    };
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
    this.dirty = this.spare;
    this.flushes++;
    let barrierError: Error | null = null;
    let pending: BarrierResult[] | null = null;
    const barriers = this.barriers;
    for (let i = 0; i < barriers.length; i++) {
      try {
        const result = barriers[i]!();
        if (result !== undefined) (pending ??= []).push(result);
      } catch (err) {
        barrierError ??= asError(err);
      }
    }
    if (pending === null && this.asyncPending === 0 && allInline(batch)) {
      this.inlineFlushes++;
      if (barrierError !== null) this.onBarrierError(barrierError);
      let stores = 0;
      for (let i = 0; i < batch.length; i++) {
        try {
          if (batch[i]!.flushNow(barrierError)) stores++;
        } catch {
          // A socket already torn down cannot stop the other sessions' output.
        }
      }
      emptyArray(batch);
      this.spare = batch;
      if (this.onFlushed !== null) {
        const total = performance.now() - startedAt;
        this.onFlushed(startedAt, stores, total, total);
      }
      return;
    }
    if (barrierError !== null) (pending ??= []).push(Promise.reject(barrierError));
    const sessions = batch.slice();
    emptyArray(batch);
    this.spare = batch;
    this.runAsync(sessions, pending ?? [], startedAt);
  };

  private runAsync(batch: FixSession[], results: BarrierResult[], startedAt: number): void {
    const barrierWrites: Promise<void>[] = [];
    /** The one write on the write thread that all barriers stand for, while that is true of them. */
    let queuedBehind: QueuedWrite | null = null;
    let ordered = true;
    for (const result of results) {
      let write: Promise<void>;
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
    this.asyncPending++;
    this.chain = this.complete(tickets, barrierWrites, previous, startedAt).finally(() => {
      this.asyncPending--;
    });
  }

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

function allInline(batch: readonly FixSession[]): boolean {
  for (let i = 0; i < batch.length; i++) if (!batch[i]!.canFlushInline) return false;
  return true;
}
