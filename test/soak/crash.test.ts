// npm test's short version of the soak's crash-under-load scenario (npm run soak runs it longer, one kill point
// per run): a real venue process killed seven ways under a steady order flow from four members and a drop copy,
// restarted each time; then nothing acknowledged is lost or doubled anywhere (see harness/checks.ts).

import { expect } from 'chai';
import { CRASH_KILLS, runCrashUnderLoad } from './scenarios/crash-under-load.js';

describe('soak: crash under load (venue process SIGKILLed at seven points, members recover by resend)', function () {
  this.timeout(180_000);

  it('loses nothing acknowledged, doubles nothing: members, drop copy, books, record, positions, settlement', async () => {
    const result = await runCrashUnderLoad({ seed: 11, sessions: 4, rate: 80, kills: CRASH_KILLS, finalMs: 1000 });
    const row = result.rows[0]!;
    expect(result.violations, result.violations.join('\n')).to.deep.equal([]);
    expect(row.lost).to.equal(0);
    expect(row.duplicates).to.equal(0);
    expect(row.faults).to.equal(CRASH_KILLS.length);
    expect(row.orders).to.be.greaterThan(500);
  });
});
