// The Application interface, in the spirit of QuickFIX's: the gateway (or a test application) plugs in here and
// never touches session code. Every callback is optional except fromApp. Messages handed to callbacks are views
// over reused buffers: valid only during the call (use view.detach() to keep one).

import type { FixMessageView } from '../codec/message-view.js';
import type { FieldWriter } from './field-writer.js';
import type { SessionId } from './session-config.js';

/** Writes the body fields of an outgoing message, in the order they should appear on the wire. */
export type BodyWriter = (w: FieldWriter) => void;

/** What an application sees of a session. */
export interface SessionHandle {
  readonly id: SessionId;
  /** "FIX.4.4:VENUE->BROKER1" */
  readonly key: string;
  readonly isLoggedOn: boolean;
  readonly remoteAddress: string | null;
  readonly nextSenderSeq: number;
  readonly nextTargetSeq: number;
  /**
   * Sends an application message: the session stamps the header (8, 9, 34, 49, 52, 56, 10), assigns the sequence
   * number, stages it in the store and queues it; it reaches the socket once the store write (and every flush
   * barrier) of this event-loop turn has completed. `header` may add header fields (e.g. 97, 115, 128); they are
   * placed in ascending tag order. Returns the MsgSeqNum. Messages sent while logged out are stored and go out on
   * the counterparty's next ResendRequest. Throws SessionStoreError when the store cannot persist.
   */
  send(msgType: string, body: BodyWriter, header?: BodyWriter): number;
  /** Starts the Logout handshake (our Logout, then wait for theirs or the logout timeout). */
  logout(reason?: string): void;
  /** Closes the connection without a Logout. */
  disconnect(reason: string): void;
}

/** Lets fromApp answer the message it is handling with a reject instead of (or besides) processing it. */
export interface InboundContext {
  /** Session-level Reject(3) with SessionRejectReason(373), RefTagID(371) and Text(58). */
  reject(reason: number, refTagId?: number, text?: string): void;
  /** BusinessMessageReject(j) with BusinessRejectReason(380) and Text(58) (+ RefTagID in the text, as QuickFIX). */
  businessReject(reason: number, text?: string, refTagId?: number): void;
}

/** fromAdmin may refuse a Logon: the counterparty gets a Logout with this text and is disconnected. */
export interface LogonRefusal {
  refuseLogon: string;
}

export interface Application {
  onCreate?(session: SessionHandle): void;
  onLogon?(session: SessionHandle): void;
  onLogout?(session: SessionHandle, reason: string): void;
  /** May append body fields to an outgoing admin message (e.g. credentials on the Logon). */
  toAdmin?(session: SessionHandle, msgType: string, w: FieldWriter): void;
  /** Sees every admin message after the session's own checks. Return LogonRefusal to refuse a Logon. */
  fromAdmin?(session: SessionHandle, message: FixMessageView): LogonRefusal | void;
  /**
   * Sees an application message before it is stored (it costs a parse of our own output, so leave it out when not
   * needed). On a resend, returning false sends a gap fill instead (QuickFIX's DoNotSend).
   */
  toApp?(session: SessionHandle, message: FixMessageView, isResend: boolean): boolean | void;
  /** An incoming application message that passed every session check. */
  fromApp(session: SessionHandle, message: FixMessageView, ctx: InboundContext): void;
  /** The store could not persist: nothing of this turn was sent and the session was disconnected. */
  onStoreError?(session: SessionHandle, error: Error): void;
}

export class SessionStoreError extends Error {
  constructor(
    readonly session: string,
    override readonly cause: Error,
  ) {
    super(`session ${session} cannot persist messages: ${cause.message}`);
  }
}
