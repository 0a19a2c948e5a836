// A port for injected crashes between the steps of an enqueue: the reliability soak (test/soak, npm run soak)
// SIGKILLs the venue right after a step to prove the enqueue is exactly once across crashes. The composition
// root builds it from the environment (src/app/failpoints.ts); production passes none, and the enqueuer never
// imports the test hooks itself.

/** The step of an enqueue (trade-enqueuer.ts) that has just landed in Redis. */
export type EnqueueStep = 'after-intent' | 'after-add';

export interface EnqueueFaults {
  /** Called after each step; may end the process as a crash would. */
  after(step: EnqueueStep): Promise<void>;
}
