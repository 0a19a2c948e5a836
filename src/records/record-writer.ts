// Appends the record's batches to the day files: one synchronous positional write per day file per hand-over (the
// record hands over once per event-loop turn), into the page cache, like the journal and the FIX stores
// (src/io/sync-write.ts). With fsync on, fdatasync runs on libuv's pool, never on the event loop, and `durable`
// follows it; without, a batch is durable (for a process crash) once written.
//
// beforeWrite gates every write: it returns nothing when the journal already holds the turn's events (the page-cache
// level: the journal wrote synchronously earlier in the turn), or a promise at the fsync level; turns handed over
// while a promise is pending wait behind it, in order, and are written when it resolves (a new gate covers the turns
// that arrived after the first was asked).
//
// A failed write is not retried and not swallowed: the writer stops for good (the error is kept, every later flush
// rejects with it, onError is told once), because the command journal is the source of truth and a restart replays
// into the record everything it is missing. The failed write's bytes are cut off again if the disk lets us.

import fs from 'node:fs';
import { asError, truncateQuietly, writeFullySync } from '../io/sync-write.js';
import { fileHeader } from './binary-format.js';
import { binaryDayFilePath, fsyncDir } from './day-files.js';
import { RecordStaging } from './record-staging.js';

export interface RecordWriterOptions {
  dir: string;
  fsync: boolean;
  /** Told after each write is durable, with the highest seq now on disk. */
  onDurable: (seq: number, ms: number) => void;
  /** Told once, when the writer fails. */
  onError: (error: Error) => void;
  /** Gates each write (see above); a throw or rejection fails the writer and nothing of that write reaches the file. */
  beforeWrite?: () => Promise<unknown> | void;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const RESOLVED = Promise.resolve();

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
const MAX_SPARES = 4;
const SPARE_MAX_BYTES = 4 * 1024 * 1024;

export class RecordWriter {
  private readonly opts: RecordWriterOptions;
  private fd = -1;
  private fdDate = '';
  private fileEnd = 0;
  private failure: Error | null = null;
  private durable = 0;
  private writtenSeq = 0;
  /** Stagings handed over while a gate is pending, oldest first; the first `gated` of them are covered by it. */
  private readonly queue: RecordStaging[] = [];
  private gated = 0;
  private gatePending = false;
  private readonly spares: RecordStaging[] = [];
  private readonly waiters: Waiter[] = [];
  // fsync level
  private syncing = false;
  private syncAgain = false;
  private syncTarget = 0;
  private syncStarted = 0;
  /** Files of earlier dates still to be synced before they are closed. */
  private retiring: number[] = [];
  private readonly drained: Array<() => void> = [];

  constructor(opts: RecordWriterOptions) {
    this.opts = opts;
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Highest seq on disk. */
  get durableSeq(): number {
    return this.durable;
  }

  /** Records handed over and not yet written (waiting for a gate). */
  get pendingRecords(): number {
    let n = 0;
    for (const s of this.queue) n += s.records;
    return n;
  }

  /** Starts at the seq already on disk (after the record's open). */
  startAt(seq: number): void {
    this.durable = seq;
    this.writtenSeq = seq;
  }

  /**
   * Takes a turn's staging: written now when the gate allows, or kept until it does. Returns the staging the record
   * goes on with (the same one, emptied, or a spare).
   */
  takeTurn(s: RecordStaging): RecordStaging {
    s.seal();
    if (this.failure !== null) {
      s.reset();
      return s;
    }
    const has = s.batchCount > 0;
    if (this.gatePending) {
      if (!has) return s;
      this.queue.push(s); // behind the pending gate
      return this.spare();
    }
    if (!has && this.queue.length === 0) return s;
    let gate: Promise<unknown> | void;
    try {
      gate = this.opts.beforeWrite?.();
    } catch (err) {
      this.fail(err);
      s.reset();
      return s;
    }
    if (isThenable(gate)) {
      if (has) this.queue.push(s);
      this.waitFor(gate);
      return has ? this.spare() : s;
    }
    for (const held of this.queue.splice(0)) {
      if (this.failure === null) this.write(held);
      this.recycle(held);
    }
    if (has && this.failure === null) this.write(s);
    s.reset();
    return s;
  }

  /**
   * Keeps a full staging of a long synchronous run (a journal replay) for the next takeTurn, without asking the
   * gate now (the journal may not be able to answer in the middle of its own replay). Returns a staging to go on with.
   */
  hold(s: RecordStaging): RecordStaging {
    s.seal();
    if (this.failure !== null || s.batchCount === 0) {
      s.reset();
      return s;
    }
    this.queue.push(s);
    return this.spare();
  }

  /** Resolves once every record with seq <= `seq` is on disk; rejects with the writer's error. */
  whenDurable(seq: number): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.durable >= seq) return RESOLVED;
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Waits for what was handed over, then closes the file. */
  async close(seq: number): Promise<void> {
    await this.whenDurable(seq).catch(() => undefined);
    while (this.syncing) await new Promise<void>((resolve) => this.drained.push(resolve));
    for (const fd of this.retiring) fs.closeSync(fd);
    this.retiring = [];
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.fdDate = '';
  }

  private spare(): RecordStaging {
    return this.spares.pop() ?? new RecordStaging();
  }

  private recycle(s: RecordStaging): void {
    s.reset();
    if (this.spares.length < MAX_SPARES && s.buf.length <= SPARE_MAX_BYTES) this.spares.push(s);
  }

  /** Everything queued now is written once `gate` resolves; what is queued meanwhile waits for the next gate. */
  private waitFor(gate: Promise<unknown>): void {
    this.gatePending = true;
    this.gated = this.queue.length;
    gate.then(this.gateOpened, this.gateFailed);
  }

  private readonly gateOpened = (): void => {
    this.gatePending = false;
    const covered = this.queue.splice(0, this.gated);
    this.gated = 0;
    for (const s of covered) {
      if (this.failure === null) this.write(s);
      this.recycle(s);
    }
    if (this.queue.length === 0 || this.failure !== null) return;
    let gate: Promise<unknown> | void;
    try {
      gate = this.opts.beforeWrite?.();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (isThenable(gate)) {
      this.waitFor(gate);
    } else {
      this.gated = this.queue.length;
      this.gateOpened();
    }
  };

  private readonly gateFailed = (err: unknown): void => {
    this.gatePending = false;
    this.fail(err);
  };

  /** Writes the staging's batches: one write per run of batches of one date (normally the whole turn). */
  private write(s: RecordStaging): void {
    const started = performance.now();
    const batches = s.batches;
    let i = 0;
    let lastSeq = 0;
    while (i < s.batchCount) {
      const date = batches[i]!.date;
      const from = batches[i]!.start;
      let to = batches[i]!.end;
      lastSeq = batches[i]!.lastSeq;
      for (i++; i < s.batchCount && batches[i]!.date === date && batches[i]!.start === to; i++) {
        to = batches[i]!.end;
        lastSeq = batches[i]!.lastSeq;
      }
      let position = -1;
      try {
        this.useFile(date);
        position = this.fileEnd;
        writeFullySync(this.fd, s.buf, from, to - from, position);
        this.fileEnd += to - from;
      } catch (err) {
        if (position >= 0) truncateQuietly(this.fd, position);
        this.fail(err);
        return;
      }
    }
    this.writtenSeq = lastSeq;
    if (!this.opts.fsync) this.madeDurable(lastSeq, started);
    else this.requestSync(started);
  }

  /** Opens (creating, with its header) the day file of `date`; the previous date's file is closed or retired. */
  private useFile(date: string): void {
    if (this.fd >= 0 && this.fdDate === date) return;
    if (this.fd >= 0) {
      if (this.opts.fsync) this.retiring.push(this.fd);
      else fs.closeSync(this.fd);
      this.fd = -1;
    }
    const file = binaryDayFilePath(this.opts.dir, date);
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    try {
      let size = fs.fstatSync(fd).size;
      if (size === 0) {
        const header = fileHeader(date);
        writeFullySync(fd, header, 0, header.length, 0);
        size = header.length;
        if (this.opts.fsync) fsyncDir(this.opts.dir); // once per day file: its name must survive power loss too
      }
      this.fd = fd;
      this.fdDate = date;
      this.fileEnd = size;
    } catch (err) {
      truncateQuietly(fd, 0);
      fs.closeSync(fd);
      throw err;
    }
  }

  private requestSync(started: number): void {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    this.syncTarget = this.writtenSeq;
    this.syncStarted = started;
    const fds = this.retiring;
    this.retiring = [];
    const current = this.fd;
    const next = (k: number): void => {
      const fd = k < fds.length ? fds[k]! : current;
      fs.fdatasync(fd, (err) => {
        if (err) return this.synced(err);
        if (k < fds.length) {
          fs.close(fd, () => undefined);
          next(k + 1);
        } else {
          this.synced(null);
        }
      });
    };
    next(0);
  }

  private synced(err: Error | null): void {
    this.syncing = false;
    if (err !== null) this.fail(err);
    else this.madeDurable(this.syncTarget, this.syncStarted);
    if (this.syncAgain && this.failure === null) {
      this.syncAgain = false;
      this.requestSync(performance.now());
    }
    if (!this.syncing) for (const d of this.drained.splice(0)) d();
  }

  private madeDurable(seq: number, started: number): void {
    if (seq <= this.durable) return;
    this.durable = seq;
    if (this.waiters.length > 0) {
      let kept = 0;
      for (const w of this.waiters) {
        if (w.seq <= seq) w.resolve();
        else this.waiters[kept++] = w;
      }
      this.waiters.length = kept;
    }
    this.opts.onDurable(seq, performance.now() - started);
  }

  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = asError(err);
    for (const s of this.queue.splice(0)) this.recycle(s);
    this.gated = 0;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    this.opts.onError(this.failure);
  }
}
