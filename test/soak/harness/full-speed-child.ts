// The full-speed sessions of the many-sessions scenario in a process of their own, so that the crowd's clients
// (in the test process) cannot slow the load generator down and make the venue look slower than it is.
//
//   full-speed-child.ts <fixPort> <window> <id:password> ...
//
// Logs the sessions on and prints READY; then reads commands on stdin:
//   run <ms>   every session at full speed for <ms>, then drained: prints RESULT <acked> <elapsed ms>
//   quit       logs out and exits

import { createInterface } from 'node:readline';
import { FullSpeed } from './full-speed.js';
import { SOAK_COMPID } from './soak-config.js';
import { SoakFixClient } from './soak-client.js';

const [portText, windowText, ...sessions] = process.argv.slice(2);
const port = Number(portText);
const window = Number(windowText);
const clients = sessions.map((s) => {
  const [id, password] = s.split(':') as [string, string];
  return new SoakFixClient({ port, senderCompId: id, targetCompId: SOAK_COMPID, password, heartBtInt: 30 });
});
const drivers = clients.map((c) => new FullSpeed(c));

async function run(ms: number): Promise<void> {
  const before = drivers.reduce((n, d) => n + d.acked, 0);
  const t0 = performance.now();
  for (const d of drivers) d.start(window);
  await new Promise((r) => setTimeout(r, ms));
  const acked = drivers.reduce((n, d) => n + d.acked, 0) - before;
  const elapsed = performance.now() - t0;
  for (const d of drivers) d.stop();
  await Promise.all(drivers.map((d) => d.drain(10_000)));
  process.stdout.write(`RESULT ${acked} ${elapsed.toFixed(1)}\n`);
}

async function main(): Promise<void> {
  for (const c of clients) if (!(await c.logon(10_000))) throw new Error(`${c.id} cannot log on: ${c.lastCloseReason}`);
  process.stdout.write('READY\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, arg] = line.trim().split(' ');
    if (cmd === 'run') await run(Number(arg));
    else if (cmd === 'quit') break;
  }
  await Promise.all(clients.map((c) => c.logout(3000)));
  for (const v of clients.flatMap((c) => c.violations)) process.stdout.write(`VIOLATION ${v}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
