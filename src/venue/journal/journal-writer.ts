// Appends command records to the journal file with group commit: records accumulate in memory during an
// event-loop turn and are handed to the write thread (src/io/write-thread.ts) as one positional write (and
// optionally one fdatasync) per batch. The write thread runs the batches strictly one after another, in the same
// queue as the FIX stores' batches of the turn (which it holds back if the journal's write fails); a failed write
// poisons the writer, because writing later batches after a hole would make the journal lie (the write thread
// does not attempt them either).

import fs from 'node:fs';
import type { VenueCommand } from '../model/commands.js';
import { ByteWriter } from './byte-writer.js';
import { encodeCommand } from './command-codec.js';
import { CRC_AT, LENGTH_AT, RECORD_HEADER, recordCrc } from './record-format.js';
import { batchWriteFault, crashAfterTear, failpointAt } from '../../app/failpoints.js';
import { WriteThread, type QueuedWrite } from '../../io/write-thread.js';

/** Soak-test crash point (src/app/failpoints.ts); null unless VENUE_FAILPOINT names this site. */
const FAILPOINT = failpointAt('journal-write');

export type FsyncPolicy = 'none' | 'batch';

function truncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve) => fs.ftruncate(fd, length, () => resolve()));
}

function noop(): void {}

export class JournalWriter {
  private readonly fd: number;
  private readonly fsync: FsyncPolicy;
  private readonly thread: WriteThread;
  private readonly stream: number;
  /** The batch being filled; its bytes are copied when it is handed over, so it is reused at once. */
  private readonly current = new ByteWriter(1 << 16);
  /** File offset where the next batch will be written (everything before it is written or in flight). */
  private fileEnd: number;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** Settles after the failed batch's torn bytes were cut off; later batches reject after it. */
  private failureSettled: Promise<void> | null = null;
  private lastWrite: QueuedWrite | null = null;

  constructor(fd: number, endOffset: number, fsync: FsyncPolicy, thread: WriteThread = WriteThread.shared()) {
    this.fd = fd;
    this.fileEnd = endOffset;
    this.fsync = fsync;
    this.thread = thread;
    this.stream = thread.openStream('the command journal');
  }

  get error(): Error | null {
    return this.failure;
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
   * The last batch handed to the write thread (null before the first): a write queued behind it on the same
   * thread with `dependsOn` is not attempted if this batch, or any before it, failed.
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
   * Hands the current batch to the disk. The promise resolves when it (and every earlier batch) is
   * written and, with fsync 'batch', synced; it rejects with the disk error otherwise.
   */
  commit(): Promise<void> {
    const batch = this.current;
    const length = batch.pos;
    if (length === 0) return this.chain;
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
    const fault = this.failure === null && FAILPOINT !== null ? batchWriteFault(FAILPOINT, length) : null;
    if (this.failure !== null) {
      // Never attempted; the marker holds back what depends on this batch (the FIX stores of its turn).
      this.lastWrite = this.thread.fail(this.stream, this.failure, done);
    } else if (fault !== null && 'tear' in fault) {
      // Half the batch lands in its place in the queue (after the batches before it), then the crash.
      const crash = (): void => crashAfterTear(FAILPOINT!);
      this.thread.write(this.stream, this.fd, batch.buf, 0, fault.tear, position, { datasync: this.fsync === 'batch' }, crash);
      this.lastWrite = this.thread.fail(this.stream, new Error('journal write torn by a failpoint; the process is being killed'));
    } else if (fault !== null) {
      this.lastWrite = this.thread.fail(this.stream, fault, done);
    } else {
      this.lastWrite = this.thread.write(this.stream, this.fd, batch.buf, 0, length, position, { datasync: this.fsync === 'batch' }, done);
    }
    batch.reset();
    written.catch(noop);
    this.chain = written;
    return written;
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
    this.thread.closeStream(this.stream);
  }
}
