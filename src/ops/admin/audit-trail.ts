// The audit trail of operator actions: who (token name and role), what (action, target, parameters), when,
// and how it ended. Each entry goes to the venue log (JSON in production, so log shipping keeps it), to an
// append-only JSON-lines file when configured, and to a ring the API and the dashboard read. Refused attempts
// (a viewer trying to act, a bad request) are recorded too: they are what an auditor asks about.

import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../shared/logger.js';

export type AuditOutcome = 'done' | 'refused' | 'failed';

export interface OpsAuditEntry {
  /** ISO 8601 UTC. */
  at: string;
  who: string;
  role: string;
  action: string;
  target: string;
  params: Record<string, unknown>;
  outcome: AuditOutcome;
  /** HTTP status of the answer. */
  status: number;
  /** Result or refusal in words. */
  detail: string;
  remote: string;
}

export class AuditTrail {
  private readonly ring: OpsAuditEntry[] = [];
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(e: OpsAuditEntry) => void>();

  constructor(
    private readonly logger: Logger,
    private readonly file: string | null = null,
    private readonly capacity = 1000,
  ) {}

  record(entry: Omit<OpsAuditEntry, 'at'>): OpsAuditEntry {
    const e: OpsAuditEntry = { at: new Date().toISOString(), ...entry };
    this.ring.push(e);
    if (this.ring.length > this.capacity) this.ring.shift();
    const fields = { audit: true, ...e, params: JSON.stringify(e.params) };
    if (e.outcome === 'done') this.logger.info(`ops action ${e.action} ${e.target} by ${e.who}`, fields);
    else this.logger.warn(`ops action ${e.action} ${e.target} by ${e.who} ${e.outcome}: ${e.detail}`, fields);
    if (this.file !== null) this.append(this.file, e);
    for (const l of this.listeners) l(e);
    return e;
  }

  /** Newest first. */
  recent(limit = 100): OpsAuditEntry[] {
    return this.ring.slice(-limit).reverse();
  }

  onEntry(listener: (e: OpsAuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every entry so far is in the file. */
  flushed(): Promise<void> {
    return this.writes;
  }

  private append(file: string, e: OpsAuditEntry): void {
    const line = `${JSON.stringify(e)}\n`;
    this.writes = this.writes
      .then(() => mkdir(dirname(file), { recursive: true }))
      .then(() => appendFile(file, line))
      .catch((err: unknown) => this.logger.error('ops audit file write failed (the entry is in the log)', { file, reason: String(err) }));
  }
}
