import { expect } from 'chai';
import { execFile } from 'node:child_process';
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

    const cli = (args: string[]): Promise<{ stdout: string }> =>
      run('npx', ['tsx', 'scripts/fix-client.ts', '--port', String(venue.port), '--store', store, '--wait', '300', ...args], { timeout: 30000 });

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
