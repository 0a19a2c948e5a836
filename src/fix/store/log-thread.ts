// The thread that renders and writes every session's FIX message log (messages.log), so that the event loop does no
// per-message work for it: a session hands over its staged runs a few times a second as transferred ArrayBuffers
// (postMessage with a transfer list: no copy, no shared-memory protocol), and the thread cuts them into messages,
// formats the lines and appends them, rotating by size (log-thread-source.ts). One thread serves the whole process.
// The log is not part of any durability promise (the message store is): the thread is unreferenced, so it never keeps
// the process alive, except while someone waits for a flush.

import { Worker } from 'node:worker_threads';
import { LOG_THREAD_SOURCE } from './log-thread-source.js';

export interface LogFileOptions {
  file: string;
  maxFileBytes: number;
  keepFiles: number;
}

type Reply =
  | { type: 'done'; ticket: number }
  | { type: 'written'; id: number; bytes: number }
  | { type: 'error'; id: number; message: string };

/** What a log file's owner is told: write errors, and how many handed-over bytes the thread is done with. */
export interface LogFileEvents {
  error(error: Error): void;
  written(bytes: number): void;
}

export class LogThread {
  private static sharedThread: LogThread | null = null;

  /** The process's log thread, started on first use. */
  static shared(): LogThread {
    LogThread.sharedThread ??= new LogThread();
    return LogThread.sharedThread;
  }

  private worker: Worker | null = null;
  private nextId = 1;
  private nextTicket = 1;
  private readonly waiting = new Map<number, () => void>();
  private readonly owners = new Map<number, LogFileEvents>();
  private failure: Error | null = null;

  /** Registers a log file; returns its id for batch() and close(). */
  open(options: LogFileOptions, owner: LogFileEvents): number {
    const id = this.nextId++;
    this.owners.set(id, owner);
    this.post({ type: 'open', id, file: options.file, maxFileBytes: options.maxFileBytes, keepFiles: options.keepFiles });
    return id;
  }

  /** Hands over `length` staged bytes of `data`'s ArrayBuffer (which is transferred: the caller must not use it again). */
  batch(id: number, data: Buffer, length: number): void {
    const ab = data.buffer;
    if (data.byteOffset !== 0 || !(ab instanceof ArrayBuffer)) throw new Error('LogThread.batch: a buffer of its own ArrayBuffer is needed');
    this.post({ type: 'batch', id, data: ab, length }, [ab]);
  }

  /** Resolves once everything handed over for `id` so far is written (or failed). */
  written(id: number): Promise<void> {
    return this.ticketed({ type: 'sync', id });
  }

  /** Closes the file of `id` after its last batch; resolves when done. */
  close(id: number): Promise<void> {
    const done = this.ticketed({ type: 'close', id });
    return done.then(() => void this.owners.delete(id));
  }

  private ticketed(message: { type: string; id: number }): Promise<void> {
    if (this.failure !== null) return Promise.resolve();
    const ticket = this.nextTicket++;
    const done = new Promise<void>((resolve) => this.waiting.set(ticket, resolve));
    this.post({ ...message, ticket });
    this.worker?.ref();
    return done;
  }

  private post(message: object, transfer: ArrayBuffer[] = []): void {
    if (this.failure !== null) return;
    this.start().postMessage(message, transfer);
  }

  private start(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(LOG_THREAD_SOURCE, { eval: true, execArgv: [] });
    worker.unref();
    worker.on('message', (reply: Reply) => this.onReply(reply));
    worker.on('error', (err) => this.breakDown(err));
    worker.on('exit', (code) => this.breakDown(new Error(`message log thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: Reply): void {
    if (reply.type === 'error') {
      this.owners.get(reply.id)?.error(new Error(reply.message));
      return;
    }
    if (reply.type === 'written') {
      this.owners.get(reply.id)?.written(reply.bytes);
      return;
    }
    const resolve = this.waiting.get(reply.ticket);
    this.waiting.delete(reply.ticket);
    resolve?.();
    if (this.waiting.size === 0) this.worker?.unref();
  }

  /** The thread is gone: every log goes quiet (sessions carry on); waiters are released. */
  private breakDown(cause: Error): void {
    if (this.failure !== null) return;
    this.failure = cause;
    for (const owner of this.owners.values()) owner.error(cause);
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
  }
}
