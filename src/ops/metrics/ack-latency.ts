// Order → acknowledgement latency: from the moment an order message (NewOrderSingle, cancel, replace) is read
// off a FIX socket to the moment the flush carrying the venue's answer has written it to the socket (journal and
// FIX store writes included: what the member waits for).
//
// The gateway answers an order within the turn that read it, and the engine flushes each turn's output in
// order, so an order read before a flush started is answered by that flush or an earlier one. Arrival times go
// into a fixed ring (no allocation per order); when a flush completes, every arrival older than its start is
// popped and observed. An order that got no answer (queued behind a sequence gap) is counted with the next flush.

import type { HistogramCell } from './cells.js';

/** Order messages whose acknowledgement is timed, by MsgType. */
export const ACK_MSG_TYPES = ['D', 'F', 'G'] as const;

export class AckLatency {
  private readonly times: Float64Array;
  private readonly kinds: Uint8Array;
  private head = 0;
  private tail = 0;
  /** Arrivals not timed because the ring was full (a flush stalled for very long). */
  dropped = 0;

  constructor(
    /** One histogram cell per entry of ACK_MSG_TYPES. */
    private readonly cells: readonly HistogramCell[],
    capacity = 1 << 16,
    /** performance.now(): about 70 ns here, so it is read for order messages only. */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.times = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
  }

  /** A FIX message was read: remembers when, for order messages. */
  arrived(msgType: string): void {
    let kind: number;
    if (msgType === 'D') kind = 0;
    else if (msgType === 'F') kind = 1;
    else if (msgType === 'G') kind = 2;
    else return;
    const next = (this.head + 1) % this.times.length;
    if (next === this.tail) {
      this.dropped++;
      return;
    }
    this.times[this.head] = this.clock();
    this.kinds[this.head] = kind;
    this.head = next;
  }

  /** A flush that started at `startedAt` has written its output at `doneAt` (performance.now() ms). */
  flushed(startedAt: number, doneAt: number): void {
    const times = this.times;
    while (this.tail !== this.head && times[this.tail]! < startedAt) {
      this.cells[this.kinds[this.tail]!]!.observe((doneAt - times[this.tail]!) / 1000);
      this.tail = (this.tail + 1) % times.length;
    }
  }

  get pending(): number {
    return (this.head - this.tail + this.times.length) % this.times.length;
  }
}
