// Everything one check needs for an (account, instrument), compiled once and refreshed whenever a limit
// changes: the limits in force as scaled integers (Infinity when unset), the level each came from (for
// the reject text), and direct references to the running totals each limit is compared with. A limit
// bounds the total of the scope it was set at: a firm-level maxOpenOrders counts the firm's open orders,
// an account-level one the account's, an account × instrument one that account's orders in the symbol.

import { parseDecimal } from '../../venue/model/decimal.js';
import { parsePercent } from '../exact/percent.js';
import type { CreditTotals, ScopeCounters } from '../exposure/aggregates.js';
import { RateWindow } from '../exposure/rate-window.js';
import type { RiskBooks } from '../exposure/risk-books.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import type { Position } from '../positions/position.js';
import { Level, type LimitTable } from './limit-table.js';
import { scaleLimit } from './scale-limit.js';

// Hot path: under tsx (tests, benchmarks) an imported binding is read through a getter at every use
// (~10 ns); the module-local copies below are plain reads.
const FIRM = Level.Firm;
const ACCOUNT = Level.Account;
const INSTRUMENT = Level.Instrument;

export class RiskSlot {
  readonly firm: string;
  readonly account: string;
  readonly symbol: string;
  readonly inst: InstrumentRisk;

  readonly firmCounters: ScopeCounters;
  readonly accountCounters: ScopeCounters;
  readonly instrumentCounters: ScopeCounters;
  readonly firmCredit: CreditTotals;
  readonly accountCredit: CreditTotals;
  /** The account's positions in the instrument's base and quote assets, and the firm's totals. */
  readonly basePosition: Position;
  readonly quotePosition: Position;
  readonly firmBase: Position;
  readonly firmQuote: Position;

  maxOrderQty = Infinity;
  maxOrderQtyLevel: Level = Level.None;
  maxOrderNotional = Infinity;
  maxOrderNotionalLevel: Level = Level.None;
  /** Scaled percent (1/10_000 %), -1 for no band. */
  bandPercent = -1;
  bandLevel: Level = Level.None;
  maxOpenOrders = Infinity;
  openOrdersLevel: Level = Level.None;
  openOrdersCounters: ScopeCounters;
  maxOrdersPerSecond = Infinity;
  rateLevel: Level = Level.None;
  rateCounters: ScopeCounters;
  maxLong = Infinity;
  longLevel: Level = Level.None;
  longPosition: Position;
  maxShort = Infinity;
  shortLevel: Level = Level.None;
  shortPosition: Position;
  creditLimit = Infinity;
  creditLevel: Level = Level.None;

  constructor(firm: string, account: string, inst: InstrumentRisk, books: RiskBooks) {
    this.firm = firm;
    this.account = account;
    this.symbol = inst.symbol;
    this.inst = inst;
    this.firmCounters = books.firmCounters(firm);
    this.accountCounters = books.accountCounters(account);
    this.instrumentCounters = books.instrumentCounters(account, inst.symbol);
    this.firmCredit = books.firmCredit(firm, inst.quoteAsset);
    this.accountCredit = books.accountCredit(account, inst.quoteAsset);
    this.basePosition = books.position(firm, account, inst.baseAsset);
    this.quotePosition = books.position(firm, account, inst.quoteAsset);
    this.firmBase = books.firmTotal(firm, inst.baseAsset);
    this.firmQuote = books.firmTotal(firm, inst.quoteAsset);
    this.openOrdersCounters = this.accountCounters;
    this.rateCounters = this.accountCounters;
    this.longPosition = this.basePosition;
    this.shortPosition = this.basePosition;
  }

  /** The scope counters a limit set at `level` is compared with. */
  countersAt(level: Level): ScopeCounters {
    return level === FIRM ? this.firmCounters : level === INSTRUMENT ? this.instrumentCounters : this.accountCounters;
  }

  /** Credit in use at a level: reserved notional of open orders plus filled exposure (quote units). */
  creditUsed(level: Level): number {
    if (level === FIRM) return this.firmCredit.open + this.firmCredit.filled;
    if (level === ACCOUNT) return this.accountCredit.open + this.accountCredit.filled;
    return this.instrumentCounters.openNotional + this.basePosition.costAbsNum;
  }

  /** Every order in this slot counts in these rate windows (those that exist). */
  recordOrder(time: number): void {
    this.firmCounters.rate?.record(time);
    this.accountCounters.rate?.record(time);
    this.instrumentCounters.rate?.record(time);
  }

  /** Re-reads every limit from the table. */
  compile(table: LimitTable): void {
    const inst = this.inst;
    const get = (name: Parameters<LimitTable['resolve']>[3]) => table.resolve(this.firm, this.account, this.symbol, name);

    const qty = get('maxOrderQty');
    this.maxOrderQty = qty ? scaleLimit(qty.text, inst.qtyDecimals) : Infinity;
    this.maxOrderQtyLevel = qty ? qty.level : Level.None;

    const notional = get('maxOrderNotional');
    this.maxOrderNotional = notional ? scaleLimit(notional.text, inst.quoteScale) : Infinity;
    this.maxOrderNotionalLevel = notional ? notional.level : Level.None;

    const band = get('priceBandPercent');
    this.bandPercent = band ? parsePercent(band.text) : -1;
    this.bandLevel = band ? band.level : Level.None;

    const open = get('maxOpenOrders');
    this.maxOpenOrders = open ? parseDecimal(open.text, 0) : Infinity;
    this.openOrdersLevel = open ? open.level : Level.None;
    this.openOrdersCounters = this.countersAt(this.openOrdersLevel);

    const rate = get('maxOrdersPerSecond');
    this.maxOrdersPerSecond = rate ? parseDecimal(rate.text, 0) : Infinity;
    this.rateLevel = rate ? rate.level : Level.None;
    this.rateCounters = this.countersAt(this.rateLevel);
    if (rate) this.rateCounters.rate ??= new RateWindow();

    const long = get('maxLongPosition');
    this.maxLong = long ? scaleLimit(long.text, inst.baseScale) : Infinity;
    this.longLevel = long ? long.level : Level.None;
    this.longPosition = this.longLevel === Level.Firm ? this.firmBase : this.basePosition;

    const short = get('maxShortPosition');
    this.maxShort = short ? scaleLimit(short.text, inst.baseScale) : Infinity;
    this.shortLevel = short ? short.level : Level.None;
    this.shortPosition = this.shortLevel === Level.Firm ? this.firmBase : this.basePosition;

    const credit = get('creditLimit');
    this.creditLimit = credit ? scaleLimit(credit.text, inst.quoteScale) : Infinity;
    this.creditLevel = credit ? credit.level : Level.None;
  }
}
