// The fix-client's little command language, turned into FIX messages. Prices and quantities are passed through
// as the exact text typed (the venue parses them), never through a number.
//
//   buy 0.5 BTCUSDT @ 60000.00 [gtc|ioc|fok|day] [post] [account B1-ALGO] [id MYID]
//   sell 1 ETHUSDT market        stop 59000 / stoplimit 59000 @ 58990 for stop orders
//   cancel ID                    replace ID [qty 0.4] [price 59999]
//   status ID                    orders [SYMBOL]           cancelall [SYMBOL]
//   book SYMBOL [depth]          securities                trades [minutes]

import type { FieldWriter } from '../../src/fix/index.js';

export interface FixRequest {
  msgType: string;
  /** Top-level body fields: [tag, value]. */
  fields: Array<[number, string]>;
  /** Repeating groups, written after the fields: count tag and one [tag, value] list per instance. */
  groups?: Array<{ countTag: number; instances: Array<Array<[number, string]>> }>;
  /** ClOrdID of an order request, so that later commands can refer to the order. */
  clOrdId?: string;
}

/** What the client knows of an order from the reports it has seen. */
export interface KnownOrder {
  clOrdId: string;
  side: string;
  symbol: string;
  qty: string;
  price: string;
}

export interface ClientState {
  nextId(): string;
  /** The order a user-facing id refers to, with its current ClOrdID (after replaces). */
  lookup(id: string): KnownOrder | undefined;
  now(): string;
}

/** Writes a request's body through the session's field writer. */
export function writeRequest(request: FixRequest, w: FieldWriter): void {
  for (const [tag, value] of request.fields) w.str(tag, value);
  for (const g of request.groups ?? []) {
    w.group(g.countTag, g.instances.length);
    for (const instance of g.instances) {
      w.instance();
      for (const [tag, value] of instance) w.str(tag, value);
    }
    w.endGroup();
  }
}

const DECIMAL = /^\d+(\.\d+)?$/;
// opg / atc: At the Opening / At the Close (market- or limit-on-open / -on-close orders for the auctions).
const TIF: Record<string, string> = { day: '0', gtc: '1', opg: '2', ioc: '3', fok: '4', atc: '7' };

export class CommandError extends Error {}

function need(cond: boolean, message: string): asserts cond {
  if (!cond) throw new CommandError(message);
}

function decimal(text: string | undefined, what: string): string {
  need(text !== undefined && DECIMAL.test(text), `${what} must be a decimal number like 0.5 (got ${text ?? 'nothing'})`);
  return text;
}

export function parseCommand(line: string, state: ClientState): FixRequest | null {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return null;
  const [verb, ...rest] = words as [string, ...string[]];
  switch (verb.toLowerCase()) {
    case 'buy':
    case 'sell':
      return newOrder(verb.toLowerCase() === 'buy' ? '1' : '2', rest, state);
    case 'cancel': {
      const prior = state.lookup(rest[0] ?? '');
      need(prior !== undefined, `unknown order id ${rest[0] ?? ''} (use an id shown in a report)`);
      const id = state.nextId();
      return {
        msgType: 'F',
        clOrdId: id,
        fields: [[11, id], [41, prior.clOrdId], [54, prior.side], [55, prior.symbol], [60, state.now()]],
      };
    }
    case 'replace': {
      const prior = state.lookup(rest[0] ?? '');
      need(prior !== undefined, `unknown order id ${rest[0] ?? ''}`);
      const opts = options(rest.slice(1));
      need(opts.qty !== undefined || opts.price !== undefined, 'replace needs qty and/or price');
      const id = state.nextId();
      const fields: Array<[number, string]> = [[11, id], [38, decimal(opts.qty ?? prior.qty, 'qty')], [40, '2'], [41, prior.clOrdId]];
      fields.push([44, decimal(opts.price ?? prior.price, 'price')], [54, prior.side], [55, prior.symbol], [60, state.now()]);
      return { msgType: 'G', clOrdId: id, fields };
    }
    case 'status': {
      const prior = state.lookup(rest[0] ?? '');
      need(prior !== undefined, `unknown order id ${rest[0] ?? ''}`);
      return { msgType: 'H', fields: [[11, prior.clOrdId], [54, prior.side], [55, prior.symbol]] };
    }
    case 'orders':
      return {
        msgType: 'AF',
        fields: rest[0] ? [[584, state.nextId()], [585, '1'], [55, rest[0]]] : [[584, state.nextId()], [585, '7']],
      };
    case 'cancelall':
      return {
        msgType: 'q',
        fields: rest[0]
          ? [[11, state.nextId()], [530, '1'], [55, rest[0]], [60, state.now()]]
          : [[11, state.nextId()], [530, '7'], [60, state.now()]],
      };
    case 'book': {
      need(rest[0] !== undefined, 'book needs a symbol');
      const depth = rest[1] ?? '5';
      need(/^\d+$/.test(depth), 'depth must be a whole number (0 = full book)');
      return {
        msgType: 'V',
        fields: [[262, state.nextId()], [263, '1'], [264, depth], [265, '1']],
        groups: [
          { countTag: 267, instances: [[[269, '0']], [[269, '1']], [[269, '2']]] },
          { countTag: 146, instances: [[[55, rest[0].toUpperCase()]]] },
        ],
      };
    }
    case 'securities':
      return { msgType: 'x', fields: [[320, state.nextId()], [559, '4']] };
    case 'trades': {
      const minutes = Number(rest[0] ?? '60');
      need(Number.isInteger(minutes) && minutes > 0, 'trades takes a number of minutes');
      const from = new Date(Date.now() - minutes * 60_000);
      return {
        msgType: 'AD',
        fields: [[568, state.nextId()], [569, '1']],
        groups: [{ countTag: 580, instances: [[[60, stampOf(from)]]] }],
      };
    }
    default:
      throw new CommandError(`unknown command "${verb}" (try: buy, sell, cancel, replace, status, orders, cancelall, book, securities, trades, quit)`);
  }
}

interface Options {
  qty?: string;
  price?: string;
  account?: string;
  id?: string;
}

function options(words: string[]): Options {
  const o: Options = {};
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i]!.toLowerCase();
    const value = words[i + 1];
    need(value !== undefined, `${key} needs a value`);
    if (key === 'qty' || key === 'price' || key === 'account' || key === 'id') o[key] = value;
    else throw new CommandError(`unknown option ${key}`);
  }
  return o;
}

function newOrder(side: string, words: string[], state: ClientState): FixRequest {
  const [qty, symbol, ...rest] = words;
  decimal(qty, 'quantity');
  need(symbol !== undefined && /^[A-Za-z0-9._-]+$/.test(symbol), 'give a symbol, e.g. buy 0.5 BTCUSDT @ 60000');
  let ordType = '2';
  let price: string | undefined;
  let stopPx: string | undefined;
  let tif = '0';
  let post = false;
  let account: string | undefined;
  let id: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!.toLowerCase();
    if (w === '@') price = decimal(rest[++i], 'price');
    else if (w === 'market') ordType = '1';
    else if (w === 'stop') {
      ordType = '3';
      stopPx = decimal(rest[++i], 'stop price');
    } else if (w === 'stoplimit') {
      ordType = '4';
      stopPx = decimal(rest[++i], 'stop price');
    } else if (TIF[w] !== undefined) tif = TIF[w]!;
    else if (w === 'post') post = true;
    else if (w === 'account') account = rest[++i];
    else if (w === 'id') id = rest[++i];
    else throw new CommandError(`did not understand "${rest[i]}"`);
  }
  if (ordType === '3' && price !== undefined) ordType = '4';
  need(ordType === '1' || ordType === '3' || price !== undefined, 'a limit order needs a price: buy 0.5 BTCUSDT @ 60000');
  const clOrdId = id ?? state.nextId();
  const fields: Array<[number, string]> = [[11, clOrdId]];
  if (account) fields.push([1, account]);
  if (post) fields.push([18, '6']);
  fields.push([38, qty!], [40, ordType]);
  if (price !== undefined && ordType !== '1' && ordType !== '3') fields.push([44, price]);
  fields.push([54, side], [55, symbol.toUpperCase()], [59, tif], [60, state.now()]);
  if (stopPx !== undefined) fields.push([99, stopPx]);
  return { msgType: 'D', clOrdId, fields };
}

export function stampOf(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}
