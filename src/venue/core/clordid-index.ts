// Live orders by (session, ClOrdID), the lookup behind every cancel and replace.
//
// A string-keyed Map costs a cache miss on the key string, one on the bucket and one on the stored key
// per probe (about 140 ns each with 100k live orders), and a replace needs four probes. Here the key is a
// 32-bit hash of session and ClOrdID, computed from characters the caller has just produced (warm in
// cache), and the order carries it (see order-slots.ts). Orders whose hashes collide are told apart by
// comparing the real strings.

import type { Order } from './order.js';
import { OrderSlots } from './order-slots.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const EMPTY = undefined;

/** FNV-1a over the session, a separator and the ClOrdID. */
export function clOrdIdHash(session: string, clOrdId: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < session.length; i++) h = Math.imul(h ^ session.charCodeAt(i), FNV_PRIME);
  h = Math.imul(h ^ 0x1f, FNV_PRIME);
  for (let i = 0; i < clOrdId.length; i++) h = Math.imul(h ^ clOrdId.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

export class ClOrdIdIndex extends OrderSlots {
  constructor(initialCapacity = 4096) {
    super(initialCapacity);
  }

  protected keyOf(order: Order): number {
    return order.clHash;
  }

  /** The live order with this session and ClOrdID; `hash` is clOrdIdHash(session, clOrdId). */
  find(hash: number, session: string, clOrdId: string): Order | undefined {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const o = slots[i];
      if (o === EMPTY) return undefined;
      if (o.clHash === hash && o.clOrdId === clOrdId && o.session === session) return o;
      i = (i + 1) & mask;
    }
  }

  get(session: string, clOrdId: string): Order | undefined {
    if (typeof session !== 'string' || typeof clOrdId !== 'string') return undefined;
    return this.find(clOrdIdHash(session, clOrdId), session, clOrdId);
  }

  has(session: string, clOrdId: string): boolean {
    return this.get(session, clOrdId) !== undefined;
  }

  /** Indexes the order under its current session and ClOrdID; pass the hash when already computed. */
  add(order: Order, hash = clOrdIdHash(order.session, order.clOrdId)): void {
    order.clHash = hash;
    this.insert(order);
  }
}
