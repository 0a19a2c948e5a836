import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { ringBytes, SpscRing } from '../../scripts/bench/spsc-ring.js';

const PEER = new URL('./ring-peer.ts', import.meta.url).href;
// Worker threads do not inherit tsx's loader: register it in the thread, then load the peer.
const BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(PEER)}); })`;

function peer(data: object): Promise<{ wrong: number; read: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function pass(slots: number, spins: number, count: number, batch: number): Promise<{ wrong: number; read: number }> {
  const buffer = new SharedArrayBuffer(ringBytes(slots));
  const common = { buffer, slots, spins, count, batch };
  const [, consumer] = await Promise.all([peer({ ...common, role: 'producer' }), peer({ ...common, role: 'consumer' })]);
  return consumer;
}

describe('bench: SharedArrayBuffer SPSC ring (npm run bench:ring)', function () {
  this.timeout(60_000);

  it('refuses a slot count that is not a power of two, and a buffer of the wrong size', () => {
    expect(() => ringBytes(12)).to.throw(RangeError, /power of two/);
    expect(() => new SpscRing(new SharedArrayBuffer(ringBytes(8)), 16, 0)).to.throw(RangeError, /expected/);
  });

  it('hands every message over in order and intact when both sides sleep at once (a small ring, wrapping many times)', async () => {
    expect(await pass(8, 0, 20_000, 1)).to.deep.equal({ wrong: 0, read: 20_000 });
  });

  it('does the same publishing in batches larger than the ring, spinning a little before sleeping', async () => {
    expect(await pass(16, 50, 50_000, 64)).to.deep.equal({ wrong: 0, read: 50_000 });
  });
});
