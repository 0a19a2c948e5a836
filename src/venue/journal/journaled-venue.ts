// The venue core behind its command journal: the piece the service layer talks to.
//
//   apply(cmd)  journals the command into the current batch and applies it to the core at once
//               (deterministic, synchronous); its events are held back.
//   commit()    writes the batch with one positional write, then releases the batch's events. With fsync
//               'none' (the page-cache level) the write is synchronous and done when commit() returns; with
//               'batch' the write thread writes and fdatasyncs it and the promise settles later. Called
//               automatically once per event-loop turn (io/turn-end.ts), or by the FIX layer's per-turn flush
//               barrier (turnBarrier).
//
// Release modes:
//   'afterCommit' (default): listeners get copies of the events after the batch is durable.
//   'immediate': listeners get the live events synchronously inside apply(), and must not let anything
//                reach the outside before commit() resolves (the FIX layer's flush barrier does that).
//
// A disk error fails the batch (its commit() rejects, its events are never released in 'afterCommit'
// mode) and every later one: the journal and the core have parted ways, so from then on apply() refuses
// every command with reason 'journal-unavailable' until the venue is restarted, which replays the
// journal up to the last durable command. Nothing is acknowledged that the journal does not hold.

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { VenueConfig } from '../config.js';
import { Venue } from '../core/venue.js';
import { copyEvent } from '../event-copy.js';
import type { VenueCommand } from '../model/commands.js';
import { RejectReason, Side } from '../model/enums.js';
import type { RejectedEvent, VenueEvent, VenueEventListener } from '../model/events.js';
import { ByteReader } from './byte-writer.js';
import { decodeCommand } from './command-codec.js';
import { scanJournal } from './journal-reader.js';
import { JournalWriter, type FsyncPolicy } from './journal-writer.js';
import { HEADER_SIZE, RECORD_HEADER, readHeader, writeHeader } from './record-format.js';
import { fsyncDir, type SnapshotFile } from './snapshot-file.js';
import { listSnapshots, loadNewestSnapshot, pruneSnapshots, writeSnapshotFile, type SkippedSnapshot, type SnapshotWriteFaults, type StoredSnapshot } from './snapshot-store.js';
import type { CoreSnapshot } from '../core/state-snapshot.js';
import type { WriteFaults } from '../../io/write-faults.js';
import type { PendingDurability } from '../../io/write-thread.js';
import { turnEnd } from '../../io/turn-end.js';

export interface JournalOptions {
  /** Directory for journal.bin and the snapshot files (created if missing). */
  dir: string;
  /** 'batch' (default): fdatasync every batch before releasing it. 'none': rely on the OS page cache. */
  fsync?: FsyncPolicy;
  release?: 'afterCommit' | 'immediate';
  /** Commit once per event-loop turn by itself (default true). */
  autoCommit?: boolean;
  /** Start from the newest valid snapshot when there is one (default true). */
  useSnapshot?: boolean;
  /** Torn snapshot writes (the soak's failpoints); null in production. */
  snapshotFaults?: SnapshotWriteFaults | null;
  /** Told once, when the journal fails. */
  onJournalError?: (error: Error) => void;
  /** Injected disk faults (the soak's failpoints, src/app/failpoints.ts); null in production. */
  faults?: WriteFaults | null;
}

export interface RecoveryReport {
  /** Command seq restored from the snapshot (0 without one). */
  snapshotSeq: number;
  /** Newer snapshots that could not be used (torn, corrupt), newest first. */
  snapshotsSkipped: SkippedSnapshot[];
  replayedCommands: number;
  /** Bytes cut from the end of the journal (a torn write), and why. */
  truncatedBytes: number;
  stopReason: string;
  commandSeq: number;
  eventSeq: number;
  durationMs: number;
}

export type SnapshotInfo = StoredSnapshot;

/**
 * The venue state at one instant between turns (a consistent cut): the core's plain-data copy and where the
 * journal's next record starts. Taking it is the only part of a snapshot that holds up order flow.
 */
export interface CapturedState {
  core: CoreSnapshot;
  journalOffset: number;
}

export const JOURNAL_FILE = 'journal.bin';

function noop(): void {}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The id of the journal in `dir`, creating the journal (just its header) if there is none yet. Lets
 * components that keep state outside the journal (risk positions in Redis) learn, before the replay, which
 * journal history their state must match.
 */
export function ensureJournalId(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, JOURNAL_FILE);
  const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
  try {
    if (fs.fstatSync(fd).size === 0) {
      const header = writeHeader(randomBytes(16));
      fs.writeSync(fd, header, 0, header.length, 0);
      fs.fsyncSync(fd);
      fsyncDir(dir);
    }
    const header = Buffer.alloc(HEADER_SIZE);
    fs.readSync(fd, header, 0, HEADER_SIZE, 0);
    const parsed = readHeader(header);
    if ('error' in parsed) throw new Error(`journal ${file}: ${parsed.error}`);
    return parsed.journalId;
  } finally {
    fs.closeSync(fd);
  }
}

export class JournaledVenue {
  private readonly config: VenueConfig;
  private readonly options: Required<Omit<JournalOptions, 'onJournalError' | 'faults' | 'snapshotFaults'>> & Pick<JournalOptions, 'onJournalError'>;
  private readonly faults: WriteFaults | null;
  private readonly snapshotFaults: SnapshotWriteFaults | null;
  private core: Venue | null = null;
  private writer: JournalWriter | null = null;
  private fd = -1;
  private journalId = '';
  private durableSeq = 0;
  private listeners: VenueEventListener[] = [];
  private replayListeners: VenueEventListener[] = [];
  private replaying = false;
  private pendingEvents: VenueEvent[] = [];
  private last: Promise<void> = RESOLVED;
  private scheduled = false;
  /** Command seq of the last record appended to the journal. */
  private lastJournaled = 0;
  /** lastJournaled when turnBarrier() last covered the commands applied so far. */
  private barrierCovered = 0;
  private failure: Error | null = null;
  private readonly reader = new ByteReader();
  private commitObserver: ((durationMs: number, bytes: number) => void) | null = null;
  private readonly journalPath: string;

  constructor(config: VenueConfig, options: JournalOptions) {
    this.config = config;
    this.options = {
      dir: options.dir,
      fsync: options.fsync ?? 'batch',
      release: options.release ?? 'afterCommit',
      autoCommit: options.autoCommit ?? true,
      useSnapshot: options.useSnapshot ?? true,
      onJournalError: options.onJournalError,
    };
    this.faults = options.faults ?? null;
    this.snapshotFaults = options.snapshotFaults ?? null;
    this.journalPath = path.join(options.dir, JOURNAL_FILE);
  }

  /** The core, for queries (book, orders). Available after open(). */
  get venue(): Venue {
    if (this.core === null) throw new Error('JournaledVenue: call open() first');
    return this.core;
  }

  /** Identity of the journal file (random, from its header): a new journal means a new history. */
  get id(): string {
    return this.journalId;
  }

  /**
   * Event seq up to which the journal is durable: every event with a seq at or below it was caused by a
   * command the journal holds (after open(), everything replayed).
   */
  get durableEventSeq(): number {
    return this.durableSeq;
  }

  /** The disk error that stopped the journal, or null. */
  get error(): Error | null {
    return this.failure;
  }

  /**
   * Adds a listener. With { replay: true } it also receives the events re-created while open() replays
   * the journal (to rebuild a trade record, say); ordinary listeners never see replayed events.
   */
  subscribe(listener: VenueEventListener, opts: { replay?: boolean } = {}): () => void {
    this.listeners = [...this.listeners, listener];
    if (opts.replay === true) this.replayListeners = [...this.replayListeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      this.replayListeners = this.replayListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Opens (or creates) the journal, restores the newest valid snapshot if any and replays the rest. `useSnapshot`
   * false replays the whole journal (state kept outside it, risk positions in Redis, was lost).
   */
  async open(opts: { useSnapshot?: boolean } = {}): Promise<RecoveryReport> {
    if (this.core !== null || this.fd >= 0) throw new Error('JournaledVenue: already open');
    try {
      return this.recover(opts.useSnapshot ?? this.options.useSnapshot);
    } catch (err) {
      // Leave nothing half-open behind: the caller reports the error and may retry.
      if (this.fd >= 0) fs.closeSync(this.fd);
      this.fd = -1;
      this.core = null;
      throw err;
    }
  }

  private recover(useSnapshot: boolean): RecoveryReport {
    const started = performance.now();
    fs.mkdirSync(this.options.dir, { recursive: true });
    const exists = fs.existsSync(this.journalPath);
    this.fd = fs.openSync(this.journalPath, exists ? 'r+' : 'w+');
    let size = fs.fstatSync(this.fd).size;
    if (size < HEADER_SIZE) {
      if (size > 0) throw new Error(`journal ${this.journalPath}: ${size} bytes is too short for its header`);
      const header = writeHeader(randomBytes(16));
      fs.writeSync(this.fd, header, 0, header.length, 0);
      fs.fsyncSync(this.fd);
      fsyncDir(this.options.dir);
      size = header.length;
    }
    const header = Buffer.alloc(HEADER_SIZE);
    fs.readSync(this.fd, header, 0, HEADER_SIZE, 0);
    const parsed = readHeader(header);
    if ('error' in parsed) throw new Error(`journal ${this.journalPath}: ${parsed.error}`);
    this.journalId = parsed.journalId;

    const loaded = useSnapshot ? loadNewestSnapshot(this.options.dir, this.journalId, size) : { snapshot: null, skipped: [] };
    const snap = loaded.snapshot;
    const core = snap === null ? new Venue(this.config) : Venue.fromState(this.config, snap.core);
    this.core = core;
    core.subscribe((e) => this.onCoreEvent(e));

    this.replaying = true;
    let replayed = 0;
    let scan;
    try {
      scan = scanJournal(this.fd, snap === null ? HEADER_SIZE : snap.journalOffset, (seq, cmd, offset) => {
        const expected = core.commandSeq + 1;
        if (seq !== expected) {
          throw new Error(`journal ${this.journalPath}: record at offset ${offset} is command ${seq}, expected ${expected}`);
        }
        core.apply(cmd);
        replayed++;
      });
    } finally {
      this.replaying = false;
    }
    const truncatedBytes = scan.fileSize - scan.goodEnd;
    if (truncatedBytes > 0) {
      fs.ftruncateSync(this.fd, scan.goodEnd);
      fs.fsyncSync(this.fd);
    }
    this.writer = new JournalWriter(this.fd, scan.goodEnd, this.options.fsync, { faults: this.faults });
    this.durableSeq = core.eventSeq;
    this.lastJournaled = core.commandSeq;
    this.barrierCovered = core.commandSeq;
    return {
      snapshotSeq: snap === null ? 0 : snap.core.commandSeq,
      snapshotsSkipped: loaded.skipped,
      replayedCommands: replayed,
      truncatedBytes,
      stopReason: truncatedBytes > 0 ? scan.stopReason : '',
      commandSeq: core.commandSeq,
      eventSeq: core.eventSeq,
      durationMs: performance.now() - started,
    };
  }

  /**
   * Journals and applies one command; returns its command seq. Its events are released by commit()
   * (or synchronously in 'immediate' mode). Once the journal has failed, every command is refused with a
   * RejectedEvent (reason journal-unavailable, seq 0: it is not part of the sequenced stream) and 0 is
   * returned.
   */
  apply(cmd: VenueCommand): number {
    const core = this.venue;
    const writer = this.writer!;
    if (this.failure !== null) {
      this.refuse(cmd);
      return 0;
    }
    // Numbered here, not from the core: a command applied from inside a listener (immediate mode) is
    // journaled while the core is still on the previous one, and the core runs it right after.
    const seq = ++this.lastJournaled;
    const start = writer.batchPosition;
    let toApply = cmd;
    if (writer.append(seq, cmd)) {
      // Malformed input was coerced to be written: apply what the journal holds, as a replay would.
      const rec = writer.lastRecord(start);
      const r = this.reader;
      r.reset(rec, RECORD_HEADER, rec.length);
      r.uvar();
      toApply = decodeCommand(r) ?? cmd;
    }
    try {
      core.apply(toApply);
    } catch (err) {
      writer.rollback(start);
      this.lastJournaled--;
      throw err;
    }
    if (this.options.autoCommit && !this.scheduled) {
      this.scheduled = true;
      turnEnd.schedule(this.autoCommit);
    }
    return seq;
  }

  /**
   * Makes everything applied so far durable, then releases its events. Resolves when done; rejects with
   * the disk error if the journal failed (then nothing of that batch is released).
   */
  commit(): Promise<void> {
    const writer = this.writer;
    if (writer === null) return Promise.reject(new Error('JournaledVenue: call open() first'));
    if (writer.pendingBytes === 0 && this.pendingEvents.length === 0) return this.last;
    if (writer.writesInline) return this.commitInline(writer);
    const events = this.pendingEvents;
    this.pendingEvents = [];
    const observer = this.commitObserver;
    const bytes = writer.pendingBytes;
    const started = observer === null ? 0 : performance.now();
    const eventSeqOfBatch = this.core === null ? 0 : this.core.eventSeq;
    const p = writer.commit().then(
      () => {
        if (eventSeqOfBatch > this.durableSeq) this.durableSeq = eventSeqOfBatch;
        observer?.(performance.now() - started, bytes);
        this.deliver(events);
      },
      (err: unknown) => {
        this.fail(err);
        throw this.failure;
      },
    );
    p.catch(noop); // failures are reported through error / onJournalError and to whoever awaits p
    this.last = p;
    return p;
  }

  /** The page-cache level: the batch is written before this returns, its events released at once. */
  private commitInline(writer: JournalWriter): Promise<void> {
    const observer = this.commitObserver;
    const bytes = writer.pendingBytes;
    const started = observer === null ? 0 : performance.now();
    const eventSeqOfBatch = this.core === null ? 0 : this.core.eventSeq;
    const error = writer.writeNow();
    if (error !== null) {
      this.pendingEvents = [];
      this.fail(error);
      this.last = Promise.reject(this.failure);
      this.last.catch(noop);
      return this.last;
    }
    if (eventSeqOfBatch > this.durableSeq) this.durableSeq = eventSeqOfBatch;
    observer?.(performance.now() - started, bytes);
    if (this.pendingEvents.length > 0) {
      const events = this.pendingEvents;
      this.pendingEvents = [];
      this.deliver(events);
    }
    this.last = RESOLVED;
    return RESOLVED;
  }

  /**
   * Tells `observer` after each successful commit how long it took (write, fdatasync, and waiting for the batch
   * before it; performance.now() ms) and how many bytes it wrote. For metrics; null removes it.
   */
  observeCommits(observer: ((durationMs: number, bytes: number) => void) | null): void {
    this.commitObserver = observer;
  }

  /**
   * commit(), together with the journal write on the write thread that its promise stands for (see
   * src/io/write-thread.ts): what the FIX engine's flush barrier wants, so that the session stores queue their
   * batches of the turn right behind the journal's on the same thread (which skips them if the journal's write
   * fails) instead of waiting for the promise: one hand-over to the disk per turn instead of two in a row.
   */
  commitQueued(): PendingDurability {
    const done = this.commit();
    return { done, write: this.writer?.queuedWrite ?? null };
  }

  /**
   * commitQueued() as a function to register with the FIX engine: `engine.addFlushBarrier(journaled.flushBarrier)`
   * holds each turn's store and socket writes until the commands behind them are durable (use release
   * 'immediate' then).
   */
  readonly flushBarrier = (): PendingDurability => this.commitQueued();

  /**
   * The flush barrier of a venue that goes on answering after its journal failed (the members' "journal
   * unavailable" rejects must go out). At the page-cache level the turn's batch is written now (if the turn's
   * autoCommit has not already) and a failure throws, which withholds the turn's output; at the fsync level it is
   * commitQueued(). Once the failure is known, a turn in which no command was journaled has nothing to wait for
   * (undefined). A turn that did journal commands is still tied to their write, even when the failure became known
   * before the barrier ran: commands applied earlier in the same turn were accepted by the core and their reports
   * staged, but their batch is never written, so the stores' batches of that turn must be withheld like the failed
   * write's.
   */
  turnBarrier(): PendingDurability | undefined {
    const journaled = this.lastJournaled !== this.barrierCovered;
    this.barrierCovered = this.lastJournaled;
    if (this.failure !== null && !journaled) return undefined;
    if (this.writer !== null && this.writer.writesInline) {
      // Page cache: written now (or already, by the turn's autoCommit); a failure withholds the turn's output.
      this.commit();
      if (this.failure !== null) throw this.failure;
      return undefined;
    }
    return this.commitQueued();
  }

  /**
   * The consistent cut of a snapshot: the core's state after every command applied so far, and where the next
   * command's record will start. Call between turns; this is the part that blocks the event loop.
   */
  captureState(): CapturedState {
    return { core: this.venue.exportState(), journalOffset: this.writer!.nextRecordOffset };
  }

  /**
   * Writes a captured state as a snapshot file once the journal holds every command it reflects (serialised a
   * slice at a time, off the event loop). Start-up then restores the newest valid one and replays only what
   * followed it.
   */
  async writeSnapshot(captured: CapturedState): Promise<SnapshotInfo> {
    await this.commit();
    const file: SnapshotFile = { format: 'venue-snapshot', journalId: this.journalId, journalOffset: captured.journalOffset, core: captured.core };
    return writeSnapshotFile(this.options.dir, file, this.snapshotFaults);
  }

  /** captureState() and writeSnapshot() in one. */
  snapshot(): Promise<SnapshotInfo> {
    return this.writeSnapshot(this.captureState());
  }

  /** The snapshot files, newest first. */
  snapshots(): SnapshotInfo[] {
    return listSnapshots(this.options.dir);
  }

  /** Deletes all snapshots but the newest `keep` (and leftovers of interrupted writes); returns the paths removed. */
  pruneSnapshots(keep: number): string[] {
    return pruneSnapshots(this.options.dir, keep);
  }

  /** Commits what is pending and closes the journal file. */
  async close(): Promise<void> {
    if (this.writer === null) return;
    await this.commit().catch(noop);
    await this.writer.close();
    fs.closeSync(this.fd);
    this.fd = -1;
    this.writer = null;
  }

  private readonly autoCommit = (): void => {
    this.scheduled = false;
    if (this.writer !== null) this.commit().catch(noop);
  };

  private onCoreEvent(e: VenueEvent): void {
    if (this.replaying) {
      this.callAll(this.replayListeners, e);
    } else if (this.options.release === 'immediate') {
      this.callAll(this.listeners, e);
    } else {
      this.pendingEvents.push(copyEvent(e));
    }
  }

  private deliver(events: VenueEvent[]): void {
    const listeners = this.listeners;
    for (const e of events) this.callAll(listeners, e);
  }

  private callAll(listeners: VenueEventListener[], e: VenueEvent): void {
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        this.config.onListenerError?.(err, e);
      }
    }
  }

  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = err instanceof Error ? err : new Error(String(err));
    this.options.onJournalError?.(this.failure);
  }

  /** Answers a command with a reject outside the sequenced stream (the journal cannot record it). */
  private refuse(cmd: VenueCommand): void {
    const c = cmd as Partial<Record<'session' | 'firm' | 'account' | 'clOrdId' | 'origClOrdId' | 'symbol', string>> & { side?: Side | 0 };
    const command: RejectedEvent['command'] = cmd.type === 'reject' ? cmd.command : cmd.type;
    const e: RejectedEvent = {
      type: 'rejected', seq: 0, commandSeq: 0, time: cmd.time, command,
      session: c.session ?? '', firm: c.firm ?? '', account: c.account ?? '', clOrdId: c.clOrdId ?? '',
      origClOrdId: c.origClOrdId ?? '', symbol: c.symbol ?? '', side: c.side ?? Side.Buy, sideCode: '',
      reason: RejectReason.JournalUnavailable,
      text: `venue journal unavailable (${this.failure?.message ?? 'unknown error'}); orders are refused until the venue recovers`,
      ordRejReason: -1, cxlRejReason: -1, order: null,
    };
    this.callAll(this.listeners, e);
  }
}
