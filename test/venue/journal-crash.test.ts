// Crash and disk-failure tests with a real child process: SIGKILL in the middle of an order stream, and
// a real EFBIG from the kernel when the journal outgrows the child's file-size limit.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournaledVenue } from '../../src/venue/journal/journaled-venue.js';
import { copyEvent } from '../../src/venue/event-copy.js';
import { OrderStatus } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { spec } from './support/harness.js';
import { makeTempDir } from '../support/temp-dir.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'journal-child.ts');

interface Ack {
  seq: number;
  type: string;
  orderId: number;
}

/** Runs the child; `stopWhen` sees each output line and returns true to SIGKILL it. */
function runChild(args: string[], stopWhen: (line: string, lines: string[]) => boolean, shellPrefix = ''): Promise<{ lines: string[]; signal: string | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--import', 'tsx', CHILD, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('sh', ['-c', `${shellPrefix} exec ${node}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const parts = text.split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (!killed && stopWhen(line, lines)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!killed && code !== 0) return reject(new Error(`child exited ${code} ${signal}: ${stderr}`));
      resolve({ lines, signal, code });
    });
  });
}

function parseAcks(lines: string[]): Ack[] {
  return lines.filter((l) => l.startsWith('E ')).map((l) => {
    const [, seq, type, orderId] = l.split(' ');
    return { seq: Number(seq), type: type!, orderId: Number(orderId) };
  });
}

async function recover(dir: string, useSnapshot: boolean) {
  const jv = new JournaledVenue({ instruments: [spec()] }, { dir, fsync: 'none', autoCommit: false, useSnapshot });
  const replayed: VenueEvent[] = [];
  jv.subscribe((e) => replayed.push(copyEvent(e)), { replay: true });
  const report = await jv.open();
  return { jv, replayed, report };
}

describe('venue journal: crash recovery (child process killed with SIGKILL)', function () {
  this.timeout(90_000);

  it('every acknowledged order survives, numbering is identical, and the books equal a clean replay', async () => {
    const dir = makeTempDir('venue-crash-');
    let accepted = 0;
    const run = await runChild([dir, 'stream', '42', '1500'], (line) => {
      if (line.includes(' accepted ')) accepted++;
      return accepted >= 4000;
    });
    expect(run.signal).to.equal('SIGKILL');
    expect(run.lines.some((l) => l.startsWith('SNAPSHOT'))).to.equal(true);
    const acks = parseAcks(run.lines);
    expect(acks.length).to.be.greaterThan(4000);

    // Recover the way the venue starts: snapshot, then the journal after it.
    const rec = await recover(dir, true);
    expect(rec.report.snapshotSeq).to.be.greaterThan(0);
    const clean = await recover(dir, false);
    expect(rec.jv.venue.exportState()).to.deep.equal(clean.jv.venue.exportState());
    expect(rec.report.eventSeq).to.equal(clean.report.eventSeq);

    // The clean replay re-creates every acknowledged event with the same seq, type and order.
    const bySeq = new Map(clean.replayed.map((e) => [e.seq, e]));
    for (const ack of acks) {
      const e = bySeq.get(ack.seq);
      expect(e, `event ${ack.seq}`).to.not.equal(undefined);
      expect(e!.type).to.equal(ack.type);
      const id = 'order' in e! && e!.order !== null ? e!.order.orderId : e!.type === 'trade' ? e!.taker.orderId : 0;
      expect(id).to.equal(ack.orderId);
    }
    // Every acknowledged order is in the book, or its end is in the trade/cancel record.
    const ended = new Map<number, string>();
    for (const e of clean.replayed) {
      if (e.type === 'trade') {
        if (e.maker.status === OrderStatus.Filled) ended.set(e.maker.orderId, 'filled');
        if (e.taker.status === OrderStatus.Filled) ended.set(e.taker.orderId, 'filled');
      } else if (e.type === 'cancelled') ended.set(e.order.orderId, 'cancelled');
      else if (e.type === 'replaced' && e.order.status === OrderStatus.Filled) ended.set(e.order.orderId, 'filled');
    }
    for (const ack of acks.filter((a) => a.type === 'accepted')) {
      const live = rec.jv.venue.order(ack.orderId);
      expect(live !== undefined || ended.has(ack.orderId), `order ${ack.orderId} lost`).to.equal(true);
    }
    // The journal may hold commands whose acks were never printed; nothing acknowledged is missing.
    expect(rec.report.eventSeq).to.be.at.least(Math.max(...acks.map((a) => a.seq)));
    await rec.jv.close();
    await clean.jv.close();
  });
});

describe('venue journal: disk failure (real EFBIG from a file-size limit)', function () {
  this.timeout(90_000);

  it('fails the commit, releases nothing of the failed batch, refuses new commands and does not crash', async () => {
    const dir = makeTempDir('venue-efbig-');
    // sh's ulimit -f counts 512-byte blocks: the journal may grow to 48 KiB.
    const run = await runChild([dir, 'until-failure', '5'], () => false, 'ulimit -f 96;');
    expect(run.code).to.equal(0);
    const failedAt = run.lines.findIndex((l) => l.startsWith('FAILED'));
    expect(failedAt).to.be.greaterThan(0);
    expect(run.lines[failedAt]).to.equal('FAILED EFBIG');
    const after = run.lines.slice(failedAt + 1);
    expect(after.filter((l) => l.startsWith('E '))).to.deep.equal([]);
    expect(after).to.include('REFUSED journal-unavailable');
    expect(after.at(-1)).to.equal('ALIVE');

    // Restart (without the limit): exactly the acknowledged history comes back.
    const acks = parseAcks(run.lines.slice(0, failedAt));
    const rec = await recover(dir, true);
    // The part of the failed batch that reached the disk was cut back out, so the replayed history is
    // exactly the acknowledged one (book deltas are not printed by the child).
    const replayedSeqs = rec.replayed.filter((e) => e.type !== 'bookDelta').map((e) => e.seq);
    expect(replayedSeqs).to.deep.equal(acks.map((a) => a.seq));
    await rec.jv.close();
  });
});
