// npm run profile:alloc — where the venue allocates memory per order, and how often it collects its young generation.
//
// Runs the venue in this process (config/bench.json, a private redis-server, empty data folders), warms it up with
// the independent load client (fixload, as npm run bench builds it), then drives it at a fixed rate while V8's
// sampling heap profiler records every allocation, including objects that minor and major GCs already collected
// (what a per-order allocation is: short-lived). Prints bytes allocated per order, the scavenges seen in the window
// and the top allocating functions by self size. A diagnosis tool, not a benchmark: it says where to look.
//
// Options: --rate N (orders/s, default 5000), --orders N (default 25000), --interval N (sampling bytes, 4096),
//          --top N (rows, 30).

import { rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { VenueApp } from '../src/app/venue-app.js';
import { loadVenueConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/shared/logger.js';
import { startTestRedis } from '../test/support/redis-server.js';
import { buildPeers } from './bench/build.js';
import { runFixload } from './bench/fixload.js';
import { VENUE_CONFIG } from './bench/paths.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const { values: opts } = parseArgs({
  options: {
    rate: { type: 'string', default: '5000' },
    orders: { type: 'string', default: '25000' },
    interval: { type: 'string', default: '4096' },
    top: { type: 'string', default: '30' },
  },
  strict: true,
});

async function main(): Promise<void> {
  const { fixload } = buildPeers((line) => console.log(line));
  const redis = await startTestRedis();
  const settings = loadVenueConfig(VENUE_CONFIG, { REDIS_URL: redis.url, FIX_PORT: '0', LOG_LEVEL: 'warn' });
  rmSync(settings.dataDir, { recursive: true, force: true });
  rmSync(settings.sessionsDir, { recursive: true, force: true });
  const app = new VenueApp({ settings, logger: createLogger({ level: 'warn', format: 'text' }) });
  const { fixPort } = await app.start();
  try {
    const warm = await runFixload(fixload, fixPort, { sessions: ['BENCH1'], ordersPerSession: 20_000, options: ['--window', '128'] });
    if (warm.problem) throw new Error(`warm-up: ${warm.problem}`);

    const scavenges: { at: number; ms: number }[] = [];
    const gcs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) scavenges.push({ at: e.startTime, ms: e.duration });
      }
    });
    const session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(opts.interval),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    gcs.observe({ entryTypes: ['gc'] });
    const started = performance.now();
    const run = await runFixload(fixload, fixPort, { sessions: ['BENCH1'], ordersPerSession: Number(opts.orders), options: ['--rate', opts.rate] });
    const ended = performance.now();
    gcs.disconnect();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
    session.disconnect();
    if (run.problem) console.log(`load was not clean: ${run.problem}`);
    const orders = run.result?.acked ?? 0;

    const bySite = new Map<string, number>();
    let total = 0;
    const frameName = (f: ProfileNode['callFrame']): string =>
      `${f.functionName || '(anonymous)'}${f.url === '' ? '' : `  ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/').replace(/^node:/, '')}`}`;
    const walk = (node: ProfileNode, parent: string): void => {
      const name = frameName(node.callFrame);
      if (node.selfSize > 0) {
        // A builtin (no script, or Node's own code) is named with the nearest caller of ours: "Map < settleTrades".
        const key = node.callFrame.url === '' || node.callFrame.url.startsWith('node:') ? `${name} < ${parent}` : name;
        bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
        total += node.selfSize;
      }
      const builtin = node.callFrame.url === '' || node.callFrame.url.startsWith('node:');
      for (const c of node.children) walk(c, builtin ? parent : name);
    };
    walk(profile.head, '(root)');

    const seconds = (ended - started) / 1000;
    console.log(`\n${orders.toLocaleString('en-US')} orders at ${opts.rate}/s in ${seconds.toFixed(1)} s (${run.line})`);
    console.log(`allocated (sampled): ${(total / 1e6).toFixed(1)} MB, ${orders > 0 ? Math.round(total / orders).toLocaleString('en-US') : '-'} bytes per order`);
    const gaps = scavenges.map((s, i) => (i === 0 ? s.at - started : s.at - scavenges[i - 1]!.at));
    if (scavenges.length > 0) gaps.push(ended - scavenges[scavenges.length - 1]!.at);
    const longest = gaps.length === 0 ? ended - started : Math.max(...gaps);
    const pause = scavenges.reduce((n, s) => n + s.ms, 0);
    console.log(`scavenges: ${scavenges.length} in ${seconds.toFixed(1)} s, longest interval without one ${(longest / 1000).toFixed(2)} s, total pause ${pause.toFixed(1)} ms`);
    console.log(`\n| allocating function | bytes | per order | share |\n|---|--:|--:|--:|`);
    const rows = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top));
    for (const [site, bytes] of rows) {
      console.log(`| ${site} | ${bytes.toLocaleString('en-US')} | ${orders > 0 ? Math.round(bytes / orders) : '-'} | ${((bytes / total) * 100).toFixed(1)}% |`);
    }
  } finally {
    await app.stop();
    await redis.dispose();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
