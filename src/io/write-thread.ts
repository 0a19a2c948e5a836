// One thread that does the positional file writes of the venue's per-turn flush: the command journal's batch and
// the FIX session stores' batches. Handing each of them to libuv's thread pool costs a wake of a pool thread per
// write and a wake of the event loop per completion; on a busy two-core VM a wake costs tens of microseconds, and
// a turn of four sessions made five of each. Here the writes a turn queues go over together: one wake of this
// thread, one wake back. The thread runs them strictly in queue order, which also gives the flush the order it
// needs: the journal's batch is on disk before the stores' batches of the same turn are attempted.
//
// The event loop never blocks on the disk: write() copies the bytes into shared memory and returns; the thread
// makes the (synchronous) pwrite calls, as a thread-pool thread would; completions come back in queue order.
//
// Streams. Every writer (the journal, each store) has its own stream. A failed write fails its stream for good:
// its later writes are not attempted (a journal written after a hole would lie). A write may depend on another
// stream up to a given job: it is not attempted when that stream has failed at or before that job (a store batch
// must not land when the journal batch of its turn did not), and its own stream then fails too. Both are decided
// on the thread, in queue order, so nothing depends on when the main thread learns of a failure.

import { getSystemErrorMap } from 'node:util';
import { Worker } from 'node:worker_threads';
import { WRITE_THREAD_LAYOUT as L } from './write-thread-layout.js';
import { WRITE_THREAD_SOURCE } from './write-thread-source.js';

/**
 * A write not attempted because the write it depends on failed: its own file is fine, what it held must simply
 * never land (a store batch whose journal batch was lost).
 */
export class WithheldWriteError extends Error {}

/** Called once a write is on disk (null) or will never be (why). */
export type WriteDone = (error: Error | null) => void;

export interface WriteOptions {
  /** fdatasync the file after the write (before the write counts as done). */
  datasync?: boolean;
  /**
   * The bytes are [u32 LE length][text] records (the FIX message log's staging): the thread writes them as
   * readable lines, SOH shown as '|', a newline inside a text as a space, one '\n' after each. Such a write must
   * hold whole records and at most maxWriteBytes (it is not cut in pieces).
   */
  logLines?: boolean;
  /** Do not attempt the write if `dependsOn.stream` failed at or before its job `dependsOn.job`. */
  dependsOn?: QueuedWrite | null;
}

/** A write queued on a write thread: its stream and its (last) job, for writes that depend on it. */
export interface QueuedWrite {
  readonly thread: WriteThread;
  readonly stream: number;
  readonly job: number;
}

/**
 * A durability promise together with the write on a write thread that it stands for (null: it stands for no
 * write, e.g. nothing was pending). Writes queued behind `write` on the same thread (with `dependsOn`) need not
 * wait for `done`: the thread attempts them only if `write` succeeded. A flush barrier may return one of these.
 */
export interface PendingDurability {
  readonly done: Promise<void>;
  readonly write: QueuedWrite | null;
}

export function isPendingDurability(value: unknown): value is PendingDurability {
  return typeof value === 'object' && value !== null && 'done' in value && 'write' in value;
}

export interface WriteThreadOptions {
  /** Bytes of shared memory for data in flight (default 8 MiB); a larger write goes in pieces. */
  dataBytes?: number;
  /** Jobs in flight at most (a power of two, default 4096). */
  slots?: number;
}

interface Pending {
  seq: number;
  kind: number;
  stream: number;
  fd: number;
  bytes: Buffer | null;
  position: number;
  flags: number;
  depStream: number;
  depUpTo: number;
  done: WriteDone | null;
}

const SYSTEM_ERRORS = getSystemErrorMap();

/** Atomics.waitAsync (ES2024, in Node 20's V8; the project's lib setting is ES2022). */
interface AsyncWait {
  async: boolean;
  value: Promise<'ok' | 'timed-out'> | 'not-equal' | 'timed-out';
}
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): AsyncWait }).waitAsync.bind(Atomics);

export class WriteThread {
  private static sharedThread: WriteThread | null = null;

  /** The process's write thread, started on first use. */
  static shared(): WriteThread {
    WriteThread.sharedThread ??= new WriteThread();
    return WriteThread.sharedThread;
  }

  private readonly control: Int32Array;
  private readonly jobs: Int32Array;
  private readonly positions: Float64Array;
  private readonly results: Int32Array;
  private readonly data: Buffer;
  private readonly slots: number;
  private readonly mask: number;
  private readonly dones: (WriteDone | null)[];
  /** Bytes of `data` each slot's job holds (its bytes and any gap skipped before them), freed on completion. */
  private readonly held: Int32Array;
  private worker: Worker | null = null;
  private broken: Error | null = null;
  /** Next seq to assign; next seq to place in the ring; next seq the thread has not completed (as far as known). */
  private nextSeq = 0;
  private nextPlaced = 0;
  private completed = 0;
  private published = 0;
  /** Jobs that did not fit in the ring yet (in seq order; the ring takes them as it frees up). */
  private readonly waiting: Pending[] = [];
  private dataHead = 0;
  private dataUsed = 0;
  private submitScheduled = false;
  private armed = false;
  private referenced = false;
  private nextStream = 0;
  private readonly streamNames = new Map<number, string>();
  private readonly streamErrors = new Map<number, Error>();
  private idleWaiters: (() => void)[] = [];

  constructor(options: WriteThreadOptions = {}) {
    const slots = options.slots ?? 4096;
    if (slots < 2 || (slots & (slots - 1)) !== 0) throw new Error(`WriteThread: slots must be a power of two, got ${slots}`);
    this.slots = slots;
    this.mask = slots - 1;
    this.control = new Int32Array(new SharedArrayBuffer(L.CONTROL_INTS * 4));
    this.jobs = new Int32Array(new SharedArrayBuffer(slots * L.JOB_INTS * 4));
    this.positions = new Float64Array(new SharedArrayBuffer(slots * 8));
    this.results = new Int32Array(new SharedArrayBuffer(slots * 4));
    this.data = Buffer.from(new SharedArrayBuffer(options.dataBytes ?? 8 * 1024 * 1024));
    this.dones = new Array<WriteDone | null>(slots).fill(null);
    this.held = new Int32Array(slots);
  }

  /** A new stream; `name` (e.g. the file) appears in the errors of the writes that depend on it. */
  openStream(name: string): number {
    const id = this.nextStream++;
    this.streamNames.set(id, name);
    return id;
  }

  /** Forgets a stream whose writer is closed (its writes must all have completed). */
  closeStream(stream: number): void {
    this.streamNames.delete(stream);
    this.streamErrors.delete(stream);
  }

  /** The error that failed `stream`, once the main thread has learnt of it. */
  streamError(stream: number): Error | null {
    return this.streamErrors.get(stream) ?? null;
  }

  /** The largest write that goes in one piece (a quarter of the shared memory). */
  get maxWriteBytes(): number {
    return this.data.length >> 2;
  }

  /**
   * Queues a write of buf[offset, offset + length) at `position` of `fd`. The bytes are copied before this returns
   * (the caller may reuse buf at once). `done` is called on the event loop, in queue order. Writes queued in one
   * synchronous run are handed to the thread together, at the end of it (a microtask).
   */
  write(stream: number, fd: number, buf: Buffer, offset: number, length: number, position: number, options: WriteOptions, done: WriteDone): QueuedWrite {
    const flags = (options.datasync === true ? L.FLAG_DATASYNC : 0) | (options.logLines === true ? L.FLAG_LOG_LINES : 0);
    if (options.logLines === true && length > this.maxWriteBytes) {
      throw new Error(`WriteThread: a log-lines write of ${length} bytes is above maxWriteBytes (${this.maxWriteBytes})`);
    }
    const dep = options.dependsOn ?? null;
    if (dep !== null && dep.thread !== this) throw new Error('WriteThread: a write can only depend on a write of the same thread');
    const depStream = dep === null ? -1 : dep.stream;
    const depUpTo = dep === null ? 0 : dep.job;
    // Pieces of at most a quarter of the ring, so that each fits once the thread catches up.
    const piece = this.maxWriteBytes;
    let seq = 0;
    let at = 0;
    do {
      const n = Math.min(piece, length - at);
      const last = at + n >= length;
      seq = this.enqueue(L.KIND_WRITE, stream, fd, buf, offset + at, n, position + at, flags, depStream, depUpTo, last ? done : null);
      at += n;
    } while (at < length);
    return { thread: this, stream, job: seq };
  }

  /** Fails `stream` at this point of the queue, as a failed write would (a fault found before handing a write over). */
  fail(stream: number, error: Error, done: WriteDone | null = null): QueuedWrite {
    if (!this.streamErrors.has(stream)) this.streamErrors.set(stream, error);
    const seq = this.enqueue(L.KIND_FAIL, stream, -1, null, 0, 0, 0, 0, -1, 0, done);
    return { thread: this, stream, job: seq };
  }

  /** Resolves when every write queued so far has completed. */
  idle(): Promise<void> {
    if (this.inFlight() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the thread once everything queued is written (tests; the shared thread lives as long as the process). */
  async stop(): Promise<void> {
    await this.idle();
    const worker = this.worker;
    if (worker === null) return;
    Atomics.store(this.control, L.STOP, 1);
    Atomics.notify(this.control, L.SUBMITTED);
    await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  }

  // ------------------------------------------------------------------ queueing

  private inFlight(): number {
    return (this.nextSeq - this.completed) | 0;
  }

  private enqueue(
    kind: number,
    stream: number,
    fd: number,
    buf: Buffer | null,
    offset: number,
    length: number,
    position: number,
    flags: number,
    depStream: number,
    depUpTo: number,
    done: WriteDone | null,
  ): number {
    const seq = this.nextSeq;
    this.nextSeq = (seq + 1) | 0;
    if (this.broken !== null) {
      const error = this.broken;
      if (done !== null) queueMicrotask(() => done(error));
      this.completed = this.nextSeq;
      this.nextPlaced = this.nextSeq;
      return seq;
    }
    if (this.waiting.length > 0 || !this.place(seq, kind, stream, fd, buf, offset, length, position, flags, depStream, depUpTo, done)) {
      // Behind others, or no room: keep a copy (the caller may reuse its buffer) until the ring frees up.
      const bytes = buf === null ? null : Buffer.from(buf.subarray(offset, offset + length));
      this.waiting.push({ seq, kind, stream, fd, bytes, position, flags, depStream, depUpTo, done });
    }
    if (!this.submitScheduled) {
      this.submitScheduled = true;
      queueMicrotask(this.submit);
    }
    return seq;
  }

  /** Puts job `seq` into its slot and its bytes into the data ring; false when either has no room yet. */
  private place(
    seq: number,
    kind: number,
    stream: number,
    fd: number,
    buf: Buffer | null,
    offset: number,
    length: number,
    position: number,
    flags: number,
    depStream: number,
    depUpTo: number,
    done: WriteDone | null,
  ): boolean {
    if (((seq - this.completed) | 0) >= this.slots) return false;
    let start = this.dataHead;
    let gap = 0;
    if (length > 0) {
      if (start + length > this.data.length) {
        gap = this.data.length - start;
        start = 0;
      }
      if (gap + length > this.data.length - this.dataUsed) return false;
      buf!.copy(this.data, start, offset, offset + length);
      this.dataHead = start + length === this.data.length ? 0 : start + length;
      this.dataUsed += gap + length;
    }
    const slot = seq & this.mask;
    const at = slot * L.JOB_INTS;
    const jobs = this.jobs;
    jobs[at + L.KIND] = kind;
    jobs[at + L.STREAM] = stream;
    jobs[at + L.FD] = fd;
    jobs[at + L.DATA_START] = start;
    jobs[at + L.LENGTH] = length;
    jobs[at + L.FLAGS] = flags;
    jobs[at + L.DEP_STREAM] = depStream;
    jobs[at + L.DEP_UPTO] = depUpTo;
    this.positions[slot] = position;
    this.held[slot] = gap + length;
    this.dones[slot] = done;
    this.nextPlaced = (seq + 1) | 0;
    return true;
  }

  /** Moves waiting jobs into the ring while there is room. */
  private placeWaiting(): void {
    while (this.waiting.length > 0) {
      const p = this.waiting[0]!;
      const length = p.bytes === null ? 0 : p.bytes.length;
      if (!this.place(p.seq, p.kind, p.stream, p.fd, p.bytes, 0, length, p.position, p.flags, p.depStream, p.depUpTo, p.done)) return;
      this.waiting.shift();
    }
  }

  private readonly submit = (): void => {
    this.submitScheduled = false;
    if (this.broken !== null || this.nextPlaced === this.published) return;
    this.start();
    this.published = this.nextPlaced;
    Atomics.store(this.control, L.SUBMITTED, this.published);
    Atomics.notify(this.control, L.SUBMITTED);
    if (!this.referenced) {
      // The thread keeps the process alive while it has work (the completion wait alone does not).
      this.referenced = true;
      this.worker!.ref();
    }
    this.arm();
  };

  // ------------------------------------------------------------------ completions

  private arm(): void {
    if (this.armed || this.broken !== null || this.published === this.completed) return;
    this.armed = true;
    const wait = waitAsync(this.control, L.COMPLETED, this.completed);
    if (wait.async) void (wait.value as Promise<unknown>).then(this.onCompleted);
    else queueMicrotask(this.onCompleted);
  }

  private readonly onCompleted = (): void => {
    this.armed = false;
    if (this.broken !== null) return;
    const upTo = Atomics.load(this.control, L.COMPLETED);
    while (this.completed !== upTo) {
      const slot = this.completed & this.mask;
      const at = slot * L.JOB_INTS;
      const done = this.dones[slot]!;
      this.dones[slot] = null;
      this.dataUsed -= this.held[slot]!;
      const error = this.outcome(this.results[slot]!, this.jobs[at + L.STREAM]!, this.jobs[at + L.DEP_STREAM]!);
      this.completed = (this.completed + 1) | 0;
      if (done !== null) this.call(done, error);
    }
    if (this.dataUsed === 0) this.dataHead = 0;
    this.placeWaiting();
    if (this.nextPlaced !== this.published) this.submit();
    else this.arm();
    this.settleIdle();
  };

  /** The error a job's result stands for (null: written). */
  private outcome(result: number, stream: number, depStream: number): Error | null {
    if (result === L.OK) return null;
    if (result === L.SKIPPED_STREAM) return this.streamErrors.get(stream) ?? new Error(`not written: ${this.nameOf(stream)} failed earlier`);
    if (result === L.SKIPPED_DEPENDENCY) {
      const cause = this.streamErrors.get(depStream);
      const error = new WithheldWriteError(`withheld: the write it waits for (${this.nameOf(depStream)}) failed${cause ? `: ${cause.message}` : ''}`);
      if (!this.streamErrors.has(stream)) this.streamErrors.set(stream, error);
      return error;
    }
    const error = systemError(result);
    if (!this.streamErrors.has(stream)) this.streamErrors.set(stream, error);
    return error;
  }

  private call(done: WriteDone, error: Error | null): void {
    try {
      done(error);
    } catch (err) {
      // A writer's callback must not stop the others' completions; surface it like an unhandled error would.
      queueMicrotask(() => {
        throw err;
      });
    }
  }

  private settleIdle(): void {
    if (this.inFlight() !== 0) return;
    if (this.referenced && this.worker !== null) {
      this.referenced = false;
      this.worker.unref();
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private nameOf(stream: number): string {
    return this.streamNames.get(stream) ?? `stream ${stream}`;
  }

  // ------------------------------------------------------------------ the thread

  private start(): void {
    if (this.worker !== null) return;
    Atomics.store(this.control, L.STOP, 0);
    const worker = new Worker(WRITE_THREAD_SOURCE, {
      eval: true,
      workerData: {
        layout: L,
        control: this.control,
        jobs: this.jobs,
        positions: this.positions,
        results: this.results,
        data: new Uint8Array(this.data.buffer, this.data.byteOffset, this.data.length),
        slots: this.slots,
      },
      // The script needs nothing from the parent's flags (e.g. a TypeScript loader under test).
      execArgv: [],
    });
    worker.unref();
    worker.on('error', (err) => this.breakDown(err));
    worker.on('exit', (code) => {
      if (Atomics.load(this.control, L.STOP) !== 1) this.breakDown(new Error(`write thread exited (code ${code})`));
      this.worker = null;
    });
    this.worker = worker;
  }

  /** The thread is gone: nothing queued will be written. Every writer is told; later writes fail at once. */
  private breakDown(cause: Error): void {
    if (this.broken !== null) return;
    this.broken = new Error(`write thread failed: ${cause.message}`);
    const pending: WriteDone[] = [];
    for (let seq = this.completed; seq !== this.nextPlaced; seq = (seq + 1) | 0) {
      const done = this.dones[seq & this.mask];
      if (done) pending.push(done);
      this.dones[seq & this.mask] = null;
    }
    for (const p of this.waiting.splice(0)) if (p.done !== null) pending.push(p.done);
    this.completed = this.nextSeq;
    this.nextPlaced = this.nextSeq;
    for (const done of pending) this.call(done, this.broken);
    this.settleIdle();
  }
}

function systemError(errno: number): NodeJS.ErrnoException {
  const [code, description] = SYSTEM_ERRORS.get(errno) ?? ['EIO', 'i/o error'];
  const error: NodeJS.ErrnoException = new Error(`${code}: ${description}, write`);
  error.code = code;
  error.errno = errno;
  error.syscall = 'write';
  return error;
}
