import type { ConfigNode } from './config-reader.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import type { TradingStatus } from '../venue/model/enums.js';

const KEYS = [
  'symbol', 'baseAsset', 'quoteAsset', 'tickSize', 'lotSize', 'minQty', 'maxQty', 'minNotional',
  'priceBandPercent', 'referencePrice', 'status', 'route',
] as const;

/** Parses one instrument; tick and lot sizes fix the scales of every other price and quantity. */
export function readInstrument(node: ConfigNode): InstrumentSpec {
  node.onlyKeys([...KEYS]);
  const symbol = node.nonEmptyStr('symbol');
  if (!/^[A-Z0-9._-]{1,32}$/.test(symbol)) node.fail('an upper-case symbol of letters and digits', 'symbol', symbol);
  const priceDecimals = node.decimalPlaces('tickSize');
  const qtyDecimals = node.decimalPlaces('lotSize');
  const tickSize = node.decimal('tickSize', priceDecimals);
  const lotSize = node.decimal('lotSize', qtyDecimals);
  const minQty = node.decimal('minQty', qtyDecimals, node.str('lotSize'));
  const maxQty = node.decimal('maxQty', qtyDecimals, '1000000');
  if (minQty % lotSize !== 0) node.fail('a multiple of lotSize', 'minQty', node.str('minQty'));
  if (maxQty < minQty) node.fail('at least minQty', 'maxQty', node.str('maxQty'));
  const referencePrice = node.decimal('referencePrice', priceDecimals, '0');
  if (referencePrice % tickSize !== 0) node.fail('a multiple of tickSize', 'referencePrice', node.str('referencePrice'));
  const priceBandPercent = node.ratio('priceBandPercent', 0);
  if (priceBandPercent > 100) node.fail('a percentage from 0 to 100', 'priceBandPercent', priceBandPercent);
  return {
    symbol,
    baseAsset: node.nonEmptyStr('baseAsset'),
    quoteAsset: node.nonEmptyStr('quoteAsset'),
    priceDecimals,
    qtyDecimals,
    tickSize,
    lotSize,
    minQty,
    maxQty,
    minNotional: node.decimal('minNotional', priceDecimals + qtyDecimals, '0'),
    priceBandPercent,
    referencePrice,
    status: node.oneOf<TradingStatus>('status', ['open', 'halted', 'closed'], 'open'),
  };
}

export function readInstruments(root: ConfigNode): InstrumentSpec[] {
  const list = root.items('instruments').map(readInstrument);
  if (list.length === 0) root.fail('at least one instrument', 'instruments');
  const seen = new Set<string>();
  list.forEach((inst, i) => {
    if (seen.has(inst.symbol)) root.child('instruments').fail('unique symbols', i, inst.symbol);
    seen.add(inst.symbol);
  });
  return list;
}
