// The acceptance runner itself must follow QuickFIX's Runner.rb rules; a lenient runner would pass anything.

import { expect } from 'chai';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareMessages, loadFieldPatterns } from './runner/comparator.js';
import { DefSyntaxError, parseDefinition } from './runner/def-script.js';
import { fixify, timeify } from './runner/payload.js';
import { RunnerSocket } from './runner/runner-socket.js';

const patterns = loadFieldPatterns(join(fileURLToPath(new URL('./fixtures/', import.meta.url)), 'fields.fmt'));
const S = '\x01';

describe('acceptance runner rules', () => {
  describe('.def grammar', () => {
    it('reads actions, connection prefixes and comments as Runner.rb does', () => {
      const def = Buffer.from(
        ['# comment', '', 'iCONNECT', `I8=FIX.4.4${S}35=0${S}`, 'i2,CONNECT', `E2,8=FIX.4.4${S}`, 'e2,DISCONNECT', 'iDISCONNECT'].join('\n'),
        'latin1',
      );
      const { clientMode, steps } = parseDefinition(def);
      expect(clientMode).to.equal(true);
      expect(steps.map((s) => [s.kind, s.connection, s.line])).to.deep.equal([
        ['connect', 1, 3],
        ['send', 1, 4],
        ['connect', 2, 5],
        ['expect', 2, 6],
        ['expect-disconnect', 2, 7],
        ['disconnect', 1, 8],
      ]);
      expect(steps[1]!.payload).to.equal(`8=FIX.4.4${S}35=0${S}`);
    });

    it('treats an unknown action as a syntax error', () => {
      expect(() => parseDefinition(Buffer.from('iCONNECT\nX8=FIX.4.4\n'))).to.throw(DefSyntaxError);
    });
  });

  describe('payload processing', () => {
    it('substitutes <TIME>, <TIME+n>, <TIME-n> in UTC seconds without millis', () => {
      const now = Date.UTC(2024, 1, 29, 23, 59, 30, 999);
      expect(timeify('52=<TIME>|122=<TIME-1>|60=<TIME+31>', () => now)).to.equal(
        '52=20240229-23:59:30|122=20240229-23:59:29|60=20240301-00:00:01',
      );
    });

    it('adds BodyLength after field 8 and a CheckSum only when they are absent', () => {
      const out = fixify(`8=FIX.4.4${S}35=0${S}34=2${S}`);
      expect(out).to.equal(`8=FIX.4.4${S}9=10${S}35=0${S}34=2${S}10=${checksum(`8=FIX.4.4${S}9=10${S}35=0${S}34=2${S}`)}${S}`);
      expect(fixify(`8=FIX.4.4${S}9=99${S}35=0${S}10=000${S}`), 'explicit wrong values kept').to.equal(`8=FIX.4.4${S}9=99${S}35=0${S}10=000${S}`);
      expect(fixify(`35=0${S}8=FIX.4.4${S}`), 'not starting with 8= : untouched').to.equal(`35=0${S}8=FIX.4.4${S}`);
    });
  });

  describe('comparator', () => {
    const expected = `8=FIX.4.4${S}9=51${S}35=0${S}34=2${S}52=00000000-00:00:00.000${S}10=0${S}`;
    it('matches fields.fmt tags by the unanchored pattern of the ACTUAL value and the rest exactly', () => {
      expect(compareMessages(expected, `8=FIX.4.4${S}9=51${S}35=0${S}34=2${S}52=20240101-10:00:00.123${S}10=201${S}`, patterns)).to.equal(null);
      expect(compareMessages(expected, `8=FIX.4.4${S}9=51${S}35=0${S}34=3${S}52=20240101-10:00:00.123${S}10=201${S}`, patterns)).to.equal(
        'Value of field 34 does not match',
      );
      expect(compareMessages(expected, `8=FIX.4.4${S}9=51${S}35=0${S}34=2${S}52=junk${S}10=201${S}`, patterns)).to.match(/field 52/);
      expect(compareMessages(expected, `8=FIX.4.4${S}9=51${S}35=0${S}34=2${S}10=201${S}`, patterns)).to.equal('Number of fields do not match');
      expect(compareMessages(expected, `8=FIX.4.4${S}9=51${S}35=0${S}43=2${S}52=20240101-10:00:00.123${S}10=201${S}`, patterns)).to.match(/^Tag 43/);
    });
  });

  describe('reading the acceptor', () => {
    let server: net.Server;
    let peer: net.Socket | null = null;
    let port = 0;
    beforeEach(async () => {
      server = net.createServer((s) => {
        peer = s;
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as net.AddressInfo).port;
    });
    afterEach(async () => {
      peer?.destroy();
      peer = null;
      await new Promise((r) => server.close(r));
    });
    const connected = async (): Promise<RunnerSocket> => {
      const socket = await RunnerSocket.connect('127.0.0.1', port);
      while (!peer) await new Promise((r) => setImmediate(r));
      return socket;
    };

    it('frames by BodyLength across split writes, leaving the next message buffered', async () => {
      const socket = await connected();
      const a = `8=FIX.4.4${S}9=5${S}35=0${S}10=163${S}`;
      const b = `8=FIX.4.4${S}9=5${S}35=1${S}10=164${S}`;
      peer!.write(a.slice(0, 7));
      setTimeout(() => peer!.write(a.slice(7) + b), 20);
      expect(await socket.readMessage(2000)).to.equal(a);
      expect(await socket.readMessage(2000)).to.equal(b);
      socket.close();
    });

    it('fails an E line on EOF and on its read timeout', async () => {
      const socket = await connected();
      await socket.readMessage(100).then(
        () => expect.fail('no data was sent'),
        (e: Error) => expect(e.message).to.match(/read timeout/),
      );
      peer!.end();
      await socket.readMessage(2000).then(
        () => expect.fail('the peer closed'),
        (e: Error) => expect(e.message).to.equal('Was disconnected, expected data'),
      );
    });

    it('eDISCONNECT fails on any byte before the close, and on a connection that stays open', async () => {
      const chatty = await connected();
      peer!.write('x');
      peer!.end();
      await chatty.expectDisconnect(2000).then(
        () => expect.fail('a byte came first'),
        (e: Error) => expect(e.message).to.equal('Expected disconnection, got data'),
      );
      chatty.close();
      peer = null;
      const silent = await connected();
      await silent.expectDisconnect(100).then(
        () => expect.fail('still open'),
        (e: Error) => expect(e.message).to.equal('Connection hangs after ten seconds.'),
      );
      silent.close();
    });
  });
});

function checksum(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return String(sum % 256).padStart(3, '0');
}
