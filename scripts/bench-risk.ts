// npm run bench:risk — what the pre-trade risk checks add per order, against an empty check in the same
// run (medians of several rounds of process CPU time: the machine is shared and noisy). Goal: under 1 µs per order.
// The measurement itself is measureRiskCheckCost() in scripts/bench/risk-check-cost.ts, for bench:match.

import os from 'node:os';
import { measureRiskCheckCost } from './bench/risk-check-cost.js';

const rounds = Number(process.env.ROUNDS ?? 9);
const r = measureRiskCheckCost({ rounds });
const f = (n: number): string => n.toFixed(1).padStart(8);

console.log(`# bench:risk — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores)`);
console.log(`# process CPU time per order (not wall time), ${r.checksPerRound} orders per round (80% new: limit near the reference, 5% market; 20% replaces), ${r.rounds} rounds`);
console.log(`# 10 firms × 10 accounts, every limit type per firm, overrides per account and account × instrument, 2,000 resting orders`);
console.log('');
console.log('| case                                   |  ns/order (median) |      min |      max |');
console.log('|----------------------------------------|-------------------:|---------:|---------:|');
console.log(`| empty check (baseline)                 | ${f(r.emptyNs)}           |          |          |`);
console.log(`| pre-trade checks                       | ${f(r.checkNs)}           | ${f(r.checkMinNs)} | ${f(r.checkMaxNs)} |`);
console.log(`| added by the checks                    | ${f(r.addedNs)}           |          |          |`);
console.log(`| events: accepted + cancelled (1 order) | ${f(r.orderEventsNs)}           |          |          |`);
console.log(`| events: one trade (4 positions)        | ${f(r.tradeEventNs)}           |          |          |`);
console.log('');
console.log(`refused during the run: ${r.refused} (0 means the accept path was measured)`);
console.log(`goal < 1000 ns added per order: ${r.addedNs < 1000 ? 'met' : 'NOT met'} (${(r.addedNs / 1000).toFixed(3)} µs)`);
