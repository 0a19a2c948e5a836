// Which route a new order asks for: ExDestination(100) when the member sent one (and the venue maps any), else
// its instrument's route; null for the local book. Pure lookups, no health: the router decides what to do when
// the chosen route is down.

import { LOCAL_ROUTE, type RouteChoice, type RoutingSettings } from '../config/routing-section.js';
import type { NewOrderCommand } from '../venue/model/commands.js';

/** The member named an ExDestination the venue does not know. */
export interface UnknownDestination {
  unknown: string;
}

export class RouteTable {
  private readonly instruments: ReadonlyMap<string, RouteChoice>;
  private readonly destinations: ReadonlyMap<string, RouteChoice>;
  private readonly known: string;

  constructor(settings: Pick<RoutingSettings, 'instruments' | 'exDestinations'>) {
    this.instruments = new Map(Object.entries(settings.instruments).filter(([, c]) => !isPlainLocal(c)));
    this.destinations = new Map(Object.entries(settings.exDestinations));
    this.known = [...this.destinations.keys()].join(', ');
  }

  /** True when no order can leave the local book (every lookup answers null). */
  get allLocal(): boolean {
    return this.instruments.size === 0 && this.destinations.size === 0;
  }

  choose(cmd: Pick<NewOrderCommand, 'symbol' | 'exDestination'>): RouteChoice | UnknownDestination | null {
    const dest = cmd.exDestination;
    // Without any mapping configured, ExDestination is not ours to judge (it was ignored before routing existed).
    if (typeof dest === 'string' && dest !== '' && this.destinations.size > 0) {
      const choice = this.destinations.get(dest);
      if (choice === undefined) return { unknown: `unknown ExDestination(100) ${dest}; this venue routes to ${this.known}` };
      return isPlainLocal(choice) ? null : choice;
    }
    return this.instruments.get(cmd.symbol) ?? null;
  }
}

function isPlainLocal(c: RouteChoice): boolean {
  return c.route === LOCAL_ROUTE && c.fallback === null;
}
