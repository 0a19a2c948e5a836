// The FIX engine: builds the sessions of a configuration (opening each session's store), listens for acceptor
// connections, runs initiators, ticks the session timers and owns the per-turn flush. The gateway creates one of
// these with its Application and never touches session internals.

import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { FixEncoder } from '../codec/encoder.js';
import { FixFramer } from '../codec/framer.js';
import type { Application, SessionHandle } from '../session/application.js';
import { FixSession } from '../session/fix-session.js';
import type { MessageValidator } from '../session/message-validator.js';
import { sessionFolder, sessionKey, type SessionConfig, type SessionId } from '../session/session-config.js';
import type { FixEngineEvents, SessionInfo } from '../session/session-events.js';
import { WithheldWriteError } from '../../io/write-thread.js';
import { FileMessageStore } from '../store/file-store.js';
import type { MessageStore, StoredMessage } from '../store/message-store.js';
import { MessageLog } from '../store/message-log.js';
import type { FixConnection, FramerFactory } from '../transport/fix-connection.js';
import { quietFixLogger, type FixLogger } from '../transport/fix-logger.js';
import { FixListener } from '../transport/fix-listener.js';
import { ReconnectingConnector } from '../transport/reconnecting-connector.js';
import type { EngineConfig } from './engine-config.js';
import { FlushScheduler, type FlushBarrier } from './flush-scheduler.js';
import { LogonGate } from './logon-gate.js';

/** See FixEngine.storeReader. */
export interface StoreReader {
  nextSenderSeq: number;
  creationTime: number;
  range(begin: number, end: number): Promise<StoredMessage[]>;
}

/** Builds the dictionary check a session runs on incoming messages. */
export type ValidatorFactory = (config: SessionConfig) => MessageValidator;

export class FixEngine {
  readonly events = new EventEmitter<FixEngineEvents>();
  readonly logger: FixLogger;
  private readonly sessionsByKey = new Map<string, FixSession>();
  private readonly listeners: FixListener[] = [];
  private readonly connectors = new Map<FixSession, ReconnectingConnector>();
  private readonly logs: MessageLog[] = [];
  private readonly flusher: FlushScheduler;
  private readonly reopening = new Set<FixSession>();
  /** Each session's current store (ops change sequence numbers through it while the session is offline). */
  private readonly stores = new Map<FixSession, MessageStore>();
  private timer: NodeJS.Timeout | null = null;
  private inboundObservers: ((session: string, msgType: string) => void)[] = [];
  private started = false;
  private stopping = false;

  private constructor(
    private readonly config: EngineConfig,
    private readonly app: Application,
    private readonly validatorFactory: ValidatorFactory,
  ) {
    this.logger = config.logger ?? quietFixLogger;
    // Session life-cycle lines for ops (a few per connection, never per message).
    this.events.on('logon', (session, remote) => this.logger.info('FIX session logged on', { session, remote }));
    this.events.on('disconnect', (session, reason) => this.logger.info('FIX session disconnected', { session, reason }));
    this.flusher = new FlushScheduler((error) => {
      this.logger.error('FIX flush barrier failed: output of this turn withheld, sessions disconnected', {
        reason: error.message,
      });
      this.events.emit('flushBarrierError', error);
    }, (startedAt, stores, storeMs, totalMs) => this.events.emit('flush', startedAt, stores, storeMs, totalMs));
  }

  /** Opens every session's store and creates the sessions (Application.onCreate is called for each). */
  static async create(config: EngineConfig, app: Application, validatorFactory: ValidatorFactory): Promise<FixEngine> {
    const engine = new FixEngine(config, app, validatorFactory);
    for (const acceptor of config.acceptors ?? []) {
      for (const session of acceptor.sessions) await engine.createSession(session, 'acceptor');
    }
    for (const initiator of config.initiators ?? []) await engine.createSession(initiator.session, 'initiator');
    return engine;
  }

  /** Starts listening and connecting, and the session timers. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const acceptor of this.config.acceptors ?? []) {
      const keys = new Set(acceptor.sessions.map((s) => sessionKey(s)));
      const served = new Map([...this.sessionsByKey].filter(([key]) => keys.has(key)));
      let gate: LogonGate | null = null;
      const listener = new FixListener(
        acceptor,
        this.framerFactory(acceptor.maxMessageSize),
        (conn) => {
          conn.handler = gate;
        },
        this.logger,
      );
      gate = new LogonGate(served, listener, {
        refused: (remote, reason, kind) => {
          listener.guard.logRefusal(kind, `FIX connection refused: ${reason}`, { remote });
          this.events.emit('connectionRefused', remote, reason);
        },
        reopenStore: (session) => this.reopenStore(session),
        stopping: () => this.stopping,
      });
      await listener.listen();
      this.listeners.push(listener);
    }
    for (const initiator of this.config.initiators ?? []) {
      const session = this.sessionsByKey.get(sessionKey(initiator.session))!;
      const connector = new ReconnectingConnector(
        initiator,
        this.framerFactory(initiator.maxMessageSize),
        (conn: FixConnection) => {
          if (session.storeFailure) {
            this.reopenStore(session);
            conn.destroy(`session store unavailable: ${session.storeFailure.message}`);
            return;
          }
          session.attach(conn);
        },
        this.logger,
        session.key,
        (delayMs, attempt) => this.events.emit('reconnect', session.key, delayMs, attempt),
        () => session.inSessionTime,
      );
      this.connectors.set(session, connector);
      this.events.on('logon', (key) => {
        if (key === session.key) connector.loggedOn();
      });
      connector.start();
    }
    for (const session of this.sessionsByKey.values()) session.startSchedule();
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const session of this.sessionsByKey.values()) {
        try {
          session.tick(now);
        } catch (err) {
          this.logger.error('FIX session timer failed', { session: session.key, reason: err instanceof Error ? err.message : String(err) });
        }
      }
    }, this.config.timerIntervalMs ?? 1000);
  }

  /**
   * Logs every session out with `reason` as the Logout's Text (waiting up to `graceMs` for the counterparties'
   * Logout), stops listening and connecting, writes what is staged and closes the stores.
   */
  async stop(graceMs = 2000, reason = 'engine stopping'): Promise<void> {
    // No new sessions while the others log out: a member logging on again at once (a restart, say) would hold
    // the grace period open and then be cut off.
    this.stopping = true;
    for (const listener of this.listeners) listener.stopAccepting();
    for (const connector of this.connectors.values()) connector.stopReconnecting();
    for (const session of this.sessionsByKey.values()) {
      session.stopSchedule();
      if (session.isLoggedOn) session.logout(reason);
    }
    const deadline = Date.now() + graceMs;
    while ([...this.sessionsByKey.values()].some((s) => s.hasConnection) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const session of this.sessionsByKey.values()) if (session.hasConnection) session.disconnect(reason);
    for (const connector of this.connectors.values()) connector.stop();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Socket output still waiting on a barrier that never resolves is dropped (it was never acknowledged); the
    // stores are closed below only after their own writes finish.
    await Promise.race([this.flusher.idle(), new Promise((r) => setTimeout(r, graceMs + 5000).unref())]);
    await Promise.all(this.listeners.map((l) => l.close()));
    for (const session of this.sessionsByKey.values()) await session.closeStore();
    await Promise.all(this.logs.map((l) => l.close()));
    this.started = false;
    this.stopping = false;
  }

  /**
   * Registers a durability barrier: called once per flush (a turn in which FIX output or sequence numbers were
   * staged), and that turn's messages reach the sockets only after the returned promise resolves (and the FIX
   * stores are written). If it rejects, the turn's output is withheld and the sessions concerned are disconnected.
   * Returns a function that removes the barrier.
   */
  addFlushBarrier(barrier: FlushBarrier): () => void {
    return this.flusher.addBarrier(barrier);
  }

  /**
   * Calls `observer` for every message read, on every session (the cheap way to watch each message: a plain call,
   * where the 'messageIn' event allocates per message). Returns a function that removes it.
   */
  observeInbound(observer: (session: string, msgType: string) => void): () => void {
    this.inboundObservers = [...this.inboundObservers, observer];
    return () => {
      this.inboundObservers = this.inboundObservers.filter((o) => o !== observer);
    };
  }

  /** Resolves once everything staged so far is on disk and written to the sockets. */
  flushed(): Promise<void> {
    return this.flusher.idle();
  }

  session(id: SessionId | string): SessionHandle | undefined {
    return this.sessionsByKey.get(typeof id === 'string' ? id : sessionKey(id));
  }

  sessions(): SessionInfo[] {
    return [...this.sessionsByKey.values()].map((s) => s.info());
  }

  /**
   * Sets a session's next sequence numbers by hand (ops: a counterparty restored from an old backup, say). Only
   * while the session has no connection, so the change can never cross messages in flight; resolves once the new
   * numbers are on disk. Throws for an unknown or connected session, a failed store, or numbers below 1.
   */
  async setSequenceNumbers(key: string, seqs: { nextSenderSeq?: number; nextTargetSeq?: number }): Promise<void> {
    const session = this.sessionsByKey.get(key);
    const store = session && this.stores.get(session);
    if (!session || !store) throw new Error(`unknown FIX session ${key}`);
    if (session.hasConnection) throw new Error(`FIX session ${key} is connected: log it out first`);
    if (store.failure) throw new Error(`FIX session ${key} store has failed: ${store.failure.message}`);
    for (const seq of [seqs.nextSenderSeq, seqs.nextTargetSeq]) {
      if (seq !== undefined && (!Number.isSafeInteger(seq) || seq < 1)) throw new RangeError(`sequence numbers start at 1: ${seq}`);
    }
    if (seqs.nextSenderSeq !== undefined) store.setNextSenderSeq(seqs.nextSenderSeq);
    if (seqs.nextTargetSeq !== undefined) store.setNextTargetSeq(seqs.nextTargetSeq);
    this.logger.warn('FIX session sequence numbers set by hand', { session: key, ...seqs });
    this.flusher.markDirty(session);
    await this.flusher.cycleDone();
    // Read again: the write may have failed while we waited.
    const failure = (store as MessageStore).failure as Error | null;
    if (failure) throw new Error(`FIX session ${key} store write failed: ${failure.message}`);
  }

  /**
   * Read access to a session's store (start-up checks such as the venue's report catch-up): its next sender seq,
   * when its epoch began, and stored messages by seq. Undefined for an unknown session.
   */
  storeReader(id: SessionId | string): StoreReader | undefined {
    const session = this.sessionsByKey.get(typeof id === 'string' ? id : sessionKey(id));
    const store = session && this.stores.get(session);
    if (!store) return undefined;
    return { nextSenderSeq: store.nextSenderSeq, creationTime: store.creationTime, range: (begin, end) => store.range(begin, end) };
  }

  /** The folder of a session's store and logs (where a store failure happened), or undefined. */
  storeDir(key: string): string | undefined {
    return this.sessionsByKey.get(key)?.storeDir;
  }

  /** Ports the acceptors listen on (useful with port 0). */
  get acceptorPorts(): number[] {
    return this.listeners.map((l) => l.port);
  }

  /** Connection admission counters of each acceptor. */
  admissionStats(): { port: number; unauthenticated: number; refusedTooMany: number; refusedPerAddress: number; logonTimeouts: number }[] {
    return this.listeners.map((l) => ({ port: l.port, ...l.guard.stats }));
  }

  private async createSession(config: SessionConfig, role: 'acceptor' | 'initiator'): Promise<void> {
    const key = sessionKey(config);
    if (this.sessionsByKey.has(key)) throw new Error(`FIX session ${key} is configured twice`);
    const dir = join(this.config.sessionsDir, sessionFolder(config));
    const store = await this.openStore(dir, config);
    const log = config.messageLog === false ? null : new MessageLog(dir, {
      ...this.config.messageLog,
      onError: (err) => this.logger.warn('FIX message log write failed; log disabled', { session: key, reason: err.message }),
    });
    if (log) this.logs.push(log);
    const session = new FixSession(
      config,
      role,
      store,
      {
        markDirty: (s) => this.flusher.markDirty(s),
        flushed: () => this.flusher.cycleDone(),
        emit: (event, ...args) => (this.events.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
        messageIn: (key, msgType) => {
          const observers = this.inboundObservers;
          for (let i = 0; i < observers.length; i++) observers[i]!(key, msgType);
          // The event too, for whoever listens (an EventEmitter call allocates its arguments: only then).
          if (this.events.listenerCount('messageIn') > 0) this.events.emit('messageIn', key, msgType);
        },
        logger: this.logger,
        ...(this.config.scheduleClock ? { scheduleClock: this.config.scheduleClock } : {}),
      },
      this.app,
      new FixEncoder({ dictionary: config.dictionary }),
      this.validatorFactory(config),
      log,
      dir,
    );
    this.sessionsByKey.set(key, session);
    this.stores.set(session, store);
    try {
      this.app.onCreate?.(session);
    } catch (err) {
      this.logger.error('FIX application onCreate failed', { session: key, reason: err instanceof Error ? err.message : String(err) });
    }
  }

  private openStore(dir: string, config: SessionConfig): Promise<FileMessageStore> {
    return FileMessageStore.open(dir, {
      fsync: this.config.fsync ?? false,
      cacheSize: config.resendCacheSize ?? 4096,
      faults: this.config.storeFaults ?? null,
      onRecovered: ({ file, truncatedBytes }) =>
        this.logger.warn('FIX store had a torn tail after a crash; cut off', { file, truncatedBytes }),
    });
  }

  private reopenStore(session: FixSession): void {
    if (this.reopening.has(session)) return;
    if (this.config.reopenFailedStores === 'withheld' && !(session.storeFailure instanceof WithheldWriteError)) return;
    this.reopening.add(session);
    session
      .closeStore()
      .catch(() => {})
      .then(() => this.openStore(session.storeDir, session.config))
      .then(
        (store) => {
          session.replaceStore(store);
          this.stores.set(session, store);
          this.logger.info('FIX session store reopened', { session: session.key });
        },
        (err: unknown) =>
          this.logger.error('FIX session store still cannot be opened', {
            session: session.key,
            reason: err instanceof Error ? err.message : String(err),
          }),
      )
      .finally(() => this.reopening.delete(session));
  }

  private framerFactory(maxMessageSize: number | undefined): FramerFactory {
    return (sink) =>
      new FixFramer(
        {
          onFrame: (buf, start, end) => sink.frame(buf, start, end),
          onDrop: (reason, bytes, detail) => {
            if (reason === 'too-large') sink.fatal(`message too large: ${detail}`);
            else sink.bad(`${reason}: ${detail}`, false, bytes);
          },
        },
        maxMessageSize === undefined ? {} : { maxMessageSize },
      );
  }
}
