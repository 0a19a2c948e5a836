// Admin API: clearing (503 when the venue runs without it).
//
//   GET  /api/clearing/queue                 jobs per state (BullMQ)
//   GET  /api/clearing/failed?limit=100      jobs that failed for good, newest first
//   POST /api/clearing/failed/:id/retry      put one back on the queue
//   POST /api/clearing/reports               { tradeDate: "YYYY-MM-DD", firm }  build a clearing report now

import { isTradeDate } from '../../records/trade-date.js';
import { HttpError, invalidField, notFound } from '../http/http-error.js';
import { queryInteger, requiredText } from '../http/fields.js';
import type { Route } from '../http/router.js';
import { clearingOf, type AdminContext } from './admin-context.js';

export function clearingRoutes(ctx: AdminContext): Route[] {
  const firms = new Set(ctx.sources.firms.map((f) => f.id));
  return [
    { method: 'GET', pattern: '/api/clearing/queue', access: 'viewer', handler: async () => ({ body: { counts: await clearingOf(ctx).queueCounts() } }) },
    {
      method: 'GET',
      pattern: '/api/clearing/failed',
      access: 'viewer',
      handler: async (req) => {
        const limit = queryInteger(req.query, 'limit', 100, 1, 1000);
        return { body: { jobs: await clearingOf(ctx).failedJobs(0, limit - 1) } };
      },
    },
    {
      method: 'POST',
      pattern: '/api/clearing/failed/:id/retry',
      access: 'operator',
      action: 'clearing.retry',
      handler: async (req) => {
        const id = req.params.id!;
        if (!(await clearingOf(ctx).retryJob(id))) throw notFound(`no failed clearing job ${id}`, 'id');
        return { body: { job: id, retried: true } };
      },
    },
    {
      method: 'POST',
      pattern: '/api/clearing/reports',
      access: 'operator',
      action: 'clearing.report',
      handler: async (req) => {
        const clearing = clearingOf(ctx);
        const body = await req.body();
        const tradeDate = requiredText(body, 'tradeDate', 'a trade date YYYY-MM-DD');
        if (!isTradeDate(tradeDate)) throw invalidField('tradeDate', 'a trade date YYYY-MM-DD', tradeDate);
        const firm = requiredText(body, 'firm', 'a firm id');
        if (!firms.has(firm)) throw notFound(`unknown firm ${firm}`, 'firm');
        try {
          return { body: { report: await clearing.runClearingReport(tradeDate, firm) } };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (/not done within/.test(message)) throw new HttpError(504, message);
          throw err;
        }
      },
    },
  ];
}
