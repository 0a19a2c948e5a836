// Who is who among the venue's FIX sessions: each session's role and firm, the live handle to send through,
// and, per firm, the drop-copy sessions entitled to see its executions (precomputed: looked up per event).

import type { SessionHandle } from '../fix/index.js';
import type { FirmSettings, SessionSettings, VenueSettings } from '../config/settings.js';

export interface SessionEntry {
  settings: SessionSettings;
  /** Firm of an order-entry session; null for sessions without one. */
  firm: FirmSettings | null;
  /** Set when the FIX engine creates the session (before any logon). */
  handle: SessionHandle | null;
}

export class SessionDirectory {
  private readonly byId = new Map<string, SessionEntry>();
  private readonly firms = new Map<string, FirmSettings>();
  private readonly dropCopies = new Map<string, SessionEntry[]>();

  constructor(settings: Pick<VenueSettings, 'sessions' | 'firms'>) {
    for (const firm of settings.firms) {
      this.firms.set(firm.id, firm);
      this.dropCopies.set(firm.id, []);
    }
    for (const s of settings.sessions) {
      const entry: SessionEntry = { settings: s, firm: this.firms.get(s.firm) ?? null, handle: null };
      this.byId.set(s.id, entry);
      if (s.role !== 'drop-copy') continue;
      for (const firm of settings.firms) {
        if (s.entitledFirms.includes('*') || s.entitledFirms.includes(firm.id)) this.dropCopies.get(firm.id)!.push(entry);
      }
    }
  }

  /** A session by its id (the member's CompID). */
  get(id: string): SessionEntry | undefined {
    return this.byId.get(id);
  }

  attach(id: string, handle: SessionHandle): void {
    const entry = this.byId.get(id);
    if (entry) entry.handle = handle;
  }

  firm(id: string): FirmSettings | undefined {
    return this.firms.get(id);
  }

  /** Drop-copy sessions entitled to a firm's executions (empty array when none). */
  dropCopiesOf(firm: string): readonly SessionEntry[] {
    return this.dropCopies.get(firm) ?? NONE;
  }

  /** Whether a drop-copy session may see a firm's data. */
  isEntitled(entry: SessionEntry, firm: string): boolean {
    const f = entry.settings.entitledFirms;
    return f.includes('*') || f.includes(firm);
  }

  all(): IterableIterator<SessionEntry> {
    return this.byId.values();
  }
}

const NONE: readonly SessionEntry[] = [];
