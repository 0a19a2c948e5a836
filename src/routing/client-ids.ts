// The client order ids we send to external venues, derived from the venue's own numbers so that nothing needs to
// be stored to map an external report back to the member's order, and a restart finds every order again:
//
//   <prefix><orderId>            the order as first sent
//   <prefix><orderId>-<seq>      the order after a replace (seq: the command seq of that replace)
//   <prefix><orderId>_<seq>      a cancel request (seq: the command seq of the cancel)
//
// Numbers are written in base 36, so even the largest fit. The prefix is the route's configured prefix (at most
// 6 characters) plus four characters of the journal's id and a dot, so a venue started on a fresh journal (order
// ids from 1 again) does not reuse an id it sent before. Every id fits Binance's rule (^[.A-Z:/a-z0-9_-]{1,36}$)
// and a FIX ClOrdID.

const TAIL = /^([0-9a-z]{1,11})(?:([-_])([0-9a-z]{1,11}))?$/;

export interface ParsedClientId {
  orderId: number;
  /** 0 for the first incarnation; the replace's command seq; or the cancel's command seq when `cancel`. */
  seq: number;
  cancel: boolean;
}

export class ClientIds {
  constructor(readonly prefix: string) {}

  /** The prefix for a route: its configured start, then four characters of the journal id and a dot. */
  static forJournal(configured: string, journalId: string): ClientIds {
    return new ClientIds(`${configured}${journalId.slice(0, 4)}.`);
  }

  /** Id of an order's external incarnation (0 = as first sent). */
  order(orderId: number, incarnation: number): string {
    const id = orderId.toString(36);
    return incarnation === 0 ? `${this.prefix}${id}` : `${this.prefix}${id}-${incarnation.toString(36)}`;
  }

  /** Id of a cancel request (its command seq). */
  cancel(orderId: number, requestSeq: number): string {
    return `${this.prefix}${orderId.toString(36)}_${requestSeq.toString(36)}`;
  }

  /** The order an id names, or null when it is not one of ours (another system's order on a shared account). */
  parse(id: string): ParsedClientId | null {
    if (!id.startsWith(this.prefix)) return null;
    const m = TAIL.exec(id.slice(this.prefix.length));
    if (m === null) return null;
    return { orderId: parseInt(m[1]!, 36), seq: m[3] === undefined ? 0 : parseInt(m[3], 36), cancel: m[2] === '_' };
  }
}
