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
