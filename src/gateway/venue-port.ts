// What the gateway needs from the venue side: somewhere to submit commands (the order pipeline: pre-trade
// risk, journal, book or route) and read-only queries for status requests. Events come back through the
// gateway's onEvent, which the composition root subscribes to the journaled venue.

import type { RejectCommand, VenueCommand } from '../venue/model/commands.js';
import type { OrderView } from '../venue/model/events.js';
import type { BookSnapshot, InstrumentState, OrderFilter } from '../venue/index.js';

export interface VenueQueryPort {
  order(orderId: number): OrderView | undefined;
  orderByClOrdId(session: string, clOrdId: string): OrderView | undefined;
  liveOrders(filter?: OrderFilter): OrderView[];
  instrument(symbol: string): InstrumentState | undefined;
  book(symbol: string, depth?: number): BookSnapshot | undefined;
}

export interface VenuePort {
  /** Runs a command through the pipeline now; its events reach onEvent synchronously. Never throws. */
  submit(cmd: VenueCommand | RejectCommand): void;
  readonly queries: VenueQueryPort;
}
