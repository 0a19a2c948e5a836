// Route health on the admin port: a venue whose BTCUSDT is routed to a Binance simulator (real sockets) shows
// the route in /ready and /metrics; when the simulator goes away the route is down — reported with its reason,
// without taking the venue out of service.

import { expect } from 'chai';
import { binanceRoute, simulatorConfig, startBinanceSimulator, type BinanceSimulator } from '../routing/support/routing-fixture.js';
import { eventually, startOpsHarness, type OpsHarness } from './support/ops-harness.js';

interface Component {
  name: string;
  status: string;
  reason: string;
  critical: boolean;
}

describe('ops: route health', function () {
  this.timeout(30_000);
  let sim: BinanceSimulator;
  let h: OpsHarness;

  before(async () => {
    sim = await startBinanceSimulator(simulatorConfig());
    h = await startOpsHarness({
      venue: {
        adjust: (s) => {
          s.routing = { routes: [binanceRoute(sim)], instruments: { BTCUSDT: { route: 'BINANCE', fallback: null } }, exDestinations: {} };
        },
      },
    });
  });
  after(async () => {
    await h.dispose();
    await sim.close().catch(() => undefined);
  });

  const route = async (): Promise<{ status: number; component: Component | undefined }> => {
    const res = await fetch(`${h.base}/ready`);
    const body = (await res.json()) as { components: Component[] };
    return { status: res.status, component: body.components.find((c) => c.name === 'route:BINANCE') };
  };

  it('shows the route up in /ready and /metrics', async () => {
    const up = await eventually(async () => {
      const r = await route();
      return r.component?.status === 'up' ? r : undefined;
    }, 'route up');
    expect(up.status).to.equal(200);
    expect(up.component).to.deep.equal({ name: 'route:BINANCE', status: 'up', reason: '', critical: false });
    expect(await (await fetch(`${h.base}/metrics`)).text()).to.include('venue_route_up{route="BINANCE"} 1');
  });

  it('reports it down with the reason when the external venue goes away, and stays ready', async () => {
    await sim.close();
    const down = await eventually(async () => {
      const r = await route();
      return r.component?.status === 'down' ? r : undefined;
    }, 'route down', 15_000);
    expect(down.status).to.equal(200);
    expect(down.component!.reason).to.not.equal('');
    expect(await (await fetch(`${h.base}/metrics`)).text()).to.include('venue_route_up{route="BINANCE"} 0');
  });
});
