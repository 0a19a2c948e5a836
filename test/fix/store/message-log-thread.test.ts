// The message log hands its staged runs to the log thread, which cuts them into FIX messages (the framer's rule),
// formats one line per message and writes them: the event loop copies a run once and does nothing per message.

import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FixEncoder } from '../../../src/fix/codec/encoder.js';
import { MessageLog } from '../../../src/fix/store/message-log.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** A well-formed FIX message (BodyLength and CheckSum right), as the venue sends and the framer cuts them. */
function fixMessage(msgType: string, fields: [number, string][]): Buffer {
  const enc = new FixEncoder({ fieldOrder: 'as-added' });
  enc.begin('FIX.4.4', msgType);
  for (const [tag, value] of fields) enc.str(tag, value);
  return Buffer.from(enc.finish());
}

const line = (stamp: string, dir: string, msg: Buffer): string => `${stamp} ${dir} ${msg.toString('latin1').replaceAll('\x01', '|')}`;

describe('MessageLog on the log thread', () => {
  it('cuts a run of messages sent in one write into one line each, in order', async () => {
    const dir = makeTempDir('fix-log-');
    const log = new MessageLog(dir, { flushIntervalMs: 60_000 });
    const now = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
    const messages = Array.from({ length: 200 }, (_, i) => fixMessage('8', [[11, `order-${i}`], [58, 'x'.repeat(i % 50)]]));
    const run = Buffer.concat(messages);
    log.outgoing(run, 0, run.length, now);
    await log.close();
    const text = await readFile(join(dir, 'messages.log'), 'latin1');
    expect(text.split('\n').slice(0, -1)).to.deep.equal(messages.map((m) => line('20240102-03:04:05.006', 'OUT', m)));
  });

  it('coalesces frames that follow each other in one read, and keeps them apart from the next read', async () => {
    const dir = makeTempDir('fix-log-');
    const log = new MessageLog(dir, { flushIntervalMs: 60_000 });
    const a = fixMessage('D', [[11, 'A']]);
    const b = fixMessage('D', [[11, 'B']]);
    const read = Buffer.concat([a, b]);
    log.incoming(read, 0, a.length, Date.UTC(2024, 0, 1));
    log.incoming(read, a.length, read.length, Date.UTC(2024, 0, 1));
    log.endOfInput();
    read.fill(0x41); // the reader reuses its buffer after the read
    const c = fixMessage('F', [[11, 'C']]);
    log.incoming(c, 0, c.length, Date.UTC(2024, 0, 1, 0, 0, 1));
    await log.close();
    expect((await readFile(join(dir, 'messages.log'), 'latin1')).split('\n').slice(0, -1)).to.deep.equal([
      line('20240101-00:00:00.000', 'IN ', a),
      line('20240101-00:00:00.000', 'IN ', b),
      line('20240101-00:00:01.000', 'IN ', c),
    ]);
  });

  it('writes bytes that are not a whole FIX message as one line, as they are', async () => {
    const dir = makeTempDir('fix-log-');
    const log = new MessageLog(dir);
    const good = fixMessage('0', []);
    const garbled = Buffer.from('8=FIX.4.4\x019=99\x0135=D\x01');
    const run = Buffer.concat([good, garbled]);
    log.incoming(run, 0, run.length, Date.UTC(2024, 0, 1));
    await log.close();
    expect((await readFile(join(dir, 'messages.log'), 'latin1')).split('\n').slice(0, -1)).to.deep.equal([
      line('20240101-00:00:00.000', 'IN ', good),
      line('20240101-00:00:00.000', 'IN ', garbled),
    ]);
  });
});
