// One side of the ring test (bench-spsc-ring.test.ts), run in a worker thread: produces or checks `count` messages.
import { parentPort, workerData } from 'node:worker_threads';
import { SLOT_WORDS, SpscRing } from '../../scripts/bench/spsc-ring.js';

interface PeerData {
  role: 'producer' | 'consumer';
  buffer: SharedArrayBuffer;
  slots: number;
  spins: number;
  count: number;
  batch: number;
}

const { role, buffer, slots, spins, count, batch } = workerData as PeerData;
const ring = new SpscRing(buffer, slots, spins);
const d = ring.data;
if (role === 'producer') {
  for (let i = 0; i < count; i++) {
    const at = ring.claim();
    for (let w = 0; w < SLOT_WORDS; w++) d[at + w] = i * 31 + w;
    ring.commit();
    if ((i + 1) % batch === 0) ring.publish();
  }
  ring.publish();
  parentPort!.postMessage({ wrong: 0, read: 0 });
} else {
  let wrong = 0;
  for (let i = 0; i < count; i++) {
    const at = ring.next();
    for (let w = 0; w < SLOT_WORDS; w++) if (d[at + w] !== ((i * 31 + w) | 0)) wrong++;
    ring.done();
    if ((i + 1) % batch === 0) ring.release();
  }
  ring.release();
  parentPort!.postMessage({ wrong, read: count });
}
