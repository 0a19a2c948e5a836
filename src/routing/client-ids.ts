// The client order ids we send to external venues, derived from the venue's own numbers so that nothing needs to
// be stored to map an external report back to the member's order, and a restart finds every order again:
//
//   <prefix><orderId>            the order as first sent
//   <prefix><orderId>-<seq>      the order after a replace (seq: the command seq of that replace)
//   <prefix><orderId>-c<seq>     a cancel request (seq: the command seq of the cancel)
//
// The prefix is the route's configured prefix plus the first characters of the journal's id, so a venue started
// on a fresh journal (order ids from 1 again) never reuses an id it sent before. Every id fits Binance's rule
// (^[.A-Z:/a-z0-9_-]{1,36}$) and a FIX ClOrdID.

const TAIL = /^(\d{1,15})(?:-(c?)(\d{1,15}))?$/;

export interface ParsedClientId {
  orderId: number;
  /** 0 for the first incarnation; the replace's command seq; or the cancel's command seq when `cancel`. */
  seq: number;
  cancel: boolean;
}

export class ClientIds {
  constructor(readonly prefix: string) {}

  /** The prefix for a route: its configured start, then six characters of the journal id and a dot. */
  static forJournal(configured: string, journalId: string): ClientIds {
    return new ClientIds(`${configured}${journalId.slice(0, 6)}.`);
  }

  /** Id of an order's external incarnation (0 = as first sent). */
  order(orderId: number, incarnation: number): string {
    return incarnation === 0 ? `${this.prefix}${orderId}` : `${this.prefix}${orderId}-${incarnation}`;
  }

  /** Id of a cancel request (its command seq). */
  cancel(orderId: number, requestSeq: number): string {
    return `${this.prefix}${orderId}-c${requestSeq}`;
  }

  /** The order an id names, or null when it is not one of ours (another system's order on a shared account). */
  parse(id: string): ParsedClientId | null {
    if (!id.startsWith(this.prefix)) return null;
    const m = TAIL.exec(id.slice(this.prefix.length));
    if (m === null) return null;
    return { orderId: Number(m[1]), seq: m[3] === undefined ? 0 : Number(m[3]), cancel: m[2] === 'c' };
  }
}
