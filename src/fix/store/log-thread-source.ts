// The code that runs on the FIX message log's thread (see log-thread.ts), as the text of a CommonJS script the
// Worker evaluates (text, like the write thread's, so that it runs the same under tsx and from dist/).
//
// The event loop hands over each session's staged runs every ~100 ms, as transferred ArrayBuffers (no copy):
//   record = kind u8 (0 IN, 1 OUT, 2 EVT) | 3 bytes padding | length u32 LE | time f64 LE (epoch ms) | bytes
// An IN or OUT record holds whole FIX messages back to back (the frames of one socket read, the bytes of one socket
// write). This thread cuts them into messages the way the acceptor's framer does (QuickFIX's rule: BodyLength, then
// "\x0110=" searched from one byte before the end of the body, then its SOH), formats the timestamp, and writes one
// readable line per message ('|' for SOH, a newline inside a message shown as a space), rotating the file by size
// and at each new UTC day.
// Bytes that do not start a FIX message are written as one line as they are.

export const LOG_THREAD_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');

const DIRS = ['IN  ', 'OUT ', 'EVT '];
const logs = new Map();
let out = Buffer.allocUnsafe(1 << 20);
let outLength = 0;
const BEGIN = Buffer.from('8=', 'latin1');
const LENGTH_TAG = Buffer.from('\\x019=', 'latin1');
const TRAILER = Buffer.from('\\x0110=', 'latin1');

function pad(n, width) {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

let stampMs = -1;
let stamp = '';
function timestamp(ms) {
  if (ms !== stampMs) {
    stampMs = ms;
    const d = new Date(ms);
    stamp = d.getUTCFullYear() + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2) + '-' + pad(d.getUTCHours(), 2) + ':' +
      pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2) + '.' + pad(d.getUTCMilliseconds(), 3);
  }
  return stamp;
}

function room(n) {
  if (outLength + n <= out.length) return;
  let size = out.length * 2;
  while (size < outLength + n) size *= 2;
  const bigger = Buffer.allocUnsafe(size);
  out.copy(bigger, 0, 0, outLength);
  out = bigger;
}

/** One line: prefix, then data[from, to) with SOH as '|' and newlines as spaces. */
function line(prefix, data, from, to) {
  room(prefix.length + (to - from) + 1);
  outLength += out.write(prefix, outLength, 'latin1');
  for (let i = from; i < to; i++) {
    const c = data[i];
    out[outLength++] = c === 1 ? 124 : c === 10 ? 32 : c;
  }
  out[outLength++] = 10;
}

/** End of the FIX message that starts at 'at' (before 'end'), or -1 when the bytes there are not one. */
function messageEnd(data, at, end) {
  if (end - at < 2 || data[at] !== 56 || data[at + 1] !== 61) return -1;
  const lengthTag = data.indexOf(LENGTH_TAG, at);
  if (lengthTag < 0 || lengthTag >= end) return -1;
  let p = lengthTag + 3;
  let bodyLength = 0;
  let digits = 0;
  while (p < end && data[p] >= 48 && data[p] <= 57 && digits < 16) {
    bodyLength = bodyLength * 10 + (data[p] - 48);
    p++;
    digits++;
  }
  if (digits === 0 || p >= end || data[p] !== 1) return -1;
  const trailer = data.indexOf(TRAILER, p + bodyLength);
  if (trailer < 0 || trailer >= end) return -1;
  const soh = data.indexOf(1, trailer + 4);
  if (soh < 0 || soh >= end) return -1;
  return soh + 1;
}

function renderRecord(kind, time, data, from, to) {
  const prefix = timestamp(time) + ' ' + DIRS[kind];
  if (kind === 2) return line(prefix, data, from, to);
  let at = from;
  while (at < to) {
    const next = messageEnd(data, at, to);
    if (next < 0) return line(prefix, data, at, to);
    line(prefix, data, at, next);
    at = next;
  }
}

const DAY_MS = 86400000;

function rotate(log) {
  fs.closeSync(log.fd);
  const base = log.file;
  fs.rmSync(base + '.' + log.keepFiles, { force: true });
  for (let i = log.keepFiles - 1; i >= 1; i--) {
    try { fs.renameSync(base + '.' + i, base + '.' + (i + 1)); } catch (err) { if (err.code !== 'ENOENT') throw err; }
  }
  if (log.keepFiles >= 1) fs.renameSync(base, base + '.1');
  else fs.rmSync(base, { force: true });
  openFile(log);
}

function openFile(log) {
  fs.mkdirSync(path.dirname(log.file), { recursive: true });
  log.fd = fs.openSync(log.file, 'a');
  const st = fs.fstatSync(log.fd);
  log.size = st.size;
  // A file kept from before a restart holds the day it was last written on.
  if (log.day < 0 && st.size > 0) log.day = Math.floor(st.mtimeMs / DAY_MS);
}

/** Writes the lines rendered so far to the current file (rotating it first when they would overfill it). */
function writeOut(log) {
  if (outLength === 0) return;
  if (log.fd < 0) openFile(log);
  if (log.size + outLength > log.maxFileBytes && log.size > 0) rotate(log);
  let done = 0;
  while (done < outLength) done += fs.writeSync(log.fd, out, done, outLength - done);
  log.size += outLength;
  outLength = 0;
}

function writeBatch(log, data, length) {
  outLength = 0;
  let at = 0;
  while (at + 16 <= length) {
    const kind = data[at];
    const n = data.readUInt32LE(at + 4);
    const time = data.readDoubleLE(at + 8);
    // Rotated daily (UTC) as well as by size: a new day's first line starts a new file.
    const day = Math.floor(time / DAY_MS);
    if (day !== log.day) {
      writeOut(log);
      if (log.fd < 0) openFile(log);
      if (log.day >= 0 && log.day !== day && log.size > 0) rotate(log);
      log.day = day;
    }
    const from = at + 16;
    const to = Math.min(length, from + n);
    renderRecord(kind, time, data, from, to);
    at = to;
  }
  writeOut(log);
}

parentPort.on('message', (m) => {
  const log = logs.get(m.id);
  try {
    if (m.type === 'open') {
      logs.set(m.id, { file: m.file, maxFileBytes: m.maxFileBytes, keepFiles: m.keepFiles, fd: -1, size: 0, day: -1, broken: false });
    } else if (m.type === 'batch') {
      if (log !== undefined && !log.broken) writeBatch(log, Buffer.from(m.data, 0, m.length), m.length);
      parentPort.postMessage({ type: 'written', id: m.id, bytes: m.length });
    } else if (m.type === 'close') {
      if (log !== undefined && log.fd >= 0) fs.closeSync(log.fd);
      logs.delete(m.id);
    }
  } catch (err) {
    if (log !== undefined) log.broken = true;
    parentPort.postMessage({ type: 'error', id: m.id, message: String(err && err.message || err) });
    if (m.type === 'batch') parentPort.postMessage({ type: 'written', id: m.id, bytes: m.length });
  }
  if (m.ticket !== undefined) parentPort.postMessage({ type: 'done', ticket: m.ticket });
});
`;
