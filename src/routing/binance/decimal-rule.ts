// Binance's format rule for DECIMAL parameters (price, quantity, stopPrice ...): plain digits, an optional
// fraction, at most 20 digits each side, no sign and no exponent. Anything else is answered with -1100, so
// both our client (before sending) and our simulator (on receipt) apply exactly this rule.

export const DECIMAL_RULE_SOURCE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const DECIMAL_RULE = new RegExp(DECIMAL_RULE_SOURCE);

export function isBinanceDecimal(text: string): boolean {
  return DECIMAL_RULE.test(text);
}

/** The -1100 message Binance sends for a DECIMAL parameter that breaks the rule. */
export function illegalDecimalMessage(param: string): string {
  return `Illegal characters found in parameter '${param}'; legal range is '${DECIMAL_RULE_SOURCE}'.`;
}

/** Client order ids: what Binance accepts for newClientOrderId and friends. */
export const CLIENT_ORDER_ID_RULE_SOURCE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';
const CLIENT_ORDER_ID_RULE = new RegExp(CLIENT_ORDER_ID_RULE_SOURCE);

export function isValidClientOrderId(text: string): boolean {
  return CLIENT_ORDER_ID_RULE.test(text);
}
