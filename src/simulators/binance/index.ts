// Public surface of the Binance Spot simulator (tests, demos, benchmarks).

export { BinanceSimulator, startBinanceSimulator } from './simulator.js';
export type { SimulatorState } from './simulator.js';
export { defaultSimulatorConfig } from './default-config.js';
export { loadSimulatorConfig, parseSimulatorConfig, SimConfigError } from './config.js';
export type { SimAccountConfig, SimApiKeyConfig, SimSymbolConfig, SimulatorConfig } from './config.js';
export type { FailNextOptions, FaultEndpoint } from './faults.js';
export { ApiError } from './api-error.js';
