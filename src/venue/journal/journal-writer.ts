// Appends command records to the journal file with group commit: records accumulate in memory during an
// event-loop turn and go to the file as one positional write per batch.
//
// Two durability levels (README, "Durability"):
//   page cache ('none')  commit() writes the batch synchronously on the event loop (src/io/sync-write.ts): one
//                        pwrite per turn, done before the turn's reports may leave. Survives a crash of the process.
//   fsync ('batch')      commit() hands the batch to the write thread (src/io/write-thread.ts), which writes it and
//                        fdatasyncs it off the event loop, in one queue with the FIX stores' batches of the turn
//                        (held back if the journal's write fails). Survives power loss.
// A failed write poisons the writer, because writing later batches after a hole would make the journal lie.

import fs from 'node:fs';
import type { VenueCommand } from '../model/commands.js';
import { ByteWriter } from './byte-writer.js';
import { encodeCommand } from './command-codec.js';
import { CRC_AT, LENGTH_AT, RECORD_HEADER, recordCrc } from './record-format.js';
import { asError, truncateQuietly, writeFullySync } from '../../io/sync-write.js';
import type { WriteFaults } from '../../io/write-faults.js';
import { WriteThread, type QueuedWrite } from '../../io/write-thread.js';

export type FsyncPolicy = 'none' | 'batch';

function truncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve) => fs.ftruncate(fd, length, () => resolve()));
}

function noop(): void {}

const RESOLVED: Promise<void> = Promise.resolve();

export interface JournalWriterOptions {
  /** Injected disk faults (the soak's failpoints); null in production. */
  faults?: WriteFaults | null;
  /** The write thread of the fsync level (default: the process's shared one; not started at the page-cache level). */
  thread?: WriteThread;
}

export class JournalWriter {
  private readonly fd: number;
  private readonly fsync: FsyncPolicy;
  private readonly faults: WriteFaults | null;
  private readonly threadOption: WriteThread | undefined;
  private thread: WriteThread | null = null;
  private stream = -1;
  /** The batch being filled; written (or copied by the write thread) when committed, then reused at once. */
  private readonly current = new ByteWriter(1 << 16);
  /** File offset where the next batch will be written (everything before it is written or in flight). */
  private fileEnd: number;
  private chain: Promise<void> = RESOLVED;
  private failure: Error | null = null;
  /** Settles after the failed batch's torn bytes were cut off; later batches reject after it. */
  private failureSettled: Promise<void> | null = null;
  private lastWrite: QueuedWrite | null = null;

  constructor(fd: number, endOffset: number, fsync: FsyncPolicy, options: JournalWriterOptions = {}) {
    this.fd = fd;
    this.fileEnd = endOffset;
    this.fsync = fsync;
    this.faults = options.faults ?? null;
    this.threadOption = options.thread;
  }

  get error(): Error | null {
    return this.failure;
  }

  /** True at the page-cache level: commit() has written the batch when it returns. */
  get writesInline(): boolean {
    return this.fsync === 'none';
  }

  /** Bytes appended but not yet handed to a write. */
  get pendingBytes(): number {
    return this.current.pos;
  }

  /** File offset at which the next appended record will start once everything is written. */
  get nextRecordOffset(): number {
    return this.fileEnd + this.current.pos;
  }

  /**
   * The last batch handed to the write thread (null before the first, and always at the page-cache level): a
   * write queued behind it on the same thread with `dependsOn` is not attempted if this batch, or any before it,
   * failed.
   */
  get queuedWrite(): QueuedWrite | null {
    return this.lastWrite;
  }

  /**
   * Appends a record. Returns true when a field of the raw command had to be coerced to be written: the
   * core must then see the decoded record (see lastRecord), exactly what a replay will see.
   */
  append(seq: number, cmd: VenueCommand): boolean {
    const w = this.current;
    const start = w.skip(RECORD_HEADER);
    w.coerced = false;
    w.uvar(seq);
    encodeCommand(w, cmd);
    const end = w.pos;
    w.u32At(start + LENGTH_AT, end - start - RECORD_HEADER);
    w.u32At(start + CRC_AT, recordCrc(w.buf, start, end));
    return w.coerced;
  }

  /** The bytes of the last record appended (for decoding a coerced command). */
  lastRecord(start: number): Buffer {
    return this.current.buf.subarray(start, this.current.pos);
  }

  /** Position inside the current batch buffer (to locate the record about to be appended). */
  get batchPosition(): number {
    return this.current.pos;
  }

  /** Drops everything appended after `position` in the current batch (the command was not applied). */
  rollback(position: number): void {
    this.current.pos = position;
  }

  /**
   * Page-cache level: writes the current batch now and returns null, or the error that failed the writer (this
   * batch's or an earlier one's; nothing of a failed batch stays in the file if the disk lets us cut it off).
   */
  writeNow(): Error | null {
    if (this.fsync !== 'none') throw new Error('JournalWriter.writeNow: the fsync level writes through the write thread (commit)');
    const batch = this.current;
    const length = batch.pos;
    if (this.failure !== null) {
      batch.reset();
      return this.failure;
    }
    if (length === 0) return null;
    const position = this.fileEnd;
    const fault = this.faults === null ? null : this.faults.before(length);
    try {
      if (fault !== null && 'tear' in fault) {
        // Half the batch lands, then the crash (the soak's torn write).
        writeFullySync(this.fd, batch.buf, 0, fault.tear, position);
        this.faults!.torn();
        throw new Error('journal write torn by a failpoint; the process is being killed');
      }
      if (fault !== null) throw fault;
      writeFullySync(this.fd, batch.buf, 0, length, position);
    } catch (err) {
      batch.reset();
      this.failure = asError(err);
      if (fault === null || !('tear' in fault)) truncateQuietly(this.fd, position);
      this.failureSettled = RESOLVED;
      return this.failure;
    }
    this.fileEnd += length;
    batch.reset();
    return null;
  }

  /**
   * Makes the current batch durable. At the page-cache level it is written before this returns (the promise is
   * already settled); at the fsync level the write thread writes and syncs it, and the promise resolves once it
   * (and every earlier batch) is on disk. Rejects with the disk error.
   */
  commit(): Promise<void> {
    if (this.fsync === 'none') {
      if (this.current.pos === 0 && this.failure === null) return RESOLVED;
      const error = this.writeNow();
      if (error === null) return RESOLVED;
      this.chain = Promise.reject(error);
      this.chain.catch(noop);
      return this.chain;
    }
    return this.commitThroughThread();
  }

  private commitThroughThread(): Promise<void> {
    const batch = this.current;
    const length = batch.pos;
    if (length === 0) return this.chain;
    const thread = this.writeThread();
    const position = this.fileEnd;
    this.fileEnd += length;
    let settle!: (error: Error | null) => void;
    const written = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === null ? resolve() : reject(error));
    });
    const done = (error: Error | null): void => {
      if (error === null) settle(null);
      else this.failed(error, position, settle);
    };
    const fault = this.failure === null && this.faults !== null ? this.faults.before(length) : null;
    if (this.failure !== null) {
      // Never attempted; the marker holds back what depends on this batch (the FIX stores of its turn).
      this.lastWrite = thread.fail(this.stream, this.failure, done);
    } else if (fault !== null && 'tear' in fault) {
      // Half the batch lands in its place in the queue (after the batches before it), then the crash.
      const faults = this.faults!;
      thread.write(this.stream, this.fd, batch.buf, 0, fault.tear, position, { datasync: true }, () => faults.torn());
      this.lastWrite = thread.fail(this.stream, new Error('journal write torn by a failpoint; the process is being killed'));
    } else if (fault !== null) {
      this.lastWrite = thread.fail(this.stream, fault, done);
    } else {
      this.lastWrite = thread.write(this.stream, this.fd, batch.buf, 0, length, position, { datasync: true }, done);
    }
    batch.reset();
    written.catch(noop);
    this.chain = written;
    return written;
  }

  private writeThread(): WriteThread {
    if (this.thread === null) {
      this.thread = this.threadOption ?? WriteThread.shared();
      this.stream = this.thread.openStream('the command journal');
    }
    return this.thread;
  }

  /** A batch failed (or was not attempted after an earlier failure): poison the writer, cut off what may be torn. */
  private failed(error: Error, position: number, settle: (error: Error | null) => void): void {
    if (this.failure === null) {
      this.failure = error;
      // Part of the batch may have reached the file (a short write before the error). Its events are never
      // released, so take it back out if the disk lets us; replay then ends at the last acknowledged command.
      this.failureSettled = truncate(this.fd, position);
    }
    const failure = this.failure;
    void this.failureSettled!.then(() => settle(failure));
  }

  /** Waits for every batch handed to commit() so far (never rejects). */
  async drain(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  /** Drains and lets go of the write thread's stream (the caller closes the file). */
  async close(): Promise<void> {
    await this.drain();
    if (this.thread !== null) this.thread.closeStream(this.stream);
  }
}
