// MsgType of raw bytes that may not parse (QuickFIX's identifyType): the session needs it to tell whether a
// dropped frame was a Logon, in which case the connection is closed instead of ignoring the frame.

import { SOH } from './ascii.js';

/** Value of the first "35=" field in buf[start, end), or undefined when there is none. */
export function identifyMsgType(buf: Buffer, start = 0, end = buf.length): string | undefined {
  let i = start;
  // "35=" at the very start or right after an SOH
  for (;;) {
    const at = buf.indexOf('35=', i, 'latin1');
    if (at < 0 || at + 3 > end) return undefined;
    if (at === start || buf[at - 1] === SOH) {
      const valueEnd = buf.indexOf(SOH, at + 3);
      if (valueEnd < 0 || valueEnd > end) return undefined;
      return buf.toString('latin1', at + 3, valueEnd);
    }
    i = at + 1;
  }
}

const LOGON_MARK = Buffer.from('\x0135=A\x01', 'latin1');

/** True when buf[start, end) carries a 35=A field (a Logon), whether the frame parses or not. */
export function isLogonFrame(buf: Buffer, start: number, end: number): boolean {
  const at = buf.indexOf(LOGON_MARK, start);
  return at >= 0 && at + LOGON_MARK.length <= end;
}
