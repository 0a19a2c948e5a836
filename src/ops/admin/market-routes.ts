// Admin API: instruments and books.
//
//   GET  /api/instruments                   every instrument: state, phase, indicative auction price, last price,
//                                           top of book, breaker halt
//   GET  /api/instruments/:symbol
//   POST /api/instruments/:symbol/halt      { reason }   stop trading (cancels still work)
//   POST /api/instruments/:symbol/resume    { reason? }
//   GET  /api/books                         top of book of every instrument
//   GET  /api/books/:symbol?depth=10        price levels, best first (depth 0 = all)
//
// With risk running, halts and resumes go through it (audited in Redis too, and a resume clears a circuit
// breaker's halt); without it they are venue commands. Either way they are journaled, so a restart keeps them.

import { notFound } from '../http/http-error.js';
import { optionalText, queryInteger, requiredText } from '../http/fields.js';
import type { RequestContext, Route } from '../http/router.js';
import { actor, type AdminContext } from './admin-context.js';

export function marketRoutes(ctx: AdminContext): Route[] {
  const symbolOf = (req: RequestContext): string => {
    const symbol = req.params.symbol!;
    if (!ctx.market.has(symbol)) throw notFound(`unknown instrument ${symbol}`, 'symbol');
    return symbol;
  };
  const instrument = (symbol: string): Record<string, unknown> => {
    const state = ctx.sources.venue.queries.instrument(symbol);
    const breaker = ctx.sources.risk?.breakerHalts().find((b) => b.symbol === symbol) ?? null;
    return {
      ...ctx.market.top(symbol),
      bandLow: state !== undefined && state.bandLow > 0 ? ctx.market.price(symbol, state.bandLow) : null,
      bandHigh: state !== undefined && Number.isFinite(state.bandHigh) ? ctx.market.price(symbol, state.bandHigh) : null,
      pendingStops: state?.pendingStops ?? 0,
      // Phase of the trading day; during a call, the price, quantity and imbalance it would uncross at now.
      phase: state?.phase ?? 'continuous',
      indicative: state === undefined || state.indicativePrice === 0 ? null : {
        price: ctx.market.price(symbol, state.indicativePrice),
        qty: ctx.market.qty(symbol, state.indicativeVolume),
        imbalance: (state.indicativeImbalance < 0 ? '-' : '') + ctx.market.qty(symbol, Math.abs(state.indicativeImbalance)),
      },
      breakerHalt: breaker === null ? null : { reason: breaker.reason, resumeAt: new Date(breaker.resumeAt).toISOString() },
    };
  };
  const setStatus = (type: 'halt' | 'resume') => async (req: RequestContext) => {
    const symbol = symbolOf(req);
    const body = await req.body();
    const reason = type === 'halt' ? requiredText(body, 'reason', 'why trading stops (shown to members)') : optionalText(body, 'reason', 'resumed by venue operations');
    const risk = ctx.sources.risk;
    if (risk !== null) {
      if (type === 'halt') risk.haltInstrument(symbol, actor(req), reason);
      else risk.resumeInstrument(symbol, actor(req), reason);
    } else {
      ctx.sources.venue.submit({ type, time: Date.now(), symbol, reason: `${actor(req)}: ${reason}` });
    }
    return { status: 202, body: { symbol, requested: type, reason } };
  };

  return [
    { method: 'GET', pattern: '/api/instruments', access: 'viewer', handler: () => ({ body: { instruments: ctx.market.symbols().map(instrument) } }) },
    { method: 'GET', pattern: '/api/instruments/:symbol', access: 'viewer', handler: (req) => ({ body: instrument(symbolOf(req)) }) },
    { method: 'POST', pattern: '/api/instruments/:symbol/halt', access: 'operator', action: 'instrument.halt', handler: setStatus('halt') },
    { method: 'POST', pattern: '/api/instruments/:symbol/resume', access: 'operator', action: 'instrument.resume', handler: setStatus('resume') },
    { method: 'GET', pattern: '/api/books', access: 'viewer', handler: () => ({ body: { books: ctx.market.tops() } }) },
    {
      method: 'GET',
      pattern: '/api/books/:symbol',
      access: 'viewer',
      handler: (req) => {
        const symbol = symbolOf(req);
        return { body: ctx.market.book(symbol, queryInteger(req.query, 'depth', 10, 0, 10_000)) };
      },
    },
  ];
}
