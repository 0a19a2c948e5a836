// A port told about clearing's own events after their effects are counted: each enqueue committed, each job
// attempt this process's workers finished. Metrics and Redis state are updated by then, so a test (or a tool)
// waits for the event instead of polling for its effects; production passes none.

/** One attempt of a job run by an in-process worker, told after its metrics were counted. */
export interface JobAttempt {
  id: string;
  /** The job's name: settle, clearing-report, end-of-day. */
  name: string;
  outcome: 'completed' | 'failed';
  /** The processor's result (completed) or the error's message (failed). */
  result: unknown;
  /** A failed attempt that was the last one allowed (the job went to the failed set). */
  final: boolean;
}

export interface ClearingObserver {
  /** After an enqueue committed: trades up to lastSeq are on the queue (and counted in the metrics). */
  onEnqueued?(lastSeq: number, trades: number): void;
  onJobAttempt?(attempt: JobAttempt): void;
}
