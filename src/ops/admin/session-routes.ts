// Admin API: FIX sessions. Sessions are named by the member's CompID (BROKER1), as in the venue config.
//
//   GET  /api/sessions                          the session table
//   GET  /api/sessions/:id                      one session
//   POST /api/sessions/:id/logout               Logout handshake, then disconnect   { reason? }
//   POST /api/sessions/:id/disconnect           drop the connection without a Logout { reason? }
//   POST /api/sessions/:id/sequence-numbers     { nextSenderSeq?, nextTargetSeq? }, only while disconnected

import { conflict, missingField, notFound, unavailable } from '../http/http-error.js';
import { optionalInteger, optionalText } from '../http/fields.js';
import type { SessionHandle } from '../../fix/index.js';
import type { RequestContext, Route } from '../http/router.js';
import type { SessionLabels } from '../sessions/session-catalog.js';
import type { SessionRow } from '../sessions/session-board.js';
import type { AdminContext } from './admin-context.js';

export function sessionRoutes(ctx: AdminContext): Route[] {
  const find = (req: RequestContext): SessionLabels => {
    const labels = ctx.catalog.byMemberId(req.params.id!);
    if (labels === undefined) throw notFound(`unknown session ${req.params.id}`, 'id');
    return labels;
  };
  const rowOf = (labels: SessionLabels): SessionRow => {
    ctx.catalog.invalidate();
    const row = ctx.board.rows().find((r) => r.key === labels.key);
    if (row === undefined) throw notFound(`unknown session ${labels.id}`, 'id');
    return row;
  };
  const connected = (labels: SessionLabels): SessionRow => {
    const row = rowOf(labels);
    if (row.state === 'disconnected') throw conflict(`session ${labels.id} is not connected`);
    return row;
  };

  /** Logout (handshake, the reason in Text(58)) or a plain disconnect of a connected session. */
  const connectionRoute = (name: 'logout' | 'disconnect', fallback: string, act: (handle: SessionHandle, reason: string) => void, status: number): Route => ({
    method: 'POST',
    pattern: `/api/sessions/:id/${name}`,
    access: 'operator',
    action: `session.${name}`,
    handler: async (req) => {
      const labels = find(req);
      const reason = optionalText(await req.body(), 'reason', fallback);
      const row = connected(labels);
      act(ctx.sources.fix.session(labels.key)!, reason);
      return { status, body: { session: labels.id, requested: name, reason, state: row.state } };
    },
  });

  return [
    { method: 'GET', pattern: '/api/sessions', access: 'viewer', handler: () => ({ body: { sessions: ctx.board.rows() } }) },
    { method: 'GET', pattern: '/api/sessions/:id', access: 'viewer', handler: (req) => ({ body: rowOf(find(req)) }) },
    connectionRoute('logout', 'logged out by venue operations', (handle, reason) => handle.logout(reason), 202),
    connectionRoute('disconnect', 'disconnected by venue operations', (handle, reason) => handle.disconnect(`ops: ${reason}`), 200),
    {
      method: 'POST',
      pattern: '/api/sessions/:id/sequence-numbers',
      access: 'operator',
      action: 'session.set-sequence-numbers',
      handler: async (req) => {
        const labels = find(req);
        const body = await req.body();
        const nextSenderSeq = optionalInteger(body, 'nextSenderSeq', 1);
        const nextTargetSeq = optionalInteger(body, 'nextTargetSeq', 1);
        if (nextSenderSeq === undefined && nextTargetSeq === undefined) {
          throw missingField('nextSenderSeq', 'nextSenderSeq and/or nextTargetSeq, whole numbers from 1');
        }
        const before = rowOf(labels);
        if (before.state !== 'disconnected') {
          throw conflict(`session ${labels.id} is ${before.state}: sequence numbers can only be set while it is logged off (log it out first)`);
        }
        try {
          await ctx.sources.fix.setSequenceNumbers(labels.key, { nextSenderSeq, nextTargetSeq });
        } catch (err) {
          // A logon may have slipped in since the check above; anything else is the store failing.
          const message = err instanceof Error ? err.message : String(err);
          throw /is connected/.test(message) ? conflict(message) : unavailable(message);
        }
        const after = rowOf(labels);
        return {
          body: {
            session: labels.id,
            before: { nextSenderSeq: before.nextSenderSeq, nextTargetSeq: before.nextTargetSeq },
            after: { nextSenderSeq: after.nextSenderSeq, nextTargetSeq: after.nextTargetSeq },
          },
        };
      },
    },
  ];
}
