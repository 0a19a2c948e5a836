// The path of every command into the venue: pre-trade risk for orders and replaces, then the journal and the
// book. A command risk refuses is journaled as a RejectCommand carrying the refusal, so that replaying the
// journal reproduces the decision without asking risk again (limits change at runtime and are not journaled).
// Single-threaded and synchronous: the events of a command are delivered before submit() returns.

import type { NewOrderCommand, RejectCommand, ReplaceCommand, VenueCommand } from '../model/commands.js';
import type { RejectReason } from '../model/enums.js';

/** Pre-trade checks (src/risk implements this). In memory, synchronous, no I/O. */
export interface PreTradeCheck {
  check(cmd: NewOrderCommand | ReplaceCommand): PreTradeRefusal | null;
}

export interface PreTradeRefusal {
  reason: RejectReason;
  /** FIX OrdRejReason(103) for a new order; CxlRejReason(102) for a replace. */
  ordRejReason: number;
  cxlRejReason: number;
  text: string;
}

/**
 * Where a new order goes (src/routing implements this): the same command with its external route set (or left
 * for the local book), or a refusal (its route is down and there is no fallback). Decided before the journal,
 * so a replay never decides again. In memory, synchronous, no I/O.
 */
export interface OrderRouter {
  route(cmd: NewOrderCommand): NewOrderCommand | RejectCommand;
}

/** Where commands go once they are allowed: the journaled venue. */
export interface CommandSink {
  apply(cmd: VenueCommand): number;
}

export class OrderPipeline {
  constructor(
    private readonly sink: CommandSink,
    private readonly preTrade: PreTradeCheck | null,
    private readonly router: OrderRouter | null = null,
  ) {}

  submit(cmd: VenueCommand): void {
    if (this.preTrade !== null && (cmd.type === 'new' || cmd.type === 'replace')) {
      const refusal = this.preTrade.check(cmd);
      if (refusal !== null) {
        this.sink.apply(refusedCommand(cmd, refusal));
        return;
      }
    }
    if (this.router !== null && cmd.type === 'new') {
      this.sink.apply(this.router.route(cmd));
      return;
    }
    this.sink.apply(cmd);
  }
}

export function refusedCommand(cmd: NewOrderCommand | ReplaceCommand, refusal: PreTradeRefusal): RejectCommand {
  return {
    type: 'reject',
    time: cmd.time,
    session: cmd.session,
    firm: cmd.firm,
    account: cmd.account,
    command: cmd.type,
    clOrdId: cmd.clOrdId,
    origClOrdId: cmd.type === 'replace' ? cmd.origClOrdId : '',
    symbol: cmd.symbol,
    side: cmd.side,
    sideCode: String(cmd.side),
    reason: refusal.reason,
    text: refusal.text,
    ordRejReason: refusal.ordRejReason,
    cxlRejReason: refusal.cxlRejReason,
  };
}
