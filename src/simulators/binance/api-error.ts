// A Binance error answer: HTTP status, code and msg (errors.md), optionally with `data` (cancel-replace).
// Thrown by the simulator's exchange logic and turned into the JSON body by the REST and WebSocket layers.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    readonly data?: unknown,
  ) {
    super(msg);
  }

  toJson(): { code: number; msg: string; data?: unknown } {
    return this.data === undefined ? { code: this.code, msg: this.message } : { code: this.code, msg: this.message, data: this.data };
  }
}

export function badRequest(code: number, msg: string): ApiError {
  return new ApiError(400, code, msg);
}

export const UNKNOWN_ORDER = 'Unknown order sent.';
