// Fault injection for tests (not part of Binance's API): what the simulator should do wrong next.
//  - failNext: answer the next request to a trading endpoint with an error of our choosing (HTTP 5xx, or
//    -1007 TIMEOUT), after executing it or without executing it: the "outcome unknown" cases.
//  - hang: stop answering REST requests (they are held until resume, then their connections dropped).
//  - WebSocket: refuse new connections, stop answering (requests and pings) on open ones, or drop them.

/** Which requests a queued failure hits: a trading endpoint, or 'any' REST request (e.g. a WAF 403). */
export type FaultEndpoint = 'order' | 'cancel' | 'cancelReplace' | 'amend' | 'cancelOpenOrders' | 'any';

export interface InjectedFailure {
  /** HTTP status to answer with. */
  status: number;
  code: number;
  msg: string;
  /** true: the request takes effect, only its answer is replaced. false: it never reaches the exchange. */
  execute: boolean;
  endpoint: FaultEndpoint;
}

export const TIMEOUT_MSG = 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.';

export interface FailNextOptions {
  status?: number;
  code?: number;
  msg?: string;
  execute?: boolean;
  endpoint?: FaultEndpoint;
}

/** HTTP 503, or whatever status/code is given. Default: the order executes and the answer is lost. */
export function injectedFailure(opts: FailNextOptions = {}): InjectedFailure {
  const status = opts.status ?? (opts.code === -1007 ? 408 : 503);
  const code = opts.code ?? -1001;
  const msg = opts.msg ?? (code === -1007 ? TIMEOUT_MSG : 'Internal error; unable to process your request. Please try again.');
  return { status, code, msg, execute: opts.execute ?? true, endpoint: opts.endpoint ?? 'order' };
}

export class Faults {
  private readonly queue: InjectedFailure[] = [];
  hangRest = false;
  refuseWebSocket = false;
  hangWebSocket = false;

  failNext(opts: FailNextOptions = {}): InjectedFailure {
    const f = injectedFailure(opts);
    this.queue.push(f);
    return f;
  }

  /** The failure queued for this endpoint (or for any request), removed from the queue. */
  take(endpoint: FaultEndpoint | undefined): InjectedFailure | undefined {
    const i = this.queue.findIndex((f) => f.endpoint === 'any' || f.endpoint === endpoint);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  clear(): void {
    this.queue.length = 0;
    this.hangRest = false;
    this.refuseWebSocket = false;
    this.hangWebSocket = false;
  }
}
