import { expect } from 'chai';
import { GcTrace } from '../../scripts/bench/gc-trace.js';

const scavenge = (isolate: string, ms: number, pause = 1.5): string =>
  `[4242:${isolate}]     ${ms} ms: Scavenge 10.2 (12.3) -> 9.8 (13.3) MB, ${pause} / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; \n`;
const markCompact = (isolate: string, ms: number): string =>
  `[4242:${isolate}]     ${ms} ms: Mark-Compact 51.7 (76.2) -> 32.1 (69.9) MB, 22.23 / 0.03 ms  (+ 9.1 ms in 5 steps since start of marking, biggest step 8.7 ms) (average mu = 0.996, current mu = 0.996) finalize incremental marking via stack guard; GC in old space requested\n`;

describe('bench: --trace-gc reader', () => {
  it('maps the isolate clock with the earliest arrival and counts only what falls inside the window', () => {
    const gc = new GcTrace();
    // The isolate started at bench time 1000: a line stamped 100 ms arrives at 1100 (on time) or later (delayed).
    gc.feed(scavenge('0xaaa', 100), 1100);
    gc.feed(scavenge('0xaaa', 2000), 3050); // arrived 50 ms late: its time is still 3000
    gc.feed(markCompact('0xaaa', 2500), 3500);
    gc.feed(scavenge('0xaaa', 4500), 5500);
    gc.feed(scavenge('0xaaa', 9000), 10_000);
    const w = gc.summarise(2000, 7000)!;
    expect(w.scavenges).to.equal(2); // 3000 and 5500; 1100 and 10000 are outside
    expect(w.markCompacts).to.equal(1);
    expect(w.pauseMs).to.be.closeTo(1.5 + 22.23 + 1.5, 1e-9);
    expect(w.longestScavengeFreeMs).to.equal(2500); // 3000 -> 5500
    expect(w.windowMs).to.equal(5000);
  });

  it('counts the window edges as ends of a scavenge-free stretch, and a window without scavenges as one stretch', () => {
    const gc = new GcTrace();
    gc.feed(scavenge('0xaaa', 0), 0);
    gc.feed(scavenge('0xaaa', 500), 500);
    expect(gc.summarise(400, 4000)!.longestScavengeFreeMs).to.equal(3500); // 500 -> window end
    expect(gc.summarise(1000, 1800)!).to.include({ scavenges: 0, longestScavengeFreeMs: 800 });
  });

  it('keeps worker-thread isolates apart (the event loop is the isolate that collects most) and joins lines split across chunks', () => {
    const gc = new GcTrace();
    const line = scavenge('0xbbb', 150);
    gc.feed(scavenge('0xaaa', 100) + line.slice(0, 20), 100);
    gc.feed(line.slice(20) + scavenge('0xaaa', 200) + 'venue WARN not a gc line\n', 200);
    gc.feed(scavenge('0xaaa', 300), 300);
    const w = gc.summarise(0, 1000)!;
    expect(w.scavenges).to.equal(3);
    expect(w.otherThreads).to.equal(1);
  });

  it('says nothing when no line was traced', () => {
    const gc = new GcTrace();
    gc.feed('2026-12-08T02:12:51.800Z WARN  ops: no admin tokens configured\n', 10);
    expect(gc.summarise(0, 100)).to.equal(null);
  });
});
