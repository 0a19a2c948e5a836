// npm test's short version of the soak's hostile-input scenario: malformed FIX (each answered as QuickFIX's rules
// ask), junk connections, authentication attacks and the admin API, against a real venue process that must not
// crash or let anyone in. The watching member's latency is measured and reported, not asserted (npm run soak does).

import { expect } from 'chai';
import { runHostileInput } from './scenarios/hostile-input.js';

describe('soak: hostile input against the live venue process', function () {
  this.timeout(120_000);

  it('answers every malformed message by the rules, lets no attacker in, never crashes', async () => {
    const result = await runHostileInput({ seed: 31, fuzzMs: 1500, floodLogons: 60 });
    expect(result.violations, result.violations.join('\n')).to.deep.equal([]);
    expect(result.rows[0]!.faults).to.be.greaterThan(100);
    expect(result.outcomes.get('Reject(3)') ?? 0).to.be.greaterThan(5);
  });
});
