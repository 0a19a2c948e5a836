import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandError, parseCommand, type ClientState } from '../../scripts/fix-client/commands.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const run = promisify(execFile);

describe('fix-client CLI', function () {
  this.timeout(60000);

  const state: ClientState = {
    nextId: () => 'ID1',
    lookup: (id) => (id === 'O1' ? { clOrdId: 'O1-R', side: '2', symbol: 'ETHUSDT', qty: '2', price: '3000.00' } : undefined),
    now: () => '20261125-12:00:00.000',
  };

  it('turns commands into FIX requests with the exact decimal text typed', () => {
    const buy = parseCommand('buy 0.50 btcusdt @ 60000.10 ioc post account B1-ALGO', state)!;
    expect(buy.msgType).to.equal('D');
    expect(buy.fields).to.deep.include.members([[1, 'B1-ALGO'], [18, '6'], [38, '0.50'], [40, '2'], [44, '60000.10'], [54, '1'], [55, 'BTCUSDT'], [59, '3']]);
    expect(parseCommand('buy 1 ETHUSDT market opg', state)!.fields).to.deep.include.members([[40, '1'], [59, '2']]);
    expect(parseCommand('sell 1 ETHUSDT @ 3000 atc', state)!.fields).to.deep.include.members([[40, '2'], [44, '3000'], [59, '7']]);
    const stop = parseCommand('sell 1 ETHUSDT stop 2900 @ 2890', state)!;
    expect(stop.fields).to.deep.include.members([[40, '4'], [44, '2890'], [99, '2900']]);
    const replace = parseCommand('replace O1 price 2999.5', state)!;
    expect(replace.fields).to.deep.include.members([[41, 'O1-R'], [38, '2'], [44, '2999.5'], [54, '2']]);
    const book = parseCommand('book ETHUSDT 3', state)!;
    expect(book.groups).to.have.length(2);
    expect(() => parseCommand('buy 1e3 BTCUSDT @ 1', state)).to.throw(CommandError, 'decimal');
    expect(() => parseCommand('buy 1 BTCUSDT', state)).to.throw(CommandError, 'needs a price');
    expect(() => parseCommand('cancel NOPE', state)).to.throw(CommandError, 'unknown order id');
    expect(() => parseCommand('fly', state)).to.throw(CommandError, 'unknown command');
  });

  describe('against a running venue', () => {
    let venue: TestVenue;
    let store: string;
    before(async () => {
      venue = await startTestVenue();
      store = mkdtempSync(join(tmpdir(), 'fix-client-'));
    });
    after(async () => {
      await venue.dispose();
      rmSync(store, { recursive: true, force: true });
    });

    const cli = (args: string[], storeDir = store): Promise<{ stdout: string }> =>
      run('npx', ['tsx', 'scripts/fix-client.ts', '--port', String(venue.port), '--store', storeDir, '--wait', '300', ...args], { timeout: 30000 });
    /** The client with commands piped into its standard input (not a terminal). */
    const piped = (args: string[], input: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn('npx', ['tsx', 'scripts/fix-client.ts', '--port', String(venue.port), '--store', store, '--wait', '300', ...args], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`fix-client exited ${code}: ${out}`))));
        child.stdin.end(input);
      });

    it('logs on, trades, replaces and cancels, printing each report readably', async () => {
      const { stdout } = await cli([
        '--session', 'BROKER1', '--password', 'broker1-secret',
        '--send', 'buy 0.5 BTCUSDT @ 60000 gtc id CLI1',
        '--send', 'replace CLI1 qty 0.4',
        '--send', 'cancel CLI1',
      ]);
      expect(stdout).to.contain('logged on as BROKER1 to VENUE');
      expect(stdout).to.match(/EXEC NEW\s+CLI1\s+buy 0\.50000 BTCUSDT @ 60000\.00/);
      expect(stdout).to.match(/EXEC REPLACED .* buy 0\.40000 BTCUSDT .* orig CLI1/);
      expect(stdout).to.match(/EXEC CANCELLED .* status cancelled/);
    });

    it('prints a refused order with the quantity and price it was sent with, and no zero quantities', async () => {
      const { stdout } = await cli(['--session', 'BROKER1', '--password', 'broker1-secret', '--send', 'buy 0.000001 BTCUSDT @ 60000 id CLI-R']);
      const line = stdout.split('\n').find((l) => l.includes('EXEC REJECTED'));
      expect(line).to.match(/EXEC REJECTED\s+CLI-R\s+buy 0\.000001 BTCUSDT @ 60000\s+status rejected/);
      expect(line).to.not.contain('cum ');
    });

    it('answers orders with a header and the count, each order under it', async () => {
      const { stdout } = await cli(['--session', 'BROKER1', '--password', 'broker1-secret', '--send', 'buy 0.1 BTCUSDT @ 59000 gtc id CLI-O1', '--send', 'orders']);
      expect(stdout).to.match(/ORDERS \(request [^)]+\): 1 live order\n  EXEC STATUS\s+CLI-O1\s+buy 0\.10000 BTCUSDT @ 59000\.00/);
      // BROKER1 cancels on disconnect: nothing is left for the next run.
      const none = await cli(['--session', 'BROKER1', '--password', 'broker1-secret', '--send', 'orders']);
      expect(none.stdout).to.match(/ORDERS \(request [^)]+\): no live orders/);
    });

    it('marks drop copies as copies', async () => {
      const { stdout } = await cli(['--session', 'COMPLIANCE', '--password', 'compliance-secret', '--send', 'securities']);
      expect(stdout).to.match(/COPY EXEC NEW\s+CLI1\s+buy 0\.50000 BTCUSDT/);
      expect(stdout).to.match(/COPY EXEC REJECTED\s+CLI-R/);
    });

    it('with commands piped in, prints no prompt and still waits for the answers', async () => {
      const out = await piped(['--session', 'BROKER1', '--password', 'broker1-secret'], 'buy 0.1 BTCUSDT @ 59000 gtc id CLI-P1\ncancel CLI-P1\n');
      expect(out).to.not.contain('BROKER1>');
      expect(out).to.match(/^EXEC NEW\s+CLI-P1/m);
      expect(out).to.match(/^EXEC CANCELLED /m);
    });

    it('says a logon refused for its sequence number is about sequence numbers, and how to recover', async () => {
      await cli(['--session', 'BROKER2', '--password', 'broker2-secret', '--send', 'orders']);
      const fresh = mkdtempSync(join(tmpdir(), 'fix-client-fresh-'));
      const err = await cli(['--session', 'BROKER2', '--password', 'broker2-secret', '--send', 'orders'], fresh).then(
        () => null,
        (e: { code: number; stdout: string }) => e,
      );
      rmSync(fresh, { recursive: true, force: true });
      expect(err).to.not.equal(null);
      expect(err!.code).to.equal(1);
      expect(err!.stdout).to.match(/refused the logon because of sequence numbers: it expects MsgSeqNum \d+ or more, this client sent 1/);
      expect(err!.stdout).to.contain('--reset');
      expect(err!.stdout).to.not.contain('check --session and --password');
    });

    it('says clearly when the logon is refused and exits non-zero', async () => {
      const err = await cli(['--session', 'BROKER2', '--password', 'wrong', '--send', 'orders']).then(
        () => null,
        (e: { code: number; stdout: string }) => e,
      );
      expect(err).to.not.equal(null);
      expect(err!.code).to.equal(1);
      expect(err!.stdout).to.contain('refused the logon');
    });
  });
});
