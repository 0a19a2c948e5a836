import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { emitJsonInSlices } from '../../src/venue/journal/json-chunks.js';
import { listSnapshots, readSnapshotFile } from '../../src/venue/journal/snapshot-store.js';
import { StpMode } from '../../src/venue/model/enums.js';
import { spec } from './support/harness.js';
import { OrderStream } from './support/random-stream.js';
import { makeTempDir } from '../support/temp-dir.js';
import { openJournaled } from './support/open-journaled.js';

const CONFIG = { instruments: [spec()], stp: { defaultMode: StpMode.CancelResting, scope: 'account' as const } };

describe('venue snapshots: files, checksums, fallback', () => {
  it('writes JSON in slices that is exactly JSON.stringify of the value', async () => {
    const value = {
      a: 1, skip: undefined, s: 'ü"\\', nested: { list: [1, undefined, 'x'], deep: { rows: Array.from({ length: 50 }, (_, i) => ({ i, o: { k: [i] } })) } },
      big: Array.from({ length: 7001 }, (_, i) => ({ id: i, name: `n${i}`, nothing: undefined })),
      empty: [], obj: {},
    };
    const parts: string[] = [];
    await emitJsonInSlices(value, (t) => void parts.push(t), { itemsPerSlice: 1000 });
    expect(parts.join('')).to.equal(JSON.stringify(value));
    expect(parts.length).to.be.greaterThan(5); // emitted a slice at a time
  });

  it('names each snapshot by its command seq, falls back past a corrupt and a torn one, and prunes beyond keep', async () => {
    const dir = makeTempDir('venue-snapshots-');
    const first = await openJournaled(CONFIG, dir);
    const stream = new OrderStream(5);
    for (let round = 1; round <= 4; round++) {
      for (let i = 0; i < 300; i++) first.jv.apply(stream.next(round * 1000 + i));
      await first.jv.commit();
      const info = await first.jv.snapshot();
      expect(path.basename(info.path)).to.equal(`snapshot-${String(round * 300).padStart(16, '0')}.snap`);
    }
    for (let i = 0; i < 100; i++) first.jv.apply(stream.next(9000 + i));
    await first.jv.commit();
    const finalState = first.jv.venue.exportState();
    expect(first.jv.pruneSnapshots(3).map((p) => path.basename(p))).to.deep.equal([`snapshot-${String(300).padStart(16, '0')}.snap`]);
    expect(first.jv.snapshots().map((s) => s.commandSeq)).to.deep.equal([1200, 900, 600]);
    await first.jv.close();

    const [newest, middle] = listSnapshots(dir);
    // One flipped byte in the body: the checksum refuses it.
    const bytes = fs.readFileSync(newest!.path);
    bytes[bytes.length - 10] ^= 0x01;
    fs.writeFileSync(newest!.path, bytes);
    expect(readSnapshotFile(newest!.path)).to.deep.equal({ error: 'checksum mismatch (corrupt)' });
    // The one before it torn short.
    fs.truncateSync(middle!.path, Math.floor(middle!.bytes / 2));

    const again = await openJournaled(CONFIG, dir);
    expect(again.report.snapshotSeq).to.equal(600);
    expect(again.report.replayedCommands).to.equal(700);
    expect(again.report.snapshotsSkipped.map((s) => s.reason)).to.deep.equal(['checksum mismatch (corrupt)', `body is ${Math.floor(middle!.bytes / 2) - 99} bytes, the header says ${middle!.bytes - 99} (torn write)`]);
    expect(again.jv.venue.exportState()).to.deep.equal(finalState);
    await again.jv.close();
  });
});
