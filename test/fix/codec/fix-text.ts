// Test helper: FIX messages written with '|' for SOH, with BodyLength and CheckSum filled in the way the
// QuickFIX runner's "fixify" step does (only when the text does not already carry them).

export function soh(text: string): Buffer {
  return Buffer.from(text.replace(/\|/g, '\x01'), 'latin1');
}

export function pipes(buf: Buffer | Uint8Array): string {
  return Buffer.from(buf).toString('latin1').replace(/\x01/g, '|');
}

/** "8=FIX.4.4|35=0|..." -> a complete message with 9= and 10= computed (explicit ones are kept). */
export function fix(text: string): Buffer {
  let body = text.replace(/\|/g, '\x01');
  if (!body.includes('\x019=')) {
    const afterBegin = body.indexOf('\x01') + 1;
    const hasTrailer = /\x0110=\d*\x01$/.test(body);
    const end = hasTrailer ? body.lastIndexOf('\x0110=') + 1 : body.length;
    const length = Buffer.byteLength(body.slice(afterBegin, end), 'latin1');
    body = `${body.slice(0, afterBegin)}9=${length}\x01${body.slice(afterBegin)}`;
  }
  if (!/\x0110=\d*\x01$/.test(body)) {
    let sum = 0;
    for (const b of Buffer.from(body, 'latin1')) sum += b;
    body += `10=${String(sum % 256).padStart(3, '0')}\x01`;
  }
  return Buffer.from(body, 'latin1');
}
