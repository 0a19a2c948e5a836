// npm test's small version of the soak's many-sessions scenario (npm run soak: 500 sessions, HeartBtInt 5 s):
// 100 sessions with a 2 s HeartBtInt and a trickle of orders next to four full-speed sessions. Every session stays
// logged on and hears from the venue on time; the throughput ratio is measured and reported, not asserted here.

import { expect } from 'chai';
import { runManySessions } from './scenarios/many-sessions.js';

describe('soak: many sessions (small)', function () {
  this.timeout(120_000);

  it('keeps 100 heartbeating sessions logged on next to four full-speed sessions', async () => {
    const result = await runManySessions({ crowd: 100, heartBtInt: 2, phaseMs: 3000, trickleEveryMs: 2000, window: 32, rounds: 1 });
    expect(result.violations, result.violations.join('\n')).to.deep.equal([]);
    expect(result.soloPerSecond).to.be.greaterThan(0);
    expect(result.crowdPerSecond).to.be.greaterThan(0);
  });
});
