// kill -9 in the middle of traffic: every message the counterparty received is in the store (it was written before
// it went to the socket), and the restarted store never hands out a sequence number that was already used.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMessageStore } from '../../../src/fix/store/file-store.js';
import { RawFixClient, type ReceivedMessage } from '../session/support/raw-fix-client.js';

const CHILD = fileURLToPath(new URL('./support/crash-child.ts', import.meta.url));

describe('FIX store: crash (SIGKILL) during traffic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fix-crash-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loses nothing that was sent and reuses no sequence number', async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /port (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      const client = await RawFixClient.connect(port, { sender: 'BROKER', target: 'VENUE' });
      client.logon();
      expect((await client.next()).msgType).to.equal('A');
      const received: ReceivedMessage[] = [];
      let killed = false;
      // Keep a window of News in flight and kill the venue mid-stream, without waiting for a quiet moment.
      const pump = (async () => {
        let sent = 0;
        while (!killed) {
          while (sent - received.length < 64) client.send('B', [[148, `n${sent++}`], [33, '1'], [58, 'x']]);
          try {
            received.push(await client.next(5000));
          } catch {
            return;
          }
        }
      })();
      while (received.length < 1500) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      killed = true;
      await exited;
      await pump;
      client.close();

      const lastSeen = Math.max(...received.map((m) => Number(m.get(34))));
      const store = await FileMessageStore.open(join(dir, 'FIX.4.4-VENUE-BROKER'));
      expect(store.nextSenderSeq, 'no sequence number handed out twice').to.be.greaterThan(lastSeen);
      const stored = new Map((await store.range(1, lastSeen)).map((m) => [m.seq, m.bytes.toString('latin1')]));
      for (const m of received) {
        expect(stored.get(Number(m.get(34))), `message ${m.get(34)} is in the store`).to.equal(m.raw.replaceAll('|', '\x01'));
      }
      await store.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
