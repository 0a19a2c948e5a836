// A port for injected disk faults: the reliability soak (test/soak, npm run soak) crashes the venue mid-write or
// fills its disk at exact points, through this interface. The journal writer and the FIX session stores are given
// one (or null, the production case: one comparison per batch); the composition root builds it from the
// environment (src/app/failpoints.ts). The writers never import the test hooks themselves.

/** What a fault does to one batch write: fail it with this error, tear it (write only the first `tear` bytes), or nothing. */
export type BatchWriteFault = NodeJS.ErrnoException | { tear: number } | null;

export interface WriteFaults {
  /** Asked before each batch write of `length` bytes. */
  before(length: number): BatchWriteFault;
  /** A torn write is on disk: the process ends as a crash would (after the fault's delay, if it has one). */
  torn(): void;
}
