// What check() answers when an order may not go to the book. The venue journals the command with the
// refusal's reason and text (risk limits are not journaled, so the decision must be), and the core turns
// it into a RejectedEvent; the gateway sends ExecType=Rejected with OrdRejReason, or an
// OrderCancelReject with CxlRejReason for a replace.

import { RejectReason } from '../../venue/model/enums.js';
import type { LimitName } from './limit-names.js';

/** FIX OrdRejReason(103) values used by risk. */
export const OrdRejReason = { BrokerCredit: 0, OrderExceedsLimit: 3, Other: 99 } as const;
/** FIX CxlRejReason(102) values used by risk. */
export const CxlRejReason = { BrokerCredit: 2, Other: 99 } as const;

export interface RiskRefusal {
  reason: typeof RejectReason.RiskLimit | typeof RejectReason.KillSwitch;
  /** FIX OrdRejReason(103): 0 broker credit (credit limit), 3 order exceeds limit, 99 other (kill switch). */
  ordRejReason: number;
  /** FIX CxlRejReason(102) for a refused replace: 2 broker credit for the credit limit, else 99 other. */
  cxlRejReason: number;
  /** Names the limit and both numbers, e.g. "max order qty exceeded: 150 > 100 (account ACC1, BTCUSDT)". */
  text: string;
  /** The limit that refused, or 'kill-switch'. */
  limit: LimitName | 'kill-switch';
}

export function limitRefusal(limit: LimitName, text: string): RiskRefusal {
  const credit = limit === 'creditLimit';
  return {
    reason: RejectReason.RiskLimit,
    ordRejReason: credit ? OrdRejReason.BrokerCredit : OrdRejReason.OrderExceedsLimit,
    cxlRejReason: credit ? CxlRejReason.BrokerCredit : CxlRejReason.Other,
    text,
    limit,
  };
}

export function killRefusal(text: string): RiskRefusal {
  return { reason: RejectReason.KillSwitch, ordRejReason: OrdRejReason.Other, cxlRejReason: CxlRejReason.Other, text, limit: 'kill-switch' };
}
