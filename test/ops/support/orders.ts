// FIX message bodies for the ops tests (plain tag=value text, built by the independent test client).

import { FixTestClient, stamp } from '../../support/fix-test-client.js';

export function limitOrder(clOrdId: string, side: '1' | '2', qty: string, price: string, symbol = 'BTCUSDT', extra: Array<[number, string]> = []): string {
  return FixTestClient.body([[11, clOrdId], [38, qty], [40, '2'], [44, price], [54, side], [55, symbol], [59, '1'], [60, stamp()], ...extra]);
}

export function cancelRequest(clOrdId: string, origClOrdId: string, side: '1' | '2', symbol = 'BTCUSDT'): string {
  return FixTestClient.body([[11, clOrdId], [41, origClOrdId], [54, side], [55, symbol], [60, stamp()]]);
}
