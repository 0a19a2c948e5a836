// Runs the Binance Spot simulator: `npm run binance-sim -- [--port N] [--config file.json]`.
// Without --config it uses the built-in two-symbol, two-account configuration (default-config.ts).

import { readFileSync } from 'node:fs';
import { SimConfigError } from '../src/simulators/binance/config.js';
import { defaultSimulatorConfig } from '../src/simulators/binance/default-config.js';
import { startBinanceSimulator } from '../src/simulators/binance/simulator.js';

function usage(message: string): never {
  console.error(`binance-sim: ${message}\nusage: binance-sim [--port N] [--config file.json]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { port?: number; config?: string } {
  const out: { port?: number; config?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--port') {
      if (value === undefined || !/^[0-9]{1,5}$/.test(value) || Number(value) > 65535) usage('--port needs a number 0..65535');
      out.port = Number(value);
      i++;
    } else if (arg === '--config') {
      if (value === undefined) usage('--config needs a file');
      out.config = value;
      i++;
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let raw: Record<string, unknown>;
  if (args.config !== undefined) {
    try {
      raw = JSON.parse(readFileSync(args.config, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      usage(`cannot read ${args.config}: ${(err as Error).message}`);
    }
  } else {
    raw = defaultSimulatorConfig();
  }
  if (args.port !== undefined) raw = { ...raw, port: args.port };
  let sim;
  try {
    sim = await startBinanceSimulator(raw);
  } catch (err) {
    if (err instanceof SimConfigError) usage(err.message);
    throw err;
  }
  console.log(`binance-sim listening: REST ${sim.restUrl}/api/v3  WebSocket API ${sim.wsApiUrl}  admin ${sim.restUrl}/_sim/`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('binance-sim: failed to start:', err);
  process.exit(1);
});
