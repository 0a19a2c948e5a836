// What the session layer needs from a message store: sequence numbers, every sent message by seq for resends, and
// a crash-safe reset. Mutations are staged in memory and made durable once per event-loop turn, before anything
// staged in that turn may reach a socket: by writeNow() at the page-cache level (synchronous), by flush() at the
// fsync level or behind a promise barrier (asynchronous).

import type { PendingDurability } from '../../io/write-thread.js';

export interface StoredMessage {
  seq: number;
  /** Session-level message (Logon, Heartbeat, ...): a resend turns runs of these into one SequenceReset-GapFill. */
  admin: boolean;
  bytes: Buffer;
}

export interface MessageStore {
  readonly nextSenderSeq: number;
  readonly nextTargetSeq: number;
  /** When the current store epoch began (ms since epoch); a reset starts a new one. */
  readonly creationTime: number;
  /** True when something is staged and not yet handed to flush(). */
  readonly hasStagedChanges: boolean;
  /** Set once a write failed; the store then refuses to flush until it is reopened. */
  readonly failure: Error | null;

  /** True when writeNow() may be used now (page-cache level, no asynchronous write still pending). */
  readonly writesInline: boolean;
  /**
   * Where the bytes of the last appended message now are (a view of lastBuffer from lastOffset, as long as the
   * message): the session sends these same bytes instead of a copy. The memory is never written again.
   */
  readonly lastBuffer: Buffer;
  readonly lastOffset: number;

  /** Stages a sent message; the next sender seq becomes seq + 1. `bytes` is copied. */
  append(seq: number, bytes: Buffer, admin: boolean): void;
  /**
   * Encoding a message in place (so it is written once, where it is stored and sent from): prepareAppend(room)
   * makes at least `room` bytes free at placeBuffer[placeOffset]; the caller writes the message there (it may use the
   * buffer up to its end) and then appendPlaced() stages it like append() would, without a copy.
   */
  prepareAppend(room: number): void;
  readonly placeBuffer: Buffer;
  readonly placeOffset: number;
  appendPlaced(seq: number, length: number, admin: boolean): void;
  setNextSenderSeq(seq: number): void;
  setNextTargetSeq(seq: number): void;
  /** Stages a reset: both sequence numbers back to 1, stored messages dropped, atomically on disk. */
  reset(now: number): void;
  /**
   * Makes everything staged so far durable. Flushes complete in call order. Rejects when the disk write fails.
   * With `after`, what is staged now is taken at once but written only once `after` resolves; if it rejects, the
   * batch is never written and the store fails (its memory holds messages the disk never will). `after` may
   * also come with the write on the write thread it stands for (src/io/write-thread.ts): the batch is then queued
   * right behind that write on the same thread, which writes it only if that write (and the ones of its stream
   * before it) succeeded, instead of waiting for the promise.
   */
  flush(after?: Promise<void> | PendingDurability): Promise<void>;
  /** Page-cache level: writes what is staged, synchronously. Null, or the error that failed the store. */
  writeNow(): Error | null;
  /** Drops what is staged for good and fails the store: the durability barrier it waited for failed. */
  withhold(cause: Error): void;
  /** Sent messages with begin <= seq <= end, when all of them are in memory; null when the disk is needed. */
  cachedRange(begin: number, end: number): StoredMessage[] | null;
  /** Sent messages with begin <= seq <= end, from memory or disk. */
  range(begin: number, end: number): Promise<StoredMessage[]>;
  close(): Promise<void>;
}

export class StoreFailedError extends Error {
  constructor(override readonly cause: Error) {
    super(`message store is not writable: ${cause.message}`);
  }
}
