// One audited risk change: limits, kill switches, halts and resumes, by ops or by the engine itself.
// Written to the Redis audit stream (write-behind) and to the log at the moment it happens.

export type AuditAction =
  | 'set-limit'
  | 'clear-limit'
  | 'kill-on'
  | 'kill-off'
  | 'halt'
  | 'resume'
  | 'breaker-trip'
  | 'breaker-resume';

export interface AuditEntry {
  /** Wall-clock time of the change, ISO 8601. */
  at: string;
  /** Who: an ops user, 'config' for the first seed, 'risk-engine' for automatic actions. */
  by: string;
  action: AuditAction;
  /** Scope id (firm:X, account:Y, instrument:Y:SYM, session:Z) or symbol. */
  scope: string;
  /** The limit changed, for set-limit / clear-limit. */
  name: string;
  /** Old and new value ('' for none). */
  old: string;
  new: string;
  reason: string;
}

export function describeAudit(e: AuditEntry): string {
  const change = e.name ? ` ${e.name}: ${e.old || '(none)'} -> ${e.new || '(none)'}` : '';
  return `risk ${e.action} ${e.scope}${change} by ${e.by}${e.reason ? ` (${e.reason})` : ''}`;
}
