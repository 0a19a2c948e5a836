// Builds the RejectCommand for a request the gateway refuses before it reaches the book (unknown symbol,
// wrong account, a price off the tick's precision, throttled ...). Going through the journal gives the
// refusal a unique ExecID and puts it in the record compliance reads.

import type { RejectCommand } from '../../venue/model/commands.js';
import type { RejectReason, Side } from '../../venue/model/enums.js';

export function refusal(
  command: RejectCommand['command'],
  origin: { session: string; firm: string; account: string },
  clOrdId: string,
  origClOrdId: string,
  symbol: string,
  side: Side | 0,
  sideCode: string,
  reason: RejectReason,
  text: string,
  ordRejReason = -1,
): RejectCommand {
  return {
    type: 'reject',
    time: Date.now(),
    session: origin.session,
    firm: origin.firm,
    account: origin.account,
    command,
    clOrdId,
    origClOrdId,
    symbol,
    side,
    sideCode,
    reason,
    text,
    ordRejReason,
    cxlRejReason: -1,
  };
}
