// The shared memory between the main thread and the write thread (write-thread.ts, write-thread-source.ts).
//
//   control   Int32Array: SUBMITTED (seq of the next job not yet handed over), COMPLETED (seq of the next job not
//             yet done), STOP. Seqs count jobs modulo 2^32 and are compared by difference, so they may wrap.
//   jobs      Int32Array, JOB_INTS per slot (slot = seq & (slots - 1)): kind, stream, fd, where the bytes are in
//             `data`, their length, flags, and the write this one depends on (stream and seq, or -1).
//   positions Float64Array per slot: the file offset (files beyond 2 GiB need more than 32 bits).
//   results   Int32Array per slot, written by the write thread: OK, SKIPPED_*, or a negative errno.
//   data      the bytes to write, a ring the main thread allocates from in job order and frees in completion order.

export const WRITE_THREAD_LAYOUT = {
  SUBMITTED: 0,
  COMPLETED: 1,
  STOP: 2,
  CONTROL_INTS: 4,

  KIND: 0,
  STREAM: 1,
  FD: 2,
  DATA_START: 3,
  LENGTH: 4,
  FLAGS: 5,
  DEP_STREAM: 6,
  DEP_UPTO: 7,
  JOB_INTS: 8,

  KIND_WRITE: 1,
  /** Marks its stream failed at this point of the queue (a fault found before the write was handed over). */
  KIND_FAIL: 2,
  FLAG_DATASYNC: 1,
  /** The bytes are [u32 LE length][text] records, to be written as readable lines (the FIX message log). */
  FLAG_LOG_LINES: 2,

  OK: 0,
  /** Not attempted: an earlier job of the same stream failed (or this is a KIND_FAIL marker). */
  SKIPPED_STREAM: 1,
  /** Not attempted: the stream it depends on had failed at or before the job it depends on (its own stream fails). */
  SKIPPED_DEPENDENCY: 2,
} as const;
