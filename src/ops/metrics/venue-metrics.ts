// Prometheus metrics of the venue: order flow counted from the event stream, books and instrument state read
// at scrape time, and the command journal's commit timings.
//
// The event listener runs synchronously for every venue event, on the order path: it finds the instrument's
// pre-resolved cells with one Map lookup and increments plain numbers, never allocating. Symbols come from the
// config (an order for an unknown symbol counts under "other"); reasons from the venue's enums.
//
//   venue_orders_accepted_total{symbol}
//   venue_order_rejects_total{symbol,command,reason}        every refusal (core, gateway checks, risk)
//   venue_risk_rejects_total{symbol,limit}                  refusals by pre-trade risk, by the limit that refused
//   venue_trades_total{symbol}
//   venue_cancels_total{symbol,reason}                      orders that stopped being live without filling
//   venue_live_orders                                       resting orders and pending stops
//   venue_instrument_halted{symbol}                         1 while halted or closed
//   venue_last_trade_price{symbol}
//   venue_book_best_price{symbol,side} / venue_book_best_quantity{symbol,side}
//   venue_book_levels{symbol,side} / venue_book_quantity{symbol,side} / venue_book_orders{symbol,side}
//   venue_journal_commit_duration_seconds                   one group commit (write + fdatasync)
//   venue_journal_written_bytes_total
//   venue_journal_failed                                    1 once the journal has failed (restart needed)

import { Gauge, type Registry } from 'prom-client';
import { LIMIT_NAMES } from '../../risk/index.js';
import { LIMIT_LABELS } from '../../risk/model/limit-names.js';
import { CancelReason, RejectReason } from '../../venue/model/enums.js';
import type { VenueEvent } from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import type { VenueSource } from '../sources.js';
import { CounterFamily, HistogramFamily, LATENCY_BUCKETS_SECONDS, type CounterCell } from './cells.js';

const COMMANDS = ['new', 'cancel', 'replace', 'other'] as const;
const REJECT_REASONS: readonly string[] = [...Object.values(RejectReason)];
const CANCEL_REASONS: readonly string[] = [...Object.values(CancelReason), 'expired'];
/** Reject texts of risk start with the limit's words ("max order qty exceeded: ..."): longest first. */
const LIMIT_PREFIXES = LIMIT_NAMES.map((name) => [LIMIT_LABELS[name], name] as const).sort((a, b) => b[0].length - a[0].length);

interface InstrumentCells {
  accepted: CounterCell;
  trades: CounterCell;
  /** command index × reason → cell */
  rejects: Map<string, CounterCell>[];
  cancels: Map<string, CounterCell>;
  risk: Map<string, CounterCell>;
}

export class VenueMetrics {
  private readonly cells = new Map<string, InstrumentCells>();
  private readonly other: InstrumentCells;
  private unsubscribe: (() => void) | null = null;

  constructor(
    registry: Registry,
    private readonly venue: VenueSource,
  ) {
    const accepted = new CounterFamily(registry, 'venue_orders_accepted_total', 'Orders accepted by the venue', ['symbol']);
    const rejects = new CounterFamily(registry, 'venue_order_rejects_total', 'Orders, cancels and replaces refused, by reason', ['symbol', 'command', 'reason']);
    const risk = new CounterFamily(registry, 'venue_risk_rejects_total', 'Orders and replaces refused by pre-trade risk, by limit', ['symbol', 'limit']);
    const trades = new CounterFamily(registry, 'venue_trades_total', 'Trades', ['symbol']);
    const cancels = new CounterFamily(registry, 'venue_cancels_total', 'Orders that stopped being live without filling, by reason', ['symbol', 'reason']);
    const resolve = (symbol: string): InstrumentCells => ({
      accepted: accepted.cell(symbol),
      trades: trades.cell(symbol),
      rejects: COMMANDS.map((command) => new Map(REJECT_REASONS.map((r) => [r, rejects.cell(symbol, command, r)]))),
      cancels: new Map(CANCEL_REASONS.map((r) => [r, cancels.cell(symbol, r)])),
      risk: new Map([...LIMIT_NAMES, 'kill-switch', 'other'].map((l) => [l, risk.cell(symbol, l)])),
    });
    for (const spec of venue.instruments) this.cells.set(spec.symbol, resolve(spec.symbol));
    this.other = resolve('other');
    this.registerJournal(registry);
    this.registerBooks(registry, venue.instruments);
  }

  /** Starts counting live events. */
  start(): void {
    if (this.unsubscribe === null) this.unsubscribe = this.venue.subscribe(this.onEvent);
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.venue.observeJournalCommits(null);
  }

  private readonly onEvent = (e: VenueEvent): void => {
    switch (e.type) {
      case 'accepted':
        this.of(e.order.symbol).accepted.value++;
        return;
      case 'trade':
        this.of(e.symbol).trades.value++;
        return;
      case 'cancelled':
        this.count(this.of(e.order.symbol).cancels, e.reason);
        return;
      case 'expired':
        this.count(this.of(e.order.symbol).cancels, 'expired');
        return;
      case 'rejected': {
        const cells = this.of(e.symbol);
        const command = e.command === 'new' ? 0 : e.command === 'cancel' ? 1 : e.command === 'replace' ? 2 : 3;
        this.count(cells.rejects[command]!, e.reason);
        if (e.reason === RejectReason.RiskLimit) this.count(cells.risk, limitOf(e.text));
        else if (e.reason === RejectReason.KillSwitch) this.count(cells.risk, 'kill-switch');
        return;
      }
      default:
        return;
    }
  };

  private of(symbol: string): InstrumentCells {
    return this.cells.get(symbol) ?? this.other;
  }

  private count(cells: Map<string, CounterCell>, key: string): void {
    const cell = cells.get(key) ?? cells.get('other');
    if (cell !== undefined) cell.value++;
  }

  private registerJournal(registry: Registry): void {
    const commits = new HistogramFamily(registry, 'venue_journal_commit_duration_seconds', 'Time of one command journal group commit (write and fdatasync)', LATENCY_BUCKETS_SECONDS).cell();
    const bytes = new CounterFamily(registry, 'venue_journal_written_bytes_total', 'Bytes written to the command journal').cell();
    this.venue.observeJournalCommits((ms, n) => {
      commits.observe(ms / 1000);
      bytes.value += n;
    });
    const venue = this.venue;
    new Gauge({
      name: 'venue_journal_failed',
      help: '1 once the command journal has failed (the venue refuses orders until it has restarted itself)',
      registers: [registry],
      collect() {
        this.set(venue.journalError() === null ? 0 : 1);
      },
    });
  }

  private registerBooks(registry: Registry, instruments: readonly InstrumentSpec[]): void {
    const venue = this.venue;
    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void): void => {
      new Gauge({ name, help, labelNames, registers: [registry], collect() { this.reset(); collect(this); } });
    };
    gauge('venue_live_orders', 'Live orders: resting and pending stops', [], (g) => g.set(venue.queries.liveOrderCount));
    gauge('venue_instrument_halted', '1 while an instrument is halted or closed', ['symbol'], (g) => {
      for (const spec of instruments) g.set({ symbol: spec.symbol }, venue.queries.instrument(spec.symbol)?.status === 'open' ? 0 : 1);
    });
    gauge('venue_last_trade_price', 'Price of the last trade (the reference price before any)', ['symbol'], (g) => {
      for (const spec of instruments) {
        const last = venue.queries.instrument(spec.symbol)?.lastPrice ?? 0;
        if (last > 0) g.set({ symbol: spec.symbol }, last / 10 ** spec.priceDecimals);
      }
    });
    // One book read per instrument per scrape feeds the five book gauges.
    const books = new Map<string, { at: number; book: ReturnType<typeof venue.queries.book> }>();
    const bookOf = (symbol: string): ReturnType<typeof venue.queries.book> => {
      const now = performance.now();
      const hit = books.get(symbol);
      if (hit !== undefined && now - hit.at < 100) return hit.book;
      const book = venue.queries.book(symbol, 0);
      books.set(symbol, { at: now, book });
      return book;
    };
    const perSide = (name: string, help: string, value: (levels: { price: number; qty: number; orderCount: number }[], spec: InstrumentSpec) => number | null): void =>
      gauge(name, help, ['symbol', 'side'], (g) => {
        for (const spec of instruments) {
          const book = bookOf(spec.symbol);
          if (book === undefined) continue;
          for (const [side, levels] of [['bid', book.bids], ['ask', book.asks]] as const) {
            const v = value(levels, spec);
            if (v !== null) g.set({ symbol: spec.symbol, side }, v);
          }
        }
      });
    perSide('venue_book_best_price', 'Best bid and ask price', (l, s) => (l.length > 0 ? l[0]!.price / 10 ** s.priceDecimals : null));
    perSide('venue_book_best_quantity', 'Visible quantity at the best bid and ask', (l, s) => (l.length > 0 ? l[0]!.qty / 10 ** s.qtyDecimals : null));
    perSide('venue_book_levels', 'Price levels per side', (l) => l.length);
    perSide('venue_book_quantity', 'Visible quantity per side, all levels', (l, s) => l.reduce((n, x) => n + x.qty, 0) / 10 ** s.qtyDecimals);
    perSide('venue_book_orders', 'Resting orders per side', (l) => l.reduce((n, x) => n + x.orderCount, 0));
  }
}

function limitOf(text: string): string {
  for (const [prefix, name] of LIMIT_PREFIXES) if (text.startsWith(prefix)) return name;
  return 'other';
}
