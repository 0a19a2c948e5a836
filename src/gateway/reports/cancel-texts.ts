// Text(58) that tells a member why the venue ended an order without being asked.

import { CancelReason } from '../../venue/model/enums.js';

export function cancelText(reason: CancelReason, requestId: string): string {
  switch (reason) {
    case CancelReason.UserRequest:
      return '';
    case CancelReason.MassCancel:
      return requestId ? `cancelled by mass cancel ${requestId}` : 'cancelled by mass cancel';
    case CancelReason.ImmediateOrCancel:
      return 'IOC: unfilled quantity cancelled';
    case CancelReason.FillOrKill:
      return 'FOK: could not be filled in full at once';
    case CancelReason.MarketNoLiquidity:
      return 'market order: no more liquidity, rest cancelled';
    case CancelReason.PriceBand:
      return 'rest cancelled at the price band limit';
    case CancelReason.SelfTrade:
      return 'cancelled by self-trade prevention';
    case CancelReason.Disconnect:
      return 'cancelled on disconnect';
    case CancelReason.KillSwitch:
      return 'cancelled by kill switch';
    case CancelReason.Halt:
      return 'cancelled: instrument halted';
    case CancelReason.AuctionUnexecuted:
      return 'market order not executed in the auction: cancelled';
    default:
      return String(reason);
  }
}
