// Shutdown must not hang on a Redis that does not answer: waits are bounded, and whatever was abandoned is
// safe to abandon (an interrupted enqueue is finished by the next start; a job left active is taken back
// by another worker's stalled check).

/** Waits for the promise (its rejection counts as done) at most ms; true if it settled in time. */
export async function settledWithin(p: Promise<unknown> | null | undefined, ms: number): Promise<boolean> {
  if (p === null || p === undefined) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
