// MDEntryDate(272) "YYYYMMDD" and MDEntryTime(273) "HH:MM:SS.sss" from epoch milliseconds, written as bytes from
// one reused buffer (no string per trade). The date part is recomputed only when the day changes.

import type { FieldWriter } from '../fix/index.js';

const DAY_MS = 86_400_000;

export class UtcStampWriter {
  private readonly dateBytes = Buffer.alloc(8);
  private readonly timeBytes = Buffer.alloc(12);
  private day = Number.NaN;

  date(w: FieldWriter, tag: number, epochMs: number): void {
    const day = Math.floor(epochMs / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      const d = new Date(day * DAY_MS);
      const b = this.dateBytes;
      digits(b, 0, d.getUTCFullYear(), 4);
      digits(b, 4, d.getUTCMonth() + 1, 2);
      digits(b, 6, d.getUTCDate(), 2);
    }
    w.bytes(tag, this.dateBytes, 0, 8);
  }

  time(w: FieldWriter, tag: number, epochMs: number): void {
    let ms = epochMs - Math.floor(epochMs / DAY_MS) * DAY_MS;
    const b = this.timeBytes;
    const h = Math.floor(ms / 3_600_000);
    ms -= h * 3_600_000;
    const m = Math.floor(ms / 60_000);
    ms -= m * 60_000;
    const s = Math.floor(ms / 1000);
    ms -= s * 1000;
    digits(b, 0, h, 2);
    b[2] = 0x3a;
    digits(b, 3, m, 2);
    b[5] = 0x3a;
    digits(b, 6, s, 2);
    b[8] = 0x2e;
    digits(b, 9, ms, 3);
    w.bytes(tag, b, 0, 12);
  }
}

function digits(b: Buffer, at: number, value: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    b[at + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}
