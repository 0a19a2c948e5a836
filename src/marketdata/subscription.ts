// A market data subscription (or a one-off snapshot request) and the session it belongs to.

import type { SessionHandle } from '../fix/index.js';
import type { DepthView } from './depth-view.js';
import type { SymbolFeed } from './symbol-feed.js';

/** A session that has asked for market data, with its live subscriptions by MDReqID. */
export interface Subscriber {
  readonly key: string;
  readonly handle: SessionHandle;
  readonly subscriptions: Map<string, Subscription>;
}

export interface Subscription {
  readonly reqId: string;
  readonly subscriber: Subscriber;
  /** Instruments, in request order. */
  readonly feeds: SymbolFeed[];
  /** The view per instrument (parallel to feeds); empty for a snapshot-only request. */
  readonly views: DepthView[];
  /** 0 for the full book. */
  readonly depth: number;
  /** EntryMask bits. */
  readonly types: number;
  /** MDUpdateType 0: a full refresh (W) per changed instrument instead of incrementals. */
  readonly fullRefresh: boolean;
  /** Waiting for its snapshot, which the next flush sends from the end-of-turn book. */
  pendingSnapshot: boolean;
  /** Unsubscribed or its session gone (a pending snapshot is then skipped). */
  removed: boolean;
  /** Flush number that last published to it (collects each subscription once per turn). */
  mark: number;
}
