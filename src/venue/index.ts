// Public surface of the venue: the matching core, its journal and the shared command/event contract.

export { Venue } from './core/venue.js';
export type { CoreSnapshot } from './core/state-snapshot.js';
export { JournaledVenue, JOURNAL_FILE } from './journal/journaled-venue.js';
export { listSnapshots, snapshotFileName } from './journal/snapshot-store.js';
export type { JournalOptions, RecoveryReport, SnapshotInfo } from './journal/journaled-venue.js';
export type { FsyncPolicy } from './journal/journal-writer.js';
export type { BookSnapshot, InstrumentState, LevelView, OrderFilter, RoutedOrderView } from './core/queries.js';
export type { PendingRequest } from './core/routed-orders.js';
export type { StpConfig, VenueConfig } from './config.js';
export { DEFAULT_STP } from './config.js';
export { copyEvent, copyOrder } from './event-copy.js';
export * from './model/commands.js';
export * from './model/events.js';
export * from './model/enums.js';
export * from './model/instrument.js';
export * from './model/decimal.js';
