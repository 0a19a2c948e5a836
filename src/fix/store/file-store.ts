// A session's message store on disk: one append-only file per store epoch (`store.<epoch>.dat`, layout in
// store-records.ts). Startup scans the file once, sequentially, building an in-memory index (seq → offset); this
// keeps every flush a single append (no second index file to keep consistent with the data) and costs one sequential
// read at startup (page-cache speed: a store of a million messages scans in well under a second). A reset writes a
// new epoch file (header + sequence numbers in one write) and only then deletes the old one, so a crash at any point
// leaves either the old store or the new, empty one, never a mix.
//
// Batches are written by the write thread (src/io/write-thread.ts), in one queue with the venue journal's: a turn's
// batch can be queued right behind the journal write it must follow (the thread skips it if that write fails), so
// the turn needs one hand-over to the disk rather than two in a row. Resets and batches that wait for a plain
// promise go through the chain of earlier writes instead.

import { mkdir, open, readFile, readdir, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageIndex } from './message-index.js';
import { StoreFailedError, type MessageStore, type StoredMessage } from './message-store.js';
import { SentCache } from './sent-cache.js';
import { StagingBuffer } from './staging-buffer.js';
import {
  FLAG_ADMIN,
  HEADER_SIZE,
  MESSAGE_OVERHEAD,
  MESSAGE_PAYLOAD_OFFSET,
  SEQNUMS_SIZE,
  putMessageRecord,
  putSeqnumsRecord,
  readHeader,
  scanRecord,
  writeHeader,
} from './store-records.js';
import { batchWriteFault, crashAfterTear, failpointAt } from '../../app/failpoints.js';
import { WithheldWriteError, WriteThread, type PendingDurability, type QueuedWrite } from '../../io/write-thread.js';

/** Soak-test crash point (src/app/failpoints.ts); null unless VENUE_FAILPOINT names this site. */
const FAILPOINT = failpointAt('store-write');

export interface FileStoreOptions {
  /** fsync every flush (and the directory on reset). Off by default: the page cache already survives kill -9. */
  fsync?: boolean;
  /** How many recent sent messages to keep in memory for resends. */
  cacheSize?: number;
  /** Called when startup cut off a torn or corrupt tail (after a crash mid-write). */
  onRecovered?: (info: { file: string; truncatedBytes: number }) => void;
  /** Where batches are written (default: the process's shared write thread). */
  thread?: WriteThread;
}

interface PendingBatch {
  beforeReset: Buffer | null;
  reset: { epoch: number; createdAt: number } | null;
  records: Buffer;
}

const FILE_PATTERN = /^store\.(\d+)\.dat$/;
const LOCK_FILE = 'lock';
const SCAN_CHUNK = 1 << 20;

export class FileMessageStore implements MessageStore {
  private readonly index = new MessageIndex();
  private readonly cache: SentCache;
  private readonly staging = new StagingBuffer();
  private senderSeq = 1;
  private targetSeq = 1;
  private seqsStaged = false;
  /** Size the file will have once everything staged so far is written. */
  private logicalSize: number;
  private pendingReset: { epoch: number; createdAt: number } | null = null;
  private beforeReset: Buffer | null = null;
  /** Bytes of the current file that are written or queued (where the next write goes). */
  private diskSize: number;
  private writeChain: Promise<void> = Promise.resolve();
  /** Flushes on the chain (a reset, a wait for a promise): while any is pending, later flushes queue behind them. */
  private chained = 0;
  private failed: Error | null = null;
  private readonly thread: WriteThread;
  private readonly stream: number;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private epoch: number,
    private createdAt: number,
    fileSize: number,
    private readonly fsync: boolean,
    cacheSize: number,
    thread: WriteThread,
  ) {
    this.logicalSize = fileSize;
    this.diskSize = fileSize;
    this.cache = new SentCache(cacheSize);
    this.thread = thread;
    this.stream = thread.openStream(`the message store in ${dir}`);
  }

  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileMessageStore> {
    await mkdir(dir, { recursive: true });
    await takeLock(dir);
    const fsync = options.fsync ?? false;
    const epochs = (await readdir(dir))
      .map((name) => FILE_PATTERN.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);

    for (const epoch of epochs) {
      const file = join(dir, fileName(epoch));
      const fh = await open(file, 'r+');
      const header = Buffer.alloc(HEADER_SIZE);
      const { bytesRead } = await fh.read(header, 0, HEADER_SIZE, 0);
      const parsed = bytesRead === HEADER_SIZE ? readHeader(header) : null;
      if (!parsed || parsed.epoch !== epoch) {
        // A reset that never completed its first write: the older epoch is still the store.
        await fh.close();
        continue;
      }
      const store = new FileMessageStore(dir, fh, epoch, parsed.createdAt, HEADER_SIZE, fsync, options.cacheSize ?? 4096, options.thread ?? WriteThread.shared());
      try {
        await store.scan(file, options.onRecovered);
      } catch (err) {
        await fh.close().catch(() => {});
        throw err;
      }
      for (const other of epochs) if (other !== epoch) await unlink(join(dir, fileName(other))).catch(() => {});
      return store;
    }

    for (const other of epochs) await unlink(join(dir, fileName(other))).catch(() => {});
    const createdAt = Date.now();
    const fh = await open(join(dir, fileName(1)), 'w+');
    const first = Buffer.alloc(HEADER_SIZE + SEQNUMS_SIZE);
    writeHeader(1, createdAt).copy(first, 0);
    putSeqnumsRecord(first, HEADER_SIZE, 1, 1);
    await writeFully(fh, first, 0);
    if (fsync) await syncFileAndDir(fh, dir);
    return new FileMessageStore(dir, fh, 1, createdAt, first.length, fsync, options.cacheSize ?? 4096, options.thread ?? WriteThread.shared());
  }

  get nextSenderSeq(): number {
    return this.senderSeq;
  }
  get nextTargetSeq(): number {
    return this.targetSeq;
  }
  get creationTime(): number {
    return this.pendingReset ? this.pendingReset.createdAt : this.createdAt;
  }
  get hasStagedChanges(): boolean {
    return this.seqsStaged || this.staging.length > 0 || this.pendingReset !== null;
  }
  get failure(): Error | null {
    return this.failed;
  }

  append(seq: number, bytes: Buffer, admin: boolean): void {
    const flags = admin ? FLAG_ADMIN : 0;
    const { buf, at } = this.staging.reserve(MESSAGE_OVERHEAD + bytes.length);
    putMessageRecord(buf, at, seq, flags, bytes);
    this.staging.commit(MESSAGE_OVERHEAD + bytes.length);
    const payloadFileOffset = this.logicalSize + MESSAGE_PAYLOAD_OFFSET;
    this.logicalSize += MESSAGE_OVERHEAD + bytes.length;
    this.index.add(seq, payloadFileOffset, bytes.length, flags);
    this.cache.put(seq, buf, at + MESSAGE_PAYLOAD_OFFSET, bytes.length, flags);
    if (seq + 1 > this.senderSeq) this.senderSeq = seq + 1;
    this.seqsStaged = true;
  }

  setNextSenderSeq(seq: number): void {
    this.senderSeq = seq;
    this.seqsStaged = true;
  }

  setNextTargetSeq(seq: number): void {
    if (seq === this.targetSeq) return;
    this.targetSeq = seq;
    this.seqsStaged = true;
  }

  reset(now: number): void {
    // Whatever was staged before the reset belongs to the old epoch and is still written there first. Between two
    // resets in one turn it belongs to an epoch that will never exist, and is dropped.
    if (this.staging.length > 0) {
      if (this.pendingReset) this.staging.discard();
      else this.beforeReset = this.staging.take();
    }
    this.pendingReset = { epoch: (this.pendingReset?.epoch ?? this.epoch) + 1, createdAt: now };
    this.index.clear();
    this.cache.clear();
    this.senderSeq = 1;
    this.targetSeq = 1;
    this.seqsStaged = true;
    this.logicalSize = HEADER_SIZE;
  }

  flush(after?: Promise<void> | PendingDurability): Promise<void> {
    if (this.failed) return Promise.reject(new StoreFailedError(this.failed));
    if (!this.hasStagedChanges) return this.writeChain;
    if (this.seqsStaged) {
      const { buf, at } = this.staging.reserve(SEQNUMS_SIZE);
      putSeqnumsRecord(buf, at, this.senderSeq, this.targetSeq);
      this.staging.commit(SEQNUMS_SIZE);
      this.logicalSize += SEQNUMS_SIZE;
      this.seqsStaged = false;
    }
    const batch: PendingBatch = { beforeReset: this.beforeReset, reset: this.pendingReset, records: this.staging.take() };
    this.beforeReset = null;
    this.pendingReset = null;
    if (batch.reset === null && batch.beforeReset === null && this.chained === 0 && !(after instanceof Promise)) {
      // The usual turn: straight into the write thread's queue, behind the write it must follow.
      const queued = this.queueRecords(batch.records, after?.write ?? null);
      this.writeChain = queued.catch(() => {});
      return queued;
    }
    this.chained++;
    const waitFor = after instanceof Promise ? after : after?.done;
    const run = this.writeChain.then(async () => {
      if (waitFor !== undefined) {
        try {
          await waitFor;
        } catch (err) {
          // What this batch holds must never be sent or resent: the store stops until it is reopened from disk.
          const cause = err instanceof Error ? err : new Error(String(err));
          this.failed ??= new WithheldWriteError(`withheld after a failed durability barrier: ${cause.message}`);
        }
      }
      if (this.failed) throw new StoreFailedError(this.failed);
      await this.writeBatch(batch);
    });
    // Later flushes wait for this one but must not inherit its rejection as theirs (they check `failed` instead).
    this.writeChain = run.then(
      () => void this.chained--,
      () => void this.chained--,
    );
    return run;
  }

  cachedRange(begin: number, end: number): StoredMessage[] | null {
    const from = this.index.lowerBound(begin);
    const to = this.index.lowerBound(end + 1);
    const out: StoredMessage[] = [];
    for (let i = from; i < to; i++) {
      const seq = this.index.seqAt(i);
      if (!this.cache.has(seq)) return null;
      out.push({ seq, admin: (this.cache.flagsOf(seq) & FLAG_ADMIN) !== 0, bytes: this.cache.bytes(seq) });
    }
    return out;
  }

  async range(begin: number, end: number): Promise<StoredMessage[]> {
    const cached = this.cachedRange(begin, end);
    if (cached) return cached;
    return this.readRange(this.index.lowerBound(begin), this.index.lowerBound(end + 1));
  }

  async close(): Promise<void> {
    await this.writeChain;
    this.thread.closeStream(this.stream);
    await this.fh.close();
    await unlink(join(this.dir, LOCK_FILE)).catch(() => {});
  }

  private async readRange(from: number, to: number): Promise<StoredMessage[]> {
    // Everything asked for must be on disk before it can be read back.
    if (this.hasStagedChanges) await this.flush();
    else await this.writeChain;
    if (from >= to) return [];
    const start = this.index.offsetAt(from);
    const last = to - 1;
    const span = Buffer.allocUnsafe(this.index.offsetAt(last) + this.index.lengthAt(last) - start);
    let got = 0;
    while (got < span.length) {
      const { bytesRead } = await this.fh.read(span, got, span.length - got, start + got);
      if (bytesRead === 0) throw new Error(`store file ended before message ${this.index.seqAt(last)}`);
      got += bytesRead;
    }
    const out: StoredMessage[] = [];
    for (let i = from; i < to; i++) {
      const at = this.index.offsetAt(i) - start;
      out.push({
        seq: this.index.seqAt(i),
        admin: (this.index.flagsAt(i) & FLAG_ADMIN) !== 0,
        bytes: span.subarray(at, at + this.index.lengthAt(i)),
      });
    }
    return out;
  }

  /** Queues `records` at the end of the file on the write thread (behind `dependsOn`); resolves once written. */
  private queueRecords(records: Buffer, dependsOn: QueuedWrite | null): Promise<void> {
    const position = this.diskSize;
    this.diskSize += records.length;
    return new Promise<void>((resolve, reject) => {
      const done = (error: Error | null): void => {
        if (error === null) return resolve();
        this.failed ??= error;
        reject(new StoreFailedError(this.failed));
      };
      const fault = FAILPOINT === null ? null : batchWriteFault(FAILPOINT, records.length);
      if (fault !== null && 'tear' in fault) {
        // Half the batch lands in its place in the queue (behind the journal write it depends on), then the crash.
        const crash = (): void => crashAfterTear(FAILPOINT!);
        this.thread.write(this.stream, this.fh.fd, records, 0, fault.tear, position, { datasync: this.fsync, dependsOn }, crash);
        this.thread.fail(this.stream, new Error('store write torn by a failpoint; the process is being killed'));
      } else if (fault !== null) this.thread.fail(this.stream, fault, done);
      else this.thread.write(this.stream, this.fh.fd, records, 0, records.length, position, { datasync: this.fsync, dependsOn }, done);
    });
  }

  private async writeBatch(batch: PendingBatch): Promise<void> {
    try {
      if (batch.beforeReset && batch.beforeReset.length > 0) {
        await writeFully(this.fh, batch.beforeReset, this.diskSize);
        this.diskSize += batch.beforeReset.length;
      }
      if (batch.reset) {
        const file = join(this.dir, fileName(batch.reset.epoch));
        const fh = await open(file, 'w+');
        const header = writeHeader(batch.reset.epoch, batch.reset.createdAt);
        const first = batch.records.length > 0 ? Buffer.concat([header, batch.records]) : header;
        try {
          await writeFully(fh, first, 0);
          if (this.fsync) await syncFileAndDir(fh, this.dir);
        } catch (err) {
          await fh.close().catch(() => {});
          throw err;
        }
        const oldEpoch = this.epoch;
        const oldFh = this.fh;
        this.fh = fh;
        this.epoch = batch.reset.epoch;
        this.createdAt = batch.reset.createdAt;
        this.diskSize = first.length;
        await oldFh.close();
        await unlink(join(this.dir, fileName(oldEpoch)));
      } else if (batch.records.length > 0) {
        await this.queueRecords(batch.records, null);
      }
    } catch (err) {
      if (err instanceof StoreFailedError) throw err;
      this.failed = err instanceof Error ? err : new Error(String(err));
      throw new StoreFailedError(this.failed);
    }
  }

  /** Rebuilds the index and sequence numbers from the file; cuts off a torn tail. */
  private async scan(file: string, onRecovered: FileStoreOptions['onRecovered']): Promise<void> {
    const { size } = await this.fh.stat();
    let fileOffset = HEADER_SIZE;
    let carry = Buffer.alloc(0);
    let lastMessageSeq = 0;
    let recordedSender = 1;
    let goodEnd = HEADER_SIZE;
    scanning: while (fileOffset < size || carry.length > 0) {
      const want = Math.min(SCAN_CHUNK, size - fileOffset);
      let chunk = carry;
      if (want > 0) {
        const fresh = Buffer.allocUnsafe(want);
        const { bytesRead } = await this.fh.read(fresh, 0, want, fileOffset);
        fileOffset += bytesRead;
        chunk = carry.length > 0 ? Buffer.concat([carry, fresh.subarray(0, bytesRead)]) : fresh.subarray(0, bytesRead);
      }
      const chunkFileStart = fileOffset - chunk.length;
      let at = 0;
      for (;;) {
        const rec = scanRecord(chunk, at);
        if (rec === 'incomplete') {
          if (fileOffset >= size) break scanning;
          carry = chunk.subarray(at);
          // A record longer than what is left of the file is a torn tail; the next round ends the scan.
          continue scanning;
        }
        if (rec === 'corrupt') break scanning;
        if (rec.kind === 'message') {
          this.index.add(rec.seq, chunkFileStart + rec.payloadOffset, rec.length, rec.flags);
          lastMessageSeq = rec.seq;
        } else {
          recordedSender = rec.nextSender;
          this.targetSeq = rec.nextTarget;
          // The seqnums record accounts for every message before it (even after a manual lowering).
          lastMessageSeq = 0;
        }
        at += rec.size;
        goodEnd = chunkFileStart + at;
      }
    }
    // A message written after the last seqnums record still used its number: never hand it out again.
    this.senderSeq = Math.max(recordedSender, lastMessageSeq + 1);
    if (goodEnd < size) {
      await this.fh.truncate(goodEnd);
      onRecovered?.({ file, truncatedBytes: size - goodEnd });
    }
    this.logicalSize = goodEnd;
    this.diskSize = goodEnd;
  }
}

/**
 * Two processes appending to one store would hand out the same sequence numbers. The lock file holds the owner's
 * pid; a lock left by a process that no longer exists (killed) is taken over.
 */
async function takeLock(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (owner === process.pid) return;
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new StoreLockedError(dir, owner);
    }
    await unlink(path).catch(() => {});
  }
  throw new StoreLockedError(dir, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StoreLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly ownerPid: number,
  ) {
    super(`message store ${dir} is in use by another process (pid ${ownerPid || 'unknown'})`);
  }
}

function fileName(epoch: number): string {
  return `store.${epoch}.dat`;
}

async function writeFully(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await fh.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}

async function syncFileAndDir(fh: FileHandle, dir: string): Promise<void> {
  await fh.sync();
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
