// A session's message store on disk: one append-only file per store epoch (`store.<epoch>.dat`, layout in
// store-records.ts). Startup scans the file once, sequentially, building an in-memory index (seq → offset); this
// keeps every flush a single append (no second index file to keep consistent with the data) and costs one sequential
// read at startup (page-cache speed: a store of a million messages scans in well under a second). A reset writes a
// new epoch file (header + sequence numbers in one write) and only then deletes the old one, so a crash at any point
// leaves either the old store or the new, empty one, never a mix.
//
// A turn's messages are staged as one batch record, back to back, exactly as they go to the socket: the session's
// outbound queue sends views of these same bytes (no second copy), and the batch gets one CRC when it is sealed.
//
// Two ways to the disk (README, "Durability"):
//   page cache   writeNow(): the batch is written synchronously on the event loop, one pwrite per turn, before the
//                turn's output may reach the socket (the FIX engine's flush does that, after the journal's write).
//   fsync        flush(after): the batch is handed to the write thread (src/io/write-thread.ts), queued right behind
//                the journal write it must follow (the thread skips it if that write fails), written and
//                fdatasynced there; resets and batches that wait for a plain promise go through the chain of earlier
//                writes instead.

import fs from 'node:fs';
import { mkdir, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MessageIndex } from './message-index.js';
import { StoreFailedError, type MessageStore, type StoredMessage } from './message-store.js';
import { SentCache } from './sent-cache.js';
import { StagingBuffer } from './staging-buffer.js';
import {
  BATCH_ENTRY,
  BATCH_HEADER,
  FLAG_ADMIN,
  HEADER_SIZE,
  SEQNUMS_SIZE,
  putSeqnumsRecord,
  readHeader,
  scanRecord,
  sealBatchRecord,
  writeHeader,
} from './store-records.js';
import { asError, writeFullySync } from '../../io/sync-write.js';
import type { WriteFaults } from '../../io/write-faults.js';
import { WithheldWriteError, WriteThread, type PendingDurability, type QueuedWrite } from '../../io/write-thread.js';

const openFd = promisify(fs.open);
const closeFd = promisify(fs.close);
const readFd = promisify(fs.read);
const writeFd = promisify(fs.write);
const fstatFd = promisify(fs.fstat);
const ftruncateFd = promisify(fs.ftruncate);
const fsyncFd = promisify(fs.fsync);

export interface FileStoreOptions {
  /** fsync every flush (and the directory on reset). Off by default: the page cache already survives kill -9. */
  fsync?: boolean;
  /** How many recent sent messages to keep in memory for resends. */
  cacheSize?: number;
  /** Called when startup cut off a torn or corrupt tail (after a crash mid-write). */
  onRecovered?: (info: { file: string; truncatedBytes: number }) => void;
  /** Where fsync-level batches are written (default: the process's shared write thread). */
  thread?: WriteThread;
  /** Injected disk faults (the soak's failpoints, src/app/failpoints.ts); null in production. */
  faults?: WriteFaults | null;
}

interface PendingBatch {
  beforeReset: Buffer | null;
  reset: { epoch: number; createdAt: number } | null;
  records: Buffer;
}

const FILE_PATTERN = /^store\.(\d+)\.dat$/;
const LOCK_FILE = 'lock';
const SCAN_CHUNK = 1 << 20;
const EMPTY = Buffer.alloc(0);

export class FileMessageStore implements MessageStore {
  private readonly index = new MessageIndex();
  private readonly cache: SentCache;
  private readonly staging = new StagingBuffer();
  private senderSeq = 1;
  private targetSeq = 1;
  private seqsStaged = false;
  /** A batch record is open in the staging (its header reserved at the staging's pending start). */
  private batchOpen = false;
  /** The open batch's messages: seq, length and flags of each, for its entries when it is sealed. */
  private batchCount = 0;
  private batchSeqs = new Uint32Array(256);
  private batchLengths = new Uint32Array(256);
  private batchFlags = new Uint8Array(256);
  /** File offset where the open batch record starts. */
  private batchFileStart = 0;
  /** Size the file will have once everything staged so far is written. */
  private logicalSize: number;
  private pendingReset: { epoch: number; createdAt: number } | null = null;
  private beforeReset: Buffer | null = null;
  /** Bytes of the current file that are written or queued (where the next write goes). */
  private diskSize: number;
  private writeChain: Promise<void> = Promise.resolve();
  /** Flushes on the chain (a reset, a wait for a promise): while any is pending, later flushes queue behind them. */
  private chained = 0;
  /** Batches handed to the write thread and not yet completed. */
  private threadWrites = 0;
  private failed: Error | null = null;
  private failedError: StoreFailedError | null = null;
  private readonly thread: WriteThread | null;
  private stream = -1;
  /** Where the last appended message's bytes are (the session's outbound queue sends this same view). */
  lastBuffer: Buffer = EMPTY;
  lastOffset = 0;

  private constructor(
    private readonly dir: string,
    private fd: number,
    private epoch: number,
    private createdAt: number,
    fileSize: number,
    private readonly fsync: boolean,
    cacheSize: number,
    thread: WriteThread | undefined,
    private readonly faults: WriteFaults | null,
  ) {
    this.logicalSize = fileSize;
    this.diskSize = fileSize;
    this.cache = new SentCache(cacheSize);
    // The page-cache level never needs the thread (except for the rare batch that waits for a promise barrier).
    this.thread = thread ?? null;
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
    const make = (fd: number, epoch: number, createdAt: number, size: number): FileMessageStore =>
      new FileMessageStore(dir, fd, epoch, createdAt, size, fsync, options.cacheSize ?? 4096, options.thread, options.faults ?? null);

    for (const epoch of epochs) {
      const file = join(dir, fileName(epoch));
      const fd = await openFd(file, 'r+');
      const header = Buffer.alloc(HEADER_SIZE);
      const { bytesRead } = await readFd(fd, header, 0, HEADER_SIZE, 0);
      const parsed = bytesRead === HEADER_SIZE ? readHeader(header) : null;
      if (!parsed || parsed.epoch !== epoch) {
        // A reset that never completed its first write: the older epoch is still the store.
        await closeFd(fd);
        continue;
      }
      const store = make(fd, epoch, parsed.createdAt, HEADER_SIZE);
      try {
        await store.scan(file, options.onRecovered);
      } catch (err) {
        await closeFd(fd).catch(() => {});
        throw err;
      }
      for (const other of epochs) if (other !== epoch) await unlink(join(dir, fileName(other))).catch(() => {});
      return store;
    }

    for (const other of epochs) await unlink(join(dir, fileName(other))).catch(() => {});
    const createdAt = Date.now();
    const fd = await openFd(join(dir, fileName(1)), 'w+');
    const first = Buffer.alloc(HEADER_SIZE + SEQNUMS_SIZE);
    writeHeader(1, createdAt).copy(first, 0);
    putSeqnumsRecord(first, HEADER_SIZE, 1, 1);
    await writeFullyAsync(fd, first, 0);
    if (fsync) await syncFileAndDir(fd, dir);
    return make(fd, 1, createdAt, first.length);
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
    return this.seqsStaged || this.batchOpen || this.pendingReset !== null;
  }
  get failure(): Error | null {
    return this.failed;
  }

  /**
   * True when writeNow() may write the staged batch: the page-cache level, with no earlier batch still on its way
   * through the write thread or the chain (a synchronous write would overtake it).
   */
  get writesInline(): boolean {
    return !this.fsync && this.chained === 0 && this.threadWrites === 0;
  }

  append(seq: number, bytes: Buffer, admin: boolean): void {
    this.prepareAppend(bytes.length);
    bytes.copy(this.staging.buffer, this.staging.pendingEnd);
    this.appendPlaced(seq, bytes.length, admin);
  }

  prepareAppend(room: number): void {
    this.openBatch();
    this.staging.ensure(room);
  }

  get placeBuffer(): Buffer {
    return this.staging.buffer;
  }

  get placeOffset(): number {
    return this.staging.pendingEnd;
  }

  appendPlaced(seq: number, length: number, admin: boolean): void {
    const staging = this.staging;
    const buf = staging.buffer;
    const at = staging.pendingEnd;
    staging.commit(length);
    const flags = admin ? FLAG_ADMIN : 0;
    const n = this.batchCount;
    if (n === this.batchSeqs.length) this.growBatch();
    this.batchSeqs[n] = seq;
    this.batchLengths[n] = length;
    this.batchFlags[n] = flags;
    this.batchCount = n + 1;
    this.index.add(seq, this.logicalSize, length, flags);
    this.logicalSize += length;
    this.cache.put(seq, buf, at, length, flags);
    this.lastBuffer = buf;
    this.lastOffset = at;
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
    // Whatever was sent before the reset belongs to the old epoch and is still written there first. Between two
    // resets in one turn it belongs to an epoch that will never exist, and is dropped.
    if (this.batchCount > 0 && this.pendingReset === null) this.beforeReset = this.sealBatch();
    else this.dropBatch();
    this.pendingReset = { epoch: (this.pendingReset?.epoch ?? this.epoch) + 1, createdAt: now };
    this.index.clear();
    this.cache.clear();
    this.senderSeq = 1;
    this.targetSeq = 1;
    this.seqsStaged = true;
    this.logicalSize = HEADER_SIZE;
  }

  /**
   * The page-cache level: writes what is staged now, synchronously (one write; a reset creates the new epoch's
   * file). Returns null, or the error that failed the store (then nothing staged may be sent). Call only while
   * writesInline holds.
   */
  writeNow(): Error | null {
    if (this.failed !== null) return this.failedError;
    if (!this.hasStagedChanges) return null;
    const records = this.sealBatch();
    const beforeReset = this.beforeReset;
    const reset = this.pendingReset;
    this.beforeReset = null;
    this.pendingReset = null;
    try {
      // Faults strike batch writes (a reset's new file is not one).
      const fault = this.faults === null || reset !== null ? null : this.faults.before(records.length);
      if (fault !== null && 'tear' in fault) {
        // Half the batch lands, then the crash (the soak's torn write).
        writeFullySync(this.fd, records, 0, fault.tear, this.diskSize);
        this.faults!.torn();
        throw new Error('store write torn by a failpoint; the process is being killed');
      }
      if (fault !== null) throw fault;
      if (beforeReset !== null) {
        writeFullySync(this.fd, beforeReset, 0, beforeReset.length, this.diskSize);
        this.diskSize += beforeReset.length;
      }
      if (reset !== null) this.startEpochSync(reset, records);
      else {
        writeFullySync(this.fd, records, 0, records.length, this.diskSize);
        this.diskSize += records.length;
      }
    } catch (err) {
      return this.fail(asError(err));
    }
    return null;
  }

  /**
   * What is staged must never be written or sent: the durability barrier it waits for (the venue's journal) failed.
   * The store stops until it is reopened from disk (its memory holds messages the disk never will).
   */
  withhold(cause: Error): void {
    this.dropBatch();
    this.beforeReset = null;
    this.pendingReset = null;
    this.seqsStaged = false;
    if (this.failed === null) this.fail(new WithheldWriteError(`withheld after a failed durability barrier: ${cause.message}`));
  }

  flush(after?: Promise<void> | PendingDurability): Promise<void> {
    if (this.failed) return Promise.reject(new StoreFailedError(this.failed));
    if (!this.hasStagedChanges) return this.writeChain;
    const batch: PendingBatch = { beforeReset: this.beforeReset, reset: this.pendingReset, records: this.sealBatch() };
    this.beforeReset = null;
    this.pendingReset = null;
    if (after === undefined && this.writesInline) {
      const error = this.writeBatchInline(batch);
      return error === null ? Promise.resolve() : Promise.reject(error);
    }
    if (batch.reset === null && batch.beforeReset === null && this.chained === 0 && !(after instanceof Promise)) {
      // The usual fsync-level turn: straight into the write thread's queue, behind the write it must follow.
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
          if (this.failed === null) this.fail(new WithheldWriteError(`withheld after a failed durability barrier: ${cause.message}`));
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
    // Batches on their way to the disk land first; what is still staged is read from memory below.
    await this.writeChain;
    return this.readRange(this.index.lowerBound(begin), this.index.lowerBound(end + 1));
  }

  async close(): Promise<void> {
    await this.writeChain;
    if (this.thread !== null && this.stream >= 0) this.thread.closeStream(this.stream);
    await closeFd(this.fd);
    await unlink(join(this.dir, LOCK_FILE)).catch(() => {});
  }

  // ------------------------------------------------------------------ the batch being staged

  /** Reserves the open batch's header at the start of the staging (done on the turn's first change). */
  private openBatch(): void {
    if (this.batchOpen) return;
    this.staging.ensure(BATCH_HEADER);
    this.staging.commit(BATCH_HEADER);
    this.batchOpen = true;
    this.batchCount = 0;
    this.batchFileStart = this.logicalSize;
    this.logicalSize += BATCH_HEADER;
  }

  /** Completes the staged batch (entries, sequence numbers, CRC) and hands it over as one record. */
  private sealBatch(): Buffer {
    if (!this.batchOpen && !this.seqsStaged) return EMPTY;
    this.openBatch();
    const n = this.batchCount;
    const trailer = n * BATCH_ENTRY + 4;
    const staging = this.staging;
    staging.ensure(trailer);
    sealBatchRecord(staging.buffer, staging.pendingStart, staging.pendingEnd, n, this.batchSeqs, this.batchLengths, this.batchFlags, this.senderSeq, this.targetSeq);
    staging.commit(trailer);
    this.logicalSize += trailer;
    this.batchOpen = false;
    this.batchCount = 0;
    this.seqsStaged = false;
    return staging.take();
  }

  /** Forgets the staged batch (its messages are dropped from the index by the caller's reset or failure). */
  private dropBatch(): void {
    if (!this.batchOpen) return;
    // Sealed, not discarded: its messages may already be queued for the socket as views of these bytes, which must
    // not be overwritten by the next batch.
    this.staging.seal();
    this.logicalSize = this.batchFileStart;
    this.batchOpen = false;
    this.batchCount = 0;
  }

  private growBatch(): void {
    const size = this.batchSeqs.length * 2;
    const seqs = new Uint32Array(size);
    seqs.set(this.batchSeqs);
    const lengths = new Uint32Array(size);
    lengths.set(this.batchLengths);
    const flags = new Uint8Array(size);
    flags.set(this.batchFlags);
    this.batchSeqs = seqs;
    this.batchLengths = lengths;
    this.batchFlags = flags;
  }

  private fail(error: Error): StoreFailedError {
    this.failed ??= error;
    this.failedError ??= new StoreFailedError(this.failed);
    return this.failedError;
  }

  // ------------------------------------------------------------------ writes

  /** A sealed batch written synchronously (flush() without a barrier at the page-cache level). */
  private writeBatchInline(batch: PendingBatch): StoreFailedError | null {
    try {
      if (batch.beforeReset !== null) {
        writeFullySync(this.fd, batch.beforeReset, 0, batch.beforeReset.length, this.diskSize);
        this.diskSize += batch.beforeReset.length;
      }
      if (batch.reset !== null) this.startEpochSync(batch.reset, batch.records);
      else if (batch.records.length > 0) {
        writeFullySync(this.fd, batch.records, 0, batch.records.length, this.diskSize);
        this.diskSize += batch.records.length;
      }
      return null;
    } catch (err) {
      return this.fail(asError(err));
    }
  }

  /** A reset at the page-cache level: the new epoch's file (header and first batch in one write), then the old one goes. */
  private startEpochSync(reset: { epoch: number; createdAt: number }, records: Buffer): void {
    const fd = fs.openSync(join(this.dir, fileName(reset.epoch)), 'w+');
    const header = writeHeader(reset.epoch, reset.createdAt);
    const first = records.length > 0 ? Buffer.concat([header, records]) : header;
    try {
      writeFullySync(fd, first, 0, first.length, 0);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    const oldEpoch = this.epoch;
    const oldFd = this.fd;
    this.fd = fd;
    this.epoch = reset.epoch;
    this.createdAt = reset.createdAt;
    this.diskSize = first.length;
    fs.closeSync(oldFd);
    fs.unlinkSync(join(this.dir, fileName(oldEpoch)));
  }

  private writeThread(): WriteThread {
    const thread = this.thread ?? WriteThread.shared();
    if (this.stream < 0) this.stream = thread.openStream(`the message store in ${this.dir}`);
    return thread;
  }

  /** Queues `records` at the end of the file on the write thread (behind `dependsOn`); resolves once written. */
  private queueRecords(records: Buffer, dependsOn: QueuedWrite | null): Promise<void> {
    const thread = this.writeThread();
    const position = this.diskSize;
    this.diskSize += records.length;
    this.threadWrites++;
    return new Promise<void>((resolve, reject) => {
      const done = (error: Error | null): void => {
        this.threadWrites--;
        if (error === null) return resolve();
        reject(this.fail(error));
      };
      const fault = this.faults === null ? null : this.faults.before(records.length);
      if (fault !== null && 'tear' in fault) {
        // Half the batch lands in its place in the queue (behind the journal write it depends on), then the crash.
        const faults = this.faults!;
        thread.write(this.stream, this.fd, records, 0, fault.tear, position, { datasync: this.fsync, dependsOn }, () => faults.torn());
        thread.fail(this.stream, new Error('store write torn by a failpoint; the process is being killed'));
      } else if (fault !== null) thread.fail(this.stream, fault, done);
      else thread.write(this.stream, this.fd, records, 0, records.length, position, { datasync: this.fsync, dependsOn }, done);
    });
  }

  private async writeBatch(batch: PendingBatch): Promise<void> {
    try {
      if (batch.beforeReset && batch.beforeReset.length > 0) {
        await writeFullyAsync(this.fd, batch.beforeReset, this.diskSize);
        this.diskSize += batch.beforeReset.length;
      }
      if (batch.reset) {
        const file = join(this.dir, fileName(batch.reset.epoch));
        const fd = await openFd(file, 'w+');
        const header = writeHeader(batch.reset.epoch, batch.reset.createdAt);
        const first = batch.records.length > 0 ? Buffer.concat([header, batch.records]) : header;
        try {
          await writeFullyAsync(fd, first, 0);
          if (this.fsync) await syncFileAndDir(fd, this.dir);
        } catch (err) {
          await closeFd(fd).catch(() => {});
          throw err;
        }
        const oldEpoch = this.epoch;
        const oldFd = this.fd;
        this.fd = fd;
        this.epoch = batch.reset.epoch;
        this.createdAt = batch.reset.createdAt;
        this.diskSize = first.length;
        await closeFd(oldFd);
        await unlink(join(this.dir, fileName(oldEpoch)));
      } else if (batch.records.length > 0) {
        await this.queueRecords(batch.records, null);
      }
    } catch (err) {
      if (err instanceof StoreFailedError) throw err;
      throw this.fail(asError(err));
    }
  }

  // ------------------------------------------------------------------ reads

  /**
   * Messages at index positions [from, to): those already written from the file, those still staged in this turn's
   * batch from memory (they must not be written ahead of the turn's durability barrier just to be read).
   */
  private async readRange(from: number, to: number): Promise<StoredMessage[]> {
    if (from >= to) return [];
    let onDisk = from;
    while (onDisk < to && this.index.offsetAt(onDisk) < this.diskSize) onDisk++;
    const out: StoredMessage[] = [];
    if (onDisk > from) {
      const start = this.index.offsetAt(from);
      const last = onDisk - 1;
      const span = Buffer.allocUnsafe(this.index.offsetAt(last) + this.index.lengthAt(last) - start);
      let got = 0;
      while (got < span.length) {
        const { bytesRead } = await readFd(this.fd, span, got, span.length - got, start + got);
        if (bytesRead === 0) throw new Error(`store file ended before message ${this.index.seqAt(last)}`);
        got += bytesRead;
      }
      for (let i = from; i < onDisk; i++) {
        const at = this.index.offsetAt(i) - start;
        out.push({ seq: this.index.seqAt(i), admin: (this.index.flagsAt(i) & FLAG_ADMIN) !== 0, bytes: span.subarray(at, at + this.index.lengthAt(i)) });
      }
    }
    const staging = this.staging;
    for (let i = onDisk; i < to; i++) {
      // The open batch starts at the staging's pending start, at file offset batchFileStart.
      const at = staging.pendingStart + this.index.offsetAt(i) - this.batchFileStart;
      const bytes = Buffer.from(staging.buffer.subarray(at, at + this.index.lengthAt(i)));
      out.push({ seq: this.index.seqAt(i), admin: (this.index.flagsAt(i) & FLAG_ADMIN) !== 0, bytes });
    }
    return out;
  }

  /** Rebuilds the index and sequence numbers from the file; cuts off a torn tail. */
  private async scan(file: string, onRecovered: FileStoreOptions['onRecovered']): Promise<void> {
    const { size } = await fstatFd(this.fd);
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
        const { bytesRead } = await readFd(this.fd, fresh, 0, want, fileOffset);
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
        } else if (rec.kind === 'batch') {
          let payload = chunkFileStart + rec.messagesAt;
          for (let i = 0, e = rec.entriesAt; i < rec.count; i++, e += BATCH_ENTRY) {
            const length = chunk.readUInt32LE(e + 4);
            this.index.add(chunk.readUInt32LE(e), payload, length, chunk[e + 8]!);
            payload += length;
          }
          recordedSender = rec.nextSender;
          this.targetSeq = rec.nextTarget;
          lastMessageSeq = 0;
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
      await ftruncateFd(this.fd, goodEnd);
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

async function writeFullyAsync(fd: number, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await writeFd(fd, data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}

async function syncFileAndDir(fd: number, dir: string): Promise<void> {
  await fsyncFd(fd);
  const d = await openFd(dir, 'r');
  try {
    await fsyncFd(d);
  } finally {
    await closeFd(d);
  }
}
