// The venue core: applies commands one at a time, synchronously and deterministically, and emits events.
// No I/O, no clock, no randomness: the same commands always produce the same events, ids and books,
// which is what lets the journal rebuild the state after a crash.

import type { VenueConfig } from '../config.js';
import type { VenueCommand } from '../model/commands.js';
import type { VenueEventListener } from '../model/events.js';
import { AuctionCall } from './auction-call.js';
import { CoreState } from './core-state.js';
import { Matcher } from './matcher.js';
import { OrderEntry } from './order-entry.js';
import { VenueQueries } from './queries.js';
import { exportCore, restoreCore, type CoreSnapshot } from './state-snapshot.js';
import { VenueOps } from './venue-ops.js';
import { emptyArray } from '../../shared/arrays.js';

export class Venue extends VenueQueries {
  private readonly matcher: Matcher;
  private readonly entry: OrderEntry;
  private readonly ops: VenueOps;
  private readonly auction: AuctionCall;
  private applying = false;
  /** Commands applied from inside a listener, run after the current command (see apply). */
  private readonly deferred: VenueCommand[] = [];

  constructor(config: VenueConfig) {
    const state = new CoreState(config);
    super(state);
    this.matcher = new Matcher(state);
    this.auction = new AuctionCall(state, this.matcher);
    this.entry = new OrderEntry(state, this.matcher, this.auction);
    this.ops = new VenueOps(state, this.auction);
  }

  /** A venue rebuilt from a snapshot taken by exportState() under the same instrument configuration. */
  static fromState(config: VenueConfig, snapshot: CoreSnapshot): Venue {
    const venue = new Venue(config);
    restoreCore(venue.state, snapshot);
    return venue;
  }

  /** Plain data describing the whole core (JSON-safe): counters, instruments, STP settings, live orders. */
  exportState(): CoreSnapshot {
    return exportCore(this.state);
  }

  /** Sequence number of the last command applied. */
  get commandSeq(): number {
    return this.state.commandSeq;
  }

  /** Sequence number of the last event emitted. */
  get eventSeq(): number {
    return this.state.bus.seq;
  }

  /** Number of errors thrown by listeners so far (they never stop the core). */
  get listenerErrors(): number {
    return this.state.listenerErrors;
  }

  /** Listeners are called synchronously, in order, with reused event objects: copy what you keep. */
  subscribe(listener: VenueEventListener): () => void {
    return this.state.bus.subscribe(listener);
  }

  /**
   * Applies one command and emits its events before returning. Returns the command's sequence number.
   * Called from inside a listener (the core is then in the middle of a command), the command is queued
   * and applied right after the current one, before this outer apply() returns; its sequence number is
   * returned at once. Either way commands are applied, numbered and journaled in call order.
   */
  apply(cmd: VenueCommand): number {
    if (this.applying) {
      this.deferred.push(cmd);
      return this.state.commandSeq + this.deferred.length;
    }
    this.applying = true;
    try {
      const seq = this.applyOne(cmd);
      const deferred = this.deferred;
      for (let i = 0; i < deferred.length; i++) this.applyOne(deferred[i]!);
      return seq;
    } finally {
      emptyArray(this.deferred);
      this.applying = false;
    }
  }

  /** After a command that may have changed a book in a call: its indicative price (only books in a call). */
  private refreshIndicative(cmd: VenueCommand): void {
    const symbol = cmd.type === 'new' || cmd.type === 'cancel' || cmd.type === 'replace' ? cmd.symbol : '';
    const book = symbol === '' ? undefined : this.state.bySymbol.get(symbol);
    if (book !== undefined) this.auction.refreshIndicative(book);
    else if (cmd.type !== 'reject' && cmd.type !== 'setStp') this.auction.refreshAll();
  }

  private applyOne(cmd: VenueCommand): number {
    const state = this.state;
    const seq = ++state.commandSeq;
    state.bus.commandSeq = seq;
    state.bus.time = cmd.time;
    this.matcher.resetTradeRange();
    switch (cmd.type) {
      case 'new': this.entry.newOrder(cmd); break;
      case 'cancel': this.entry.cancel(cmd); break;
      case 'replace': this.entry.replace(cmd); break;
      case 'massCancel': this.ops.massCancel(cmd); break;
      case 'halt':
      case 'resume': this.ops.tradingStatus(cmd); break;
      case 'phase': this.auction.changePhase(cmd); break;
      case 'time': this.ops.expireGtd(cmd); break;
      case 'endOfDay': this.ops.endOfDay(cmd); break;
      case 'setStp': this.ops.setStp(cmd); break;
      case 'reject': this.ops.refusal(cmd); break;
      case 'routeReport': this.state.routed.report(cmd); break;
      default: this.ops.unknownCommand(cmd); break;
    }
    if (state.callBooks > 0) this.refreshIndicative(cmd);
    return seq;
  }
}
