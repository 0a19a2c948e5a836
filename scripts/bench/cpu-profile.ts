// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time per function and per room of
// the code base (FIX codec, FIX session, FIX store, gateway, venue core, journal, records, logging, GC). Time spent
// in Node's own code or in native builtins (Buffer copies, crc32, write syscalls) counts towards the room of the
// nearest caller in the venue's code, so "crc32 called by the FIX store" shows up under the FIX store; only what
// no venue code called (socket reads, timers) is shown as Node's.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO, VENUE_DIST } from './paths.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface TimeShare {
  name: string;
  room: string;
  ms: number;
}

export interface ProfileSummary {
  /** Sampled wall time the process was not idle, in ms. */
  busyMs: number;
  idleMs: number;
  rooms: TimeShare[];
  functions: TimeShare[];
}

/** Rooms of the venue's own code, by path under the compiled tree. */
const ROOMS: Array<[RegExp, string]> = [
  [/\/fix\/(codec|dictionary|validation)\//, 'FIX codec (parse, validate, encode)'],
  [/\/fix\/store\//, 'FIX store + message log'],
  [/\/fix\/(session|engine)\//, 'FIX session + engine'],
  [/\/fix\/transport\//, 'FIX transport (sockets)'],
  [/\/gateway\//, 'gateway (order entry, reports)'],
  [/\/venue\/journal\//, 'venue journal'],
  [/\/venue\/pipeline\//, 'venue pipeline'],
  [/\/venue\//, 'venue core (matching, events)'],
  [/\/records\//, 'execution record'],
  [/\/marketdata\//, 'market data'],
  [/\/ops\//, 'logging + ops'],
  [/\/risk\//, 'pre-trade risk'],
  [/./, 'other venue code (app, config, clearing)'],
];

/** Code nobody in the venue called (the event loop itself): by what it is. */
const OUTSIDE: Array<[RegExp, string]> = [
  [/\/node_modules\/(winston|logform|triple-beam|readable-stream)\//, 'logging + ops'],
  [/\/node_modules\//, 'dependencies'],
  [/^node:.*(net|stream|tcp|pipe|socket)/, 'Node: socket reads + streams'],
  [/^node:.*fs/, 'Node: file callbacks'],
  [/^node:/, 'Node: timers, events, microtasks'],
];

/** The venue's code, except the shared model helpers (decimal formatting, ...), which count for their callers. */
const isVenueCode = (url: string): boolean => url.startsWith(`file://${VENUE_DIST}`) && !url.includes('/venue/model/');

function classify(table: Array<[RegExp, string]>, url: string): string {
  for (const [pattern, room] of table) if (pattern.test(url)) return room;
  return 'native';
}

function sourceName(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  let file = frame.url.replace(/^file:\/\//, '');
  if (file.startsWith(VENUE_DIST)) file = `src${file.slice(VENUE_DIST.length).replace(/\.js$/, '.ts')}`;
  else if (file.startsWith(REPO)) file = relative(REPO, file);
  return `${name}  ${file}${frame.url.startsWith('node:') ? '' : `:${frame.lineNumber + 1} (js)`}`;
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const roomCache = new Map<number, string | null>();
  /** Room of the nearest frame (this one or a caller) in the venue's code; null when there is none. */
  const venueRoomOf = (id: number): string | null => {
    const cached = roomCache.get(id);
    if (cached !== undefined) return cached;
    const url = byId.get(id)!.callFrame.url;
    const up = parent.get(id);
    const room = isVenueCode(url) ? classify(ROOMS, url) : up === undefined ? null : venueRoomOf(up);
    roomCache.set(id, room);
    return room;
  };
  const roomOf = (id: number): string => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(garbage collector)') return 'garbage collector';
    if (frame.functionName === '(program)') return 'V8/native, no JS frame (program)';
    if (frame.functionName === '(idle)') return 'idle';
    return venueRoomOf(id) ?? (frame.url === '' ? 'native' : classify(OUTSIDE, frame.url));
  };

  const selfMs = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; the time sample i stands for is the gap after it.
    const us = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    const id = samples[i]!;
    selfMs.set(id, (selfMs.get(id) ?? 0) + us / 1000);
  }

  const rooms = new Map<string, number>();
  const functions = new Map<string, TimeShare>();
  let idleMs = 0;
  let busyMs = 0;
  for (const [id, ms] of selfMs) {
    const room = roomOf(id);
    if (room === 'idle') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    rooms.set(room, (rooms.get(room) ?? 0) + ms);
    const frame = byId.get(id)!.callFrame;
    const name = sourceName(frame);
    const key = `${room}|${name}`;
    const entry = functions.get(key) ?? { name, room, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  return {
    busyMs,
    idleMs,
    rooms: [...rooms].map(([room, ms]) => ({ name: room, room, ms })).sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()].sort((a, b) => b.ms - a.ms),
  };
}

export function formatProfile(summary: ProfileSummary, topFunctions: number): string {
  const pct = (ms: number): string => `${((100 * ms) / summary.busyMs).toFixed(1)}%`;
  const lines = [
    `busy ${Math.round(summary.busyMs)} ms, idle ${Math.round(summary.idleMs)} ms (sampled)`,
    '',
    '| room | self ms | share of busy |',
    '|---|--:|--:|',
    ...summary.rooms.map((r) => `| ${r.name} | ${Math.round(r.ms)} | ${pct(r.ms)} |`),
    '',
    `| top ${topFunctions} functions by self time | room | self ms | share |`,
    '|---|---|--:|--:|',
    ...summary.functions.slice(0, topFunctions).map((f) => `| ${f.name} | ${f.room} | ${Math.round(f.ms)} | ${pct(f.ms)} |`),
  ];
  return lines.join('\n');
}
