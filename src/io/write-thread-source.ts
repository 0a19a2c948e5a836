// The code that runs on the write thread (see write-thread.ts), as the text of a CommonJS script the Worker
// evaluates. It is text rather than a module file so that it runs the same under tsx (tests) and from the compiled
// dist/, with no path to resolve; the shared memory layout comes in through workerData, so the numbers are defined
// once, in write-thread-layout.ts.
//
// The loop: sleep until the main thread publishes more jobs, run them strictly in order (positional writes, an
// fdatasync when asked, stream failures), publish how far it got, wake the main thread, repeat.
//
// Jobs flagged FLAG_LOG_LINES carry the FIX message log's staged records, [u32 LE length][text] each; they are
// turned into readable lines here (SOH shown as '|', a newline inside a message as a space, one '\n' per record),
// in place, before the write: the one CPU-bound step of the log, kept off the event loop.

export const WRITE_THREAD_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { layout, control, jobs, positions, results, data, slots } = workerData;
const L = layout;
const mask = slots - 1;
/** stream id -> seq of its first failed job: later jobs of the stream, and jobs that depend on it, are skipped. */
const firstFailure = new Map();
const notAfter = (a, b) => ((b - a) | 0) >= 0;

/** Rewrites the records in data[start, start + length) as lines, in place (each shrinks); returns the new length. */
function renderLines(start, length) {
  const end = start + length;
  let p = start;
  let at = start;
  while (at + 4 <= end) {
    const n = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
    const textEnd = Math.min(end, at + 4 + n);
    for (let i = at + 4; i < textEnd; i++) {
      const c = data[i];
      data[p++] = c === 1 ? 124 : c === 10 ? 32 : c;
    }
    data[p++] = 10;
    at = textEnd;
  }
  return p - start;
}

function run(seq) {
  const slot = seq & mask;
  const at = slot * L.JOB_INTS;
  const kind = jobs[at + L.KIND];
  const stream = jobs[at + L.STREAM];
  if (firstFailure.has(stream)) return L.SKIPPED_STREAM;
  if (kind === L.KIND_FAIL) {
    firstFailure.set(stream, seq);
    return L.SKIPPED_STREAM;
  }
  const depStream = jobs[at + L.DEP_STREAM];
  if (depStream >= 0) {
    const failedAt = firstFailure.get(depStream);
    if (failedAt !== undefined && notAfter(failedAt, jobs[at + L.DEP_UPTO])) {
      // Held back for good: what this stream writes next would follow a gap.
      firstFailure.set(stream, seq);
      return L.SKIPPED_DEPENDENCY;
    }
  }
  const fd = jobs[at + L.FD];
  const start = jobs[at + L.DATA_START];
  const flags = jobs[at + L.FLAGS];
  const length = (flags & L.FLAG_LOG_LINES) !== 0 ? renderLines(start, jobs[at + L.LENGTH]) : jobs[at + L.LENGTH];
  const position = positions[slot];
  try {
    let done = 0;
    while (done < length) {
      const n = fs.writeSync(fd, data, start + done, length - done, position + done);
      if (n <= 0) throw Object.assign(new Error('write made no progress'), { errno: -5 });
      done += n;
    }
    if ((flags & L.FLAG_DATASYNC) !== 0) fs.fdatasyncSync(fd);
    return L.OK;
  } catch (err) {
    firstFailure.set(stream, seq);
    return typeof err.errno === 'number' && err.errno < 0 ? err.errno : -5;
  }
}

let next = Atomics.load(control, L.COMPLETED);
for (;;) {
  const submitted = Atomics.load(control, L.SUBMITTED);
  if (submitted === next) {
    if (Atomics.load(control, L.STOP) === 1) break;
    Atomics.wait(control, L.SUBMITTED, submitted);
    continue;
  }
  while (next !== submitted) {
    results[next & mask] = run(next);
    next = (next + 1) | 0;
  }
  Atomics.store(control, L.COMPLETED, next);
  Atomics.notify(control, L.COMPLETED);
}
`;
