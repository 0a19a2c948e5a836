// npm test's short versions of the soak's fault scenarios (npm run soak runs them longer): a real venue process
// with members trading through Redis going away and coming back, a clearing worker process killed mid-job, the
// journal's or the session stores' disk filling up, and a routed venue (the Binance simulator) that stops
// answering. Each: nothing the members were told is lost or doubled (harness/checks.ts), ops are told, and it
// recovers once the fault clears.

import { expect } from 'chai';
import { runDiskFull } from './scenarios/disk-full.js';
import { runRedisOutage } from './scenarios/redis-outage.js';
import { runRouteHang } from './scenarios/route-hang.js';
import { runWorkerKill } from './scenarios/worker-kill.js';
import type { ScenarioResult } from './harness/report.js';

function expectClean(result: ScenarioResult): void {
  expect(result.violations, result.violations.join('\n')).to.deep.equal([]);
  for (const row of result.rows) {
    expect(row.lost, row.scenario).to.equal(0);
    expect(row.duplicates, row.scenario).to.equal(0);
    expect(row.orders, row.scenario).to.be.greaterThan(100);
  }
}

describe('soak: faults under load (venue as a separate process)', function () {
  this.timeout(120_000);

  it('Redis stopped and restarted: trading goes on, /ready degraded then up, positions and settlement complete', async () => {
    expectClean(await runRedisOutage({ seed: 21, sessions: 3, rate: 60, outageMs: 1500, keepData: true }));
  });

  it('Redis killed without persistence (back empty): the enqueuer rewinds to the empty cursor, every trade settled exactly once', async () => {
    expectClean(await runRedisOutage({ seed: 25, sessions: 3, rate: 60, outageMs: 1500, keepData: false }));
  });

  it('a clearing worker process SIGKILLed mid-job: the next worker finishes it, settlement exact', async () => {
    const result = await runWorkerKill({ seed: 22, sessions: 3, rate: 80, kills: 1 });
    expectClean(result);
    expect(result.rows[0]!.faults).to.equal(1);
  });

  it('the journal disk full: clear rejects, /ready down, recovers by itself once cleared, nothing acknowledged lost', async () => {
    expectClean(await runDiskFull({ seed: 23, sessions: 3, rate: 60, target: 'journal', fullMs: 1000 }));
  });

  it('the session stores disk full: sessions cut off, logons refused, recovers by itself once cleared, no report lost', async () => {
    expectClean(await runDiskFull({ seed: 26, sessions: 3, rate: 60, target: 'store', fullMs: 1000 }));
  });

  it('a routed venue that stops answering: route degraded, local book trades on, routed orders reconciled', async () => {
    expectClean(await runRouteHang({ seed: 24, sessions: 3, rate: 25, hangMs: 2500 }));
  });
});
