// Appends command records to the journal file with group commit: records accumulate in memory during an
// event-loop turn and are written with one positional write (and optionally one fdatasync) per batch.
// Batches are written strictly one after another; a failed write poisons the writer, because writing
// later batches after a hole would make the journal lie.

import fs from 'node:fs';
import type { VenueCommand } from '../model/commands.js';
import { ByteWriter } from './byte-writer.js';
import { encodeCommand } from './command-codec.js';
import { CRC_AT, LENGTH_AT, RECORD_HEADER, recordCrc } from './record-format.js';
import { beforeBatchWrite, failpointAt } from '../../app/failpoints.js';

/** Soak-test crash point (src/app/failpoints.ts); null unless VENUE_FAILPOINT names this site. */
const FAILPOINT = failpointAt('journal-write');

export type FsyncPolicy = 'none' | 'batch';

function writeAll(fd: number, buf: Buffer, length: number, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = 0;
    const step = (): void => {
      fs.write(fd, buf, done, length - done, position + done, (err, written) => {
        if (err) return reject(err);
        if (written <= 0) return reject(new Error(`journal write made no progress at offset ${position + done}`));
        done += written;
        if (done < length) step();
        else resolve();
      });
    };
    step();
  });
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function truncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve) => fs.ftruncate(fd, length, () => resolve()));
}

export class JournalWriter {
  private readonly fd: number;
  private readonly fsync: FsyncPolicy;
  private current = new ByteWriter(1 << 16);
  private readonly spare: ByteWriter[] = [];
  /** File offset where the next batch will be written (everything before it is written or in flight). */
  private fileEnd: number;
  /** Bytes handed to writes that have not completed yet. */
  private inFlight = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(fd: number, endOffset: number, fsync: FsyncPolicy) {
    this.fd = fd;
    this.fileEnd = endOffset;
    this.fsync = fsync;
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
    this.current = this.spare.pop() ?? new ByteWriter(1 << 16);
    const position = this.fileEnd;
    this.fileEnd += length;
    this.inFlight += length;
    this.chain = this.chain.then(async () => {
      if (this.failure !== null) throw this.failure;
      try {
        if (FAILPOINT !== null) await beforeBatchWrite(FAILPOINT, this.fd, batch.buf, 0, length, position);
        await writeAll(this.fd, batch.buf, length, position);
        if (this.fsync === 'batch') await datasync(this.fd);
      } catch (err) {
        this.failure = err instanceof Error ? err : new Error(String(err));
        // Part of the batch may have reached the file (a short write before the error). Its events are
        // never released, so take it back out if the disk lets us; replay then ends at the last
        // acknowledged command.
        await truncate(this.fd, position);
        throw this.failure;
      } finally {
        this.inFlight -= length;
        batch.reset();
        this.spare.push(batch);
      }
    });
    return this.chain;
  }

  /** Waits for every batch handed to commit() so far (never rejects). */
  async drain(): Promise<void> {
    await this.chain.catch(() => undefined);
  }
}
