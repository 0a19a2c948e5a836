// The answer to a ResendRequest (QuickFIX Session::nextResendRequest): the stored application messages of the range
// again, each with PossDupFlag=Y and OrigSendingTime = its original SendingTime, and SequenceReset-GapFills for
// admin messages, holes and whatever the application declines to resend (`mayResend`: the session's
// gapFillOnResend types and toApp returning false). A range held in the store's memory cache is answered at once;
// anything else is read from disk a chunk at a time and streamed, keeping its place in the outgoing stream.

import type { FixEncoder } from '../codec/encoder.js';
import { identifyMsgType } from '../codec/identify.js';
import { Section } from '../dictionary/model.js';
import type { StoredMessage } from '../store/message-store.js';
import { StagingBuffer } from '../store/staging-buffer.js';
import type { FixConnection } from '../transport/fix-connection.js';
import type { AdminMessages } from './admin-messages.js';
import type { HeldPosition } from './outbound-queue.js';
import { ResendPlanner, planResend, type ResendStep } from './resend-plan.js';
import type { Link, SessionCore } from './session-core.js';
import type { SessionOutput } from './session-output.js';

/** Messages read from disk per step of a long resend. */
const RESEND_CHUNK = 1000;

export class Resender {
  /** Disk-read resends, one after another. */
  private resendChain: Promise<void> = Promise.resolve();
  private readonly canResend = (message: StoredMessage): boolean => this.mayResend(message);

  constructor(
    private readonly core: SessionCore,
    private readonly output: SessionOutput,
    private readonly admin: AdminMessages,
    /** The session's reused encoder. */
    private readonly encoder: FixEncoder,
  ) {}

  /** Answers a ResendRequest for [begin, end] on the current connection (nothing when there is none). */
  resend(begin: number, end: number, now: number): void {
    const link = this.core.link;
    if (!link) return;
    const store = this.core.store;
    const cached = store.cachedRange(begin, end);
    if (cached && cachedBytes(cached) <= resendSlice(link.conn)) {
      const steps = planResend(begin, end, cached, store.nextSenderSeq, this.canResend);
      this.emitResendSteps(steps, now, (bytes) => this.output.queueOut(bytes, now));
    } else {
      // Older messages come from disk (or there are many): stream them, holding their place in the output.
      const held = link.out.placeholder();
      this.resendChain = this.resendChain.then(() => this.streamResend(begin, end, link, held));
    }
  }

  private emitResendSteps(steps: readonly ResendStep[], now: number, sink: (bytes: Buffer) => void): void {
    for (const step of steps) {
      if (step.kind === 'gapFill') {
        sink(this.admin.encodeGapFill(step.begin, step.newSeqNo, now));
        this.core.counters.gapFillsSent++;
        this.core.host.emit('gapFill', this.core.key, step.begin, step.newSeqNo);
        this.core.log?.event(`Sent SequenceReset TO: ${step.newSeqNo}`, now);
      } else {
        sink(this.encodeResent(step.message, now));
        this.core.counters.messagesResent++;
        this.core.log?.event(`Resending Message: ${step.message.seq}`, now);
      }
    }
  }

  /**
   * A resend read from disk RESEND_CHUNK messages at a time and sent in slices of a quarter of the connection's
   * outbound limit; the next slice is produced only once it was flushed and the peer has read most of the previous
   * one, so a long recovery neither holds it all in memory nor trips the slow-consumer limit.
   */
  private async streamResend(begin: number, end: number, link: Link, held: HeldPosition): Promise<void> {
    const planner = new ResendPlanner(begin, end, this.core.store.nextSenderSeq, this.canResend);
    const slice = resendSlice(link.conn);
    const staging = new StagingBuffer(slice + 4096);
    const sink = (bytes: Buffer): void => {
      const { buf, at } = staging.reserve(bytes.length);
      bytes.copy(buf, at);
      staging.commit(bytes.length);
    };
    const steps: ResendStep[] = [];
    /** Hands the slice over and waits for the peer; false when the connection went away meanwhile. */
    const handOver = async (): Promise<boolean> => {
      held.push(staging.take());
      this.core.markDirty();
      await this.core.host.flushed();
      await link.conn.drained(slice / 2);
      return this.core.link === link;
    };
    try {
      for (let from = begin; ; from += RESEND_CHUNK) {
        const to = Math.min(end, from + RESEND_CHUNK - 1);
        const messages = await this.core.store.range(from, to);
        if (this.core.link !== link) return;
        for (const m of messages) {
          planner.add(m, steps);
          this.emitResendSteps(steps, Date.now(), sink);
          steps.length = 0;
          if (staging.length >= slice && !(await handOver())) return;
        }
        if (to >= end) break;
      }
      this.emitResendSteps(planner.finish(steps), Date.now(), sink);
      held.push(staging.take());
    } catch (err) {
      this.core.host.logger.error('FIX resend could not read the store', {
        session: this.core.key,
        reason: err instanceof Error ? err.message : String(err),
      });
      if (this.core.link === link) this.core.session.disconnect('resend failed: store unreadable');
    } finally {
      held.end();
      this.core.markDirty();
    }
  }

  /** Whether a stored application message is resent as it is (false: it becomes part of a gap fill). */
  private mayResend(message: StoredMessage): boolean {
    const skip = this.core.config.gapFillOnResend;
    if (skip.length > 0) {
      const msgType = identifyMsgType(message.bytes);
      if (msgType !== undefined && skip.includes(msgType)) return false;
    }
    if (!this.core.app.toApp) return true;
    this.core.ownParser.parse(message.bytes);
    const toApp = this.core.app.toApp.bind(this.core.app);
    return this.core.callApp('toApp', () => toApp(this.core.session, this.core.ownParser.view, true), true) !== false;
  }

  /** A stored application message again: PossDupFlag=Y, OrigSendingTime = its SendingTime, a new SendingTime. */
  private encodeResent(message: StoredMessage, now: number): Buffer {
    const v = this.core.ownParser.view;
    this.core.ownParser.parse(message.bytes);
    const enc = this.encoder;
    enc.begin(this.core.id.beginString, v.msgType);
    for (let i = 0; i < v.fieldCount; i++) {
      if (v.ownerAt(i) !== -1) continue;
      const tag = v.tagAt(i);
      if (tag === 8 || tag === 9 || tag === 10 || tag === 35 || tag === 43 || tag === 122) continue;
      if (tag === 52 && v.sectionAt(i) === Section.Header) enc.bytes(122, v.buffer, v.valueStartAt(i), v.valueEndAt(i));
      else enc.copyField(v, i);
    }
    enc.bool(43, true);
    enc.setTimestamp(52, now);
    const bytes = enc.finish();
    this.core.countOut(v.msgType);
    return bytes;
  }
}

/** How much of a resend goes to a connection at once: a quarter of its outbound limit. */
function resendSlice(conn: FixConnection): number {
  return Math.max(16 * 1024, Math.floor(conn.maxOutboundBytes / 4));
}

function cachedBytes(messages: readonly StoredMessage[]): number {
  let n = 0;
  for (const m of messages) n += m.bytes.length;
  return n;
}
