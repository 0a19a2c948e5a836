// Reads what `node --trace-gc` prints on the venue's stdout and says which collections fell inside a measured
// window of the bench. V8 stamps each line with milliseconds since its isolate started, a clock the bench does not
// share; each line is also stamped with the bench's clock when it arrives (V8 flushes every line, so it arrives
// within a scheduling delay of being printed), and the smallest (arrival - stamp) over an isolate's lines maps that
// isolate's clock onto the bench's, to within that delay. Worker threads (the venue's write thread) are isolates of
// their own with their own clock and are kept apart: the event loop's isolate is the one that collects most.

import { performance } from 'node:perf_hooks';

export type GcKind = 'scavenge' | 'mark-compact';

interface GcEvent {
  kind: GcKind;
  /** When the line was printed, on its isolate's clock (ms). */
  isolateMs: number;
  pauseMs: number;
}

interface IsolateTrace {
  events: GcEvent[];
  /** min over lines of (bench clock at arrival - isolate clock); maps isolateMs to the bench's performance.now(). */
  offsetMs: number;
}

export interface GcWindowSummary {
  /** Young-generation collections of the event loop's isolate in the window. */
  scavenges: number;
  markCompacts: number;
  /** Pause time of those collections, summed (ms). */
  pauseMs: number;
  /** The longest stretch of the window with no scavenge of the event loop's isolate (window edges count as ends). */
  longestScavengeFreeMs: number;
  windowMs: number;
  /** Collections of the other isolates (worker threads) in the window. */
  otherThreads: number;
}

// [12345:0x5581c0]     1234 ms: Scavenge 10.2 (12.3) -> 9.8 (13.3) MB, 1.23 / 0.00 ms  (average mu = ...
const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+(?:\.\d+)?) ms: (Scavenge|Minor Mark-Compact|Minor Mark-Sweep|Mark-Compact|Mark-Sweep)\b[^,]*, ([\d.]+) \//;

export class GcTrace {
  private readonly isolates = new Map<string, IsolateTrace>();
  private partial = '';

  /** Feed stdout as it arrives (`arrivedAt`: the bench's clock when it did). */
  feed(chunk: string, arrivedAt: number = performance.now()): void {
    const now = arrivedAt;
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.parse(line, now);
  }

  private parse(line: string, arrivedAt: number): void {
    const m = LINE.exec(line);
    if (m === null) return;
    const isolate = m[1]!;
    const isolateMs = Number(m[2]);
    const kind: GcKind = m[3]!.startsWith('Minor') || m[3] === 'Scavenge' ? 'scavenge' : 'mark-compact';
    let trace = this.isolates.get(isolate);
    if (trace === undefined) {
      trace = { events: [], offsetMs: Number.POSITIVE_INFINITY };
      this.isolates.set(isolate, trace);
    }
    trace.events.push({ kind, isolateMs, pauseMs: Number(m[4]) });
    trace.offsetMs = Math.min(trace.offsetMs, arrivedAt - isolateMs);
  }

  /** The collections between two readings of performance.now() taken by the bench; null when nothing was traced. */
  summarise(startMs: number, endMs: number): GcWindowSummary | null {
    if (this.isolates.size === 0) return null;
    const traces = [...this.isolates.values()].sort((a, b) => b.events.length - a.events.length);
    const inWindow = (t: IsolateTrace): GcEvent[] =>
      t.events.filter((e) => e.isolateMs + t.offsetMs >= startMs && e.isolateMs + t.offsetMs <= endMs);
    const main = traces[0]!;
    const mine = inWindow(main);
    const scavengeTimes = mine.filter((e) => e.kind === 'scavenge').map((e) => e.isolateMs + main.offsetMs);
    let longest = 0;
    let previous = startMs;
    for (const t of [...scavengeTimes, endMs]) {
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return {
      scavenges: scavengeTimes.length,
      markCompacts: mine.length - scavengeTimes.length,
      pauseMs: mine.reduce((sum, e) => sum + e.pauseMs, 0),
      longestScavengeFreeMs: longest,
      windowMs: endMs - startMs,
      otherThreads: traces.slice(1).reduce((sum, t) => sum + inWindow(t).length, 0),
    };
  }
}
