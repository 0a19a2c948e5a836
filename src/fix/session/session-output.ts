// What one session sends, from encoding to the socket. A message is numbered, staged in the message store and
// queued for the connection as the very bytes the store staged (an application message is encoded once, straight
// into the store's staging). Once per event-loop turn the engine's flush scheduler writes the store's batch and
// only then the connections' bytes: synchronously at the page-cache level (flushNow), or behind the turn's
// durability barriers (prepareFlush). A turn whose store or barrier write failed sends nothing and costs the
// session its connection.

import type { FixEncoder } from '../codec/encoder.js';
import { StoreFailedError } from '../store/message-store.js';
import type { PendingDurability } from '../../io/write-thread.js';
import type { BodyWriter } from './application.js';
import { isAdminMsgType, type Link, type SessionCore } from './session-core.js';

/** Room made in the store's staging for a message encoded in place (a larger one continues elsewhere and is copied). */
const PLACED_ROOM = 4096;

/** One turn's output of a session, captured when the flush starts and completed when it is durable. */
export interface FlushTicket {
  persist: Promise<void> | null;
  complete(storeError: Error | null, barrierError: Error | null): void;
}

export class SessionOutput {
  private reportedStoreFailure: Error | null = null;

  constructor(
    private readonly core: SessionCore,
    /** The session's reused encoder, in 'sorted' order (QuickFIX's output order) with the session's dictionary. */
    private readonly encoder: FixEncoder,
  ) {}

  // ------------------------------------------------------------------ staging

  /** SessionHandle.send once the store is known to be writable: returns the MsgSeqNum (0: toApp declined). */
  send(msgType: string, body: BodyWriter): number {
    const core = this.core;
    const now = Date.now();
    const store = core.store;
    const seq = store.nextSenderSeq;
    if (core.app.toApp || isAdminMsgType(msgType)) return this.sendCopied(msgType, seq, now, body);
    const enc = this.encoder;
    const id = core.id;
    // Encoded once, in the store's staging, header first so the fields come in output order: the store keeps these
    // bytes and the socket gets the same ones.
    store.prepareAppend(PLACED_ROOM);
    enc.beginInto(store.placeBuffer, store.placeOffset, id.beginString, msgType);
    enc.int(34, seq).str(49, id.senderCompId).timestamp(52, now).str(56, id.targetCompId).markHeaderEnd();
    body(enc);
    if (enc.headerChanged) {
      // As QuickFIX's Session::send: PossDupFlag and OrigSendingTime belong to resends; the header is ours.
      enc.remove(43).remove(122);
      enc.setInt(34, seq).setStr(49, id.senderCompId).setTimestamp(52, now).setStr(56, id.targetCompId);
    }
    const length = enc.finishInto();
    if (length >= 0) store.appendPlaced(seq, length, false);
    else store.append(seq, enc.finishedElsewhere, false);
    core.markDirty();
    const sendNow = core.state.isLoggedOn;
    if (!sendNow) return seq;
    const link = core.link;
    if (link !== null) {
      link.out.appendView(store.lastBuffer, store.lastOffset, length >= 0 ? length : enc.finishedElsewhere.length);
      core.state.lastSentAt = now;
    }
    core.countOut(msgType);
    return seq;
  }

  /** send() for admin messages and for applications with a toApp callback (which sees the message first). */
  private sendCopied(msgType: string, seq: number, now: number, body: BodyWriter): number {
    const core = this.core;
    const admin = isAdminMsgType(msgType);
    let bytes = this.encode(msgType, seq, now, body, false, true);
    if (core.app.toApp && !admin) {
      // The encoder's output is only valid until its next message: keep a copy across the callback.
      bytes = Buffer.from(bytes);
      core.ownParser.parse(bytes);
      if (core.app.toApp(core.session, core.ownParser.view, false) === false) return 0;
    }
    this.commit(msgType, seq, bytes, admin, core.state.isLoggedOn, now);
    return seq;
  }

  /**
   * Encodes a message into the reused encoder buffer: the body (and any header fields the writer adds), then the
   * session's header. The encoder puts everything in QuickFIX's order.
   */
  encode(msgType: string, seq: number, now: number, body: BodyWriter | null, admin: boolean, fromApplication: boolean): Buffer {
    const core = this.core;
    const id = core.id;
    const enc = this.encoder;
    enc.begin(id.beginString, msgType);
    body?.(enc);
    if (admin && core.app.toAdmin) {
      const toAdmin = core.app.toAdmin.bind(core.app);
      core.callApp('toAdmin', () => toAdmin(core.session, msgType, enc), undefined);
    }
    if (fromApplication) {
      // As QuickFIX's Session::send: PossDupFlag and OrigSendingTime belong to resends; the header is ours.
      enc.remove(43).remove(122);
      enc.setInt(34, seq).setStr(49, id.senderCompId).setTimestamp(52, now).setStr(56, id.targetCompId);
    } else {
      enc.int(34, seq).str(49, id.senderCompId).timestamp(52, now).str(56, id.targetCompId);
    }
    return enc.finish();
  }

  /**
   * Stores a freshly numbered message and, if it may go out now, queues it for the connection: the very bytes the
   * store staged (its batch is what the socket gets, no second copy).
   */
  commit(msgType: string, seq: number, bytes: Buffer, admin: boolean, sendNow: boolean, now: number): void {
    const core = this.core;
    const store = core.store;
    store.append(seq, bytes, admin);
    core.markDirty();
    if (!sendNow) return;
    const link = core.link;
    if (link !== null) {
      link.out.appendView(store.lastBuffer, store.lastOffset, bytes.length);
      core.state.lastSentAt = now;
    }
    core.countOut(msgType);
  }

  /** Queues bytes that are not stored (resends, gap fills) for the connection; the queue copies them. */
  queueOut(bytes: Buffer, now: number): void {
    const core = this.core;
    const link = core.link;
    if (!link) return;
    link.out.append(bytes);
    core.state.lastSentAt = now;
    core.markDirty();
  }

  // ------------------------------------------------------------------ flush

  /** True when this turn's store batch can be written synchronously (the page-cache level; see FlushScheduler). */
  get canFlushInline(): boolean {
    const store = this.core.store;
    return !store.hasStagedChanges || store.writesInline;
  }

  /**
   * The inline flush of the page-cache level (called by the flush scheduler, after the turn's barriers wrote): the
   * store's batch is written now, then the connection's output. With `barrierError` (the journal's write failed)
   * the batch is withheld and nothing goes out. Returns true when it wrote the store.
   */
  flushNow(barrierError: Error | null): boolean {
    const core = this.core;
    const store = core.store;
    const staged = store.hasStagedChanges;
    let storeError: Error | null = null;
    if (barrierError !== null) {
      if (staged) store.withhold(barrierError);
    } else if (staged) {
      storeError = store.writeNow();
    }
    const closingLinks = core.closingLinks;
    if (barrierError !== null || storeError !== null) {
      const links = core.link ? [core.link, ...closingLinks] : [...closingLinks];
      this.failOutputs(links, storeError, barrierError);
      return staged && barrierError === null;
    }
    if (core.link) this.writeOut(core.link);
    for (let i = closingLinks.length - 1; i >= 0; i--) this.writeOut(closingLinks[i]!);
    return staged;
  }

  /**
   * Captures this turn's store write and socket output (called by the flush scheduler on its asynchronous path).
   * The store batch is written once `barriers` (the turn's external durability, e.g. the venue's journal) resolve,
   * or right behind the barriers' write on the write thread, so the store never holds a message about something the
   * journal may not have.
   */
  prepareFlush(barriers?: Promise<void> | PendingDurability): FlushTicket {
    const core = this.core;
    const persist = core.store.hasStagedChanges ? core.store.flush(barriers) : null;
    const outputs: { link: Link; bytes: Buffer[] }[] = [];
    if (core.link) outputs.push({ link: core.link, bytes: core.link.out.takeReady() });
    for (const link of core.closingLinks) outputs.push({ link, bytes: link.out.takeReady() });
    return {
      persist,
      complete: (storeError, barrierError) => this.completeFlush(outputs, storeError, barrierError),
    };
  }

  private completeFlush(outputs: { link: Link; bytes: Buffer[] }[], storeError: Error | null, barrierError: Error | null): void {
    if (storeError ?? barrierError) {
      this.failOutputs(outputs.map((o) => o.link), storeError, barrierError);
      return;
    }
    const log = this.core.log;
    const now = Date.now();
    for (const { link, bytes } of outputs) {
      for (const b of bytes) {
        link.conn.write(b);
        log?.outgoing(b, 0, b.length, now);
      }
      if (link.closing !== null && link.out.isEmpty) {
        link.conn.end(link.closing);
        this.dropClosing(link);
      }
    }
  }

  private writeOut(link: Link): void {
    link.out.writeTo(link.conn, this.core.log, Date.now());
    if (link.closing !== null && link.out.isEmpty) {
      link.conn.end(link.closing);
      this.dropClosing(link);
    }
  }

  /** A turn whose store or barrier write failed: its output is dropped and the connections go. */
  private failOutputs(links: Link[], storeError: Error | null, barrierError: Error | null): void {
    // A failed barrier also fails the store write it held back: report the cause, the barrier.
    const reason = barrierError
      ? `durability barrier failed: ${barrierError.message}`
      : `message store write failed: ${storeError!.message}`;
    for (const link of links) {
      link.out.clear();
      link.conn.destroy(reason);
      this.dropClosing(link);
    }
    if (storeError && !barrierError) this.persistFailed(storeError);
    else this.core.session.disconnect(reason);
  }

  private dropClosing(link: Link): void {
    const closingLinks = this.core.closingLinks;
    const i = closingLinks.indexOf(link);
    if (i >= 0) closingLinks.splice(i, 1);
  }

  private persistFailed(error: Error): void {
    const core = this.core;
    // Flushes already in flight fail with the same cause: report it once.
    const cause = error instanceof StoreFailedError ? error.cause : error;
    if (cause === this.reportedStoreFailure) return;
    this.reportedStoreFailure = cause;
    core.counters.storeErrors++;
    core.host.logger.error('FIX session store write failed; session disconnected', {
      session: core.key,
      reason: error.message,
    });
    core.host.emit('storeError', core.key, error);
    core.callApp('onStoreError', () => core.app.onStoreError?.(core.session, error), undefined);
    core.session.disconnect(`message store write failed: ${error.message}`);
  }
}
