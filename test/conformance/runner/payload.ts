// Payload processing of the QuickFIX runner, in its order: timeify (<TIME>, <TIME+n>, <TIME-n> as UTC seconds, no
// millis, the clock re-read for every substitution), fileify (<FILE:path>), then fixify (BodyLength and CheckSum
// added only when absent; explicit values, even wrong ones, are kept).

import { readFileSync } from 'node:fs';

const SOH = '\x01';

export function processPayload(payload: string, now: () => number = Date.now): string {
  return fixify(fileify(timeify(payload, now)));
}

export function timeify(payload: string, now: () => number = Date.now): string {
  return payload.replace(/<TIME([+-]\d+)?>/g, (_m, offset: string | undefined) => {
    const shift = offset === undefined ? 0 : Number(offset);
    return formatUtcSeconds(now() + shift * 1000);
  });
}

export function fileify(payload: string): string {
  return payload.replace(/<FILE:([^>]*)>/g, (_m, path: string) => readFileSync(path, 'latin1').trim());
}

/** Adds 9= right after field 8 when no "\x019=" exists, and 10= when no "\x0110=" exists, as Reflector.rb does. */
export function fixify(message: string): string {
  if (!/^8=[^\x01]*\x01/.test(message)) return message;
  let out = message;
  if (!out.includes(`${SOH}9=`)) {
    const head = out.indexOf(SOH);
    let tail = out.indexOf(`${SOH}10=`);
    if (tail < 0) tail = out.length - 1;
    const length = tail - head;
    out = `${out.slice(0, head)}${SOH}9=${length}${out.slice(head)}`;
  }
  if (!out.includes(`${SOH}10=`)) {
    let sum = 0;
    for (let i = 0; i < out.length; i++) sum += out.charCodeAt(i) & 0xff;
    out += `10=${String(sum % 256).padStart(3, '0')}${SOH}`;
  }
  return out;
}

export function formatUtcSeconds(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}-` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
  );
}
