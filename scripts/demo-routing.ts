// The routing demo: `npm run demo:routing` starts the Binance simulator (in this process) with some resting
// liquidity, then the venue with config/demo-routing.json (BTCUSDT routed to "Binance"), then buys 0.01 BTCUSDT
// as member BROKER1 with the fix-client, so you see the order go out, fill at the simulator and come back as
// ExecutionReports (PendingNew, New, Trade with LastMkt BINANCE and LastLiquidityInd 3 = routed out).
//
// Both keep running afterwards; trade on with
//   npm run fix-client -- --session BROKER1 --password broker1-secret --port 9877
// (BTCUSDT goes to Binance, ETHUSDT trades on the venue's own book; ExDestination BINANCE/LOCAL picks either).
// Ctrl-C stops the venue and the simulator. `--once` stops them after the first order (a smoke test).
//
// The simulator's keys are its own test keys, handed to the venue through the environment (DEMO_BINANCE_*), as
// real keys would be.

import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { defaultSimulatorConfig } from '../src/simulators/binance/default-config.js';
import { startBinanceSimulator, type BinanceSimulator } from '../src/simulators/binance/simulator.js';

const CONFIG = 'config/demo-routing.json';

interface DemoConfig {
  fix: { port: number };
  routing: { routes: { BINANCE: { restBaseUrl: string; credentialsEnvPrefix: string } } };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null) throw new Error(`the venue exited (code ${child.exitCode}) before listening on ${port}`);
    if (Date.now() > deadline) throw new Error(`the venue did not listen on ${port} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** Resting offers and bids at the simulator from its market-maker account, so routed orders have someone to trade with. */
function seedLiquidity(sim: BinanceSimulator): void {
  const quote = (side: 'BUY' | 'SELL', price: string, quantity: string): void => {
    sim.placeOrder('market-maker', { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', price, quantity });
  };
  quote('SELL', '60000.00', '0.50000');
  quote('SELL', '60010.00', '1.00000');
  quote('BUY', '59990.00', '0.50000');
  quote('BUY', '59980.00', '1.00000');
}

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const config = JSON.parse(readFileSync(CONFIG, 'utf8')) as DemoConfig;
  const route = config.routing.routes.BINANCE;
  const simPort = Number(new URL(route.restBaseUrl).port);
  const sim = await startBinanceSimulator({ ...defaultSimulatorConfig(), port: simPort });
  seedLiquidity(sim);
  console.log(`demo: Binance simulator on ${sim.restUrl} (REST) and ${sim.wsApiUrl}, BTCUSDT offered at 60000.00 and 60010.00`);

  const prefix = route.credentialsEnvPrefix;
  const env = { ...process.env, [`${prefix}API_KEY`]: 'sim-trader-key', [`${prefix}API_SECRET`]: 'sim-trader-secret' };
  const venue = spawn('bash', ['scripts/start.sh', '--config', CONFIG], { stdio: 'inherit', env });
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (venue.exitCode === null) {
        const exited = new Promise((r) => venue.once('exit', r));
        venue.kill('SIGTERM');
        await exited;
      }
      await sim.close();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await waitForPort(config.fix.port, venue, 180_000);
  } catch (err) {
    console.error(`demo: ${(err as Error).message}`);
    await stop(1);
  }
  console.log('\ndemo: venue up; BROKER1 buys 0.01 BTCUSDT at 60000, routed to Binance:\n');
  const client = ['tsx', 'scripts/fix-client.ts', '--session', 'BROKER1', '--password', 'broker1-secret', '--port', String(config.fix.port),
    '--store', 'var/demo-routing/fix-client', '--reset', '--send', 'buy 0.01 BTCUSDT @ 60000', '--wait', '3000'];
  const code = await run('npx', client, process.env);
  if (once) await stop(code);
  console.log(`\ndemo: the venue and the simulator keep running. Trade on with:
  npm run fix-client -- --session BROKER1 --password broker1-secret --port ${config.fix.port}
BTCUSDT is routed to Binance, ETHUSDT trades on the venue's book. Ctrl-C stops both.`);
}

main().catch((err: unknown) => {
  console.error('demo: failed:', err);
  process.exit(1);
});
