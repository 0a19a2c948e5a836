// Admin API: pre-trade risk (503 when the venue runs without it).
//
//   GET  /api/risk/status                                   Redis health, write-behind lag
//   GET  /api/risk/limits                                   every scope with limits set
//   GET  /api/risk/limits/effective?firm=&account=&symbol=  the limits an order would meet, and where each comes from
//   PUT  /api/risk/limits/:scope        { limits: { maxOrderQty: "5", creditLimit: null }, reason? }
//                                       scope: firm:<id> | account:<id> | instrument:<account>:<symbol>
//   GET  /api/risk/audit?count=100                          risk's own audit stream (Redis), newest first
//   GET  /api/kill-switches
//   POST /api/kill-switches/:scope/:id/on     { reason }    scope: firm | account | session
//   POST /api/kill-switches/:scope/:id/off    { reason? }
//
// Limit values are decimal strings (a JSON number has been through a float already); null clears a limit.

import { limitValueProblem, LIMIT_NAMES, parseLimitScope, RiskInputError, type KillScope } from '../../risk/index.js';
import { isLimitName } from '../../risk/model/limit-names.js';
import { HttpError, invalidField, missingField, notFound } from '../http/http-error.js';
import { optionalText, queryInteger, requiredText } from '../http/fields.js';
import type { RequestContext, Route } from '../http/router.js';
import { actor, riskOf, type AdminContext } from './admin-context.js';

const KILL_SCOPES = ['firm', 'account', 'session'] as const;

export function riskRoutes(ctx: AdminContext): Route[] {
  const firms = new Set(ctx.sources.firms.map((f) => f.id));
  const accounts = new Set(ctx.sources.firms.flatMap((f) => f.accounts));
  const sessions = new Set(ctx.sources.sessions.map((s) => s.id));

  const killScope = (req: RequestContext): KillScope => {
    const kind = req.params.scope!;
    const id = req.params.id!;
    if (!(KILL_SCOPES as readonly string[]).includes(kind)) throw invalidField('scope', `one of ${KILL_SCOPES.join(', ')}`, kind);
    const known = kind === 'firm' ? firms : kind === 'account' ? accounts : sessions;
    if (!known.has(id)) throw notFound(`unknown ${kind} ${id}`, 'id');
    return { kind: kind as KillScope['kind'], id };
  };
  const translate = (err: unknown, field: string): never => {
    if (err instanceof RiskInputError) throw new HttpError(422, err.message, field);
    throw err;
  };

  const killRoute = (to: 'on' | 'off'): Route => ({
    method: 'POST',
    pattern: `/api/kill-switches/:scope/:id/${to}`,
    access: 'operator',
    action: `kill-switch.${to}`,
    handler: async (req) => {
      const risk = riskOf(ctx);
      const scope = killScope(req);
      const body = await req.body();
      const reason = to === 'on'
        ? requiredText(body, 'reason', 'why the kill switch goes on (members see it on refusals)')
        : optionalText(body, 'reason', 'released by venue operations');
      try {
        const changed = to === 'on' ? risk.killSwitchOn(scope, actor(req), reason) : risk.killSwitchOff(scope, actor(req), reason);
        return { body: { scope: `${scope.kind}:${scope.id}`, on: to === 'on', changed } };
      } catch (err) {
        return translate(err, 'scope');
      }
    },
  });

  return [
    { method: 'GET', pattern: '/api/risk/status', access: 'viewer', handler: () => ({ body: riskOf(ctx).status() }) },
    { method: 'GET', pattern: '/api/risk/limits', access: 'viewer', handler: () => ({ body: { scopes: riskOf(ctx).limits() } }) },
    {
      method: 'GET',
      pattern: '/api/risk/limits/effective',
      access: 'viewer',
      handler: (req) => {
        const risk = riskOf(ctx);
        const param = (name: string, what: string): string => {
          const v = req.query.get(name);
          if (v === null || v === '') throw missingField(name, what);
          return v;
        };
        const firm = param('firm', 'a firm id (query parameter)');
        const account = param('account', 'an account (query parameter)');
        const symbol = param('symbol', 'a symbol (query parameter)');
        if (!firms.has(firm)) throw notFound(`unknown firm ${firm}`, 'firm');
        if (!accounts.has(account)) throw notFound(`unknown account ${account}`, 'account');
        if (!ctx.market.has(symbol)) throw notFound(`unknown instrument ${symbol}`, 'symbol');
        return { body: { firm, account, symbol, limits: risk.effectiveLimits(firm, account, symbol) } };
      },
    },
    {
      method: 'PUT',
      pattern: '/api/risk/limits/:scope',
      access: 'operator',
      action: 'risk.set-limits',
      handler: async (req) => {
        const risk = riskOf(ctx);
        const scope = parseLimitScope(req.params.scope!);
        if (scope === null) throw invalidField('scope', 'firm:<id>, account:<id> or instrument:<account>:<symbol>', req.params.scope);
        const body = await req.body();
        const limits = body.limits;
        if (limits === undefined) throw missingField('limits', `an object of limit name → decimal string or null (names: ${LIMIT_NAMES.join(', ')})`);
        if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) throw invalidField('limits', 'an object of limit name → decimal string or null', limits);
        const values: Record<string, string | null> = {};
        for (const [name, value] of Object.entries(limits as Record<string, unknown>)) {
          if (!isLimitName(name)) throw invalidField(`limits.${name}`, `a limit name (${LIMIT_NAMES.join(', ')})`, name);
          if (value !== null) {
            const problem = limitValueProblem(name, value);
            if (problem !== null) throw invalidField(`limits.${name}`, problem, value);
          }
          values[name] = value as string | null;
        }
        if (Object.keys(values).length === 0) throw invalidField('limits', 'at least one limit', limits);
        const reason = optionalText(body, 'reason', '');
        try {
          const changes = risk.setLimits(scope, values, actor(req), reason);
          return { body: { scope: req.params.scope, changes } };
        } catch (err) {
          return translate(err, 'limits');
        }
      },
    },
    {
      method: 'GET',
      pattern: '/api/risk/audit',
      access: 'viewer',
      handler: async (req) => ({ body: { entries: await riskOf(ctx).auditLog(queryInteger(req.query, 'count', 100, 1, 10_000)) } }),
    },
    { method: 'GET', pattern: '/api/kill-switches', access: 'viewer', handler: () => ({ body: { killSwitches: riskOf(ctx).killSwitches() } }) },
    killRoute('on'),
    killRoute('off'),
  ];
}
