// Who each FIX session is (id, role, firm, from the venue config) and a short-lived cache of the engine's
// session listing, so one scrape or one dashboard tick reads `engine.sessions()` once, not once per metric.

import type { SessionSettings } from '../../config/settings.js';
import type { SessionInfo } from '../../fix/index.js';
import type { FixSource } from '../sources.js';

export interface SessionLabels {
  /** The member's CompID: how ops and the config name the session. */
  id: string;
  key: string;
  role: string;
  firm: string;
}

const UNKNOWN: SessionLabels = { id: 'other', key: '', role: 'other', firm: 'none' };

export class SessionCatalog {
  private readonly byKey = new Map<string, SessionLabels>();
  private readonly byId = new Map<string, SessionLabels>();
  private cached: SessionInfo[] = [];
  private cachedAt = -Infinity;

  constructor(
    private readonly fix: FixSource,
    settings: readonly SessionSettings[],
    private readonly clock: () => number = performance.now.bind(performance),
  ) {
    const configured = new Map(settings.map((s) => [s.id, s]));
    // The engine's sessions are fixed once it is created: resolve every label now, never per message.
    for (const info of fix.sessions()) {
      const s = configured.get(info.targetCompId);
      const labels: SessionLabels = {
        id: info.targetCompId,
        key: info.key,
        role: s?.role ?? (info.role === 'initiator' ? 'route' : 'other'),
        firm: s?.firm || 'none',
      };
      this.byKey.set(info.key, labels);
      this.byId.set(labels.id, labels);
    }
  }

  /** Labels of a session key; a key the engine did not have at start maps to "other" (bounded labels). */
  labels(key: string): SessionLabels {
    return this.byKey.get(key) ?? UNKNOWN;
  }

  byMemberId(id: string): SessionLabels | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<SessionLabels> {
    return this.byKey.values();
  }

  /** The engine's listing, at most `maxAgeMs` old. */
  snapshot(maxAgeMs = 200): SessionInfo[] {
    const now = this.clock();
    if (now - this.cachedAt > maxAgeMs) {
      this.cached = this.fix.sessions();
      this.cachedAt = now;
    }
    return this.cached;
  }

  /** Forget the cached listing (after an action changed a session). */
  invalidate(): void {
    this.cachedAt = -Infinity;
  }
}
