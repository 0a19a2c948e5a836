// TradeDate(75) as YYYYMMDD in UTC, cached per day so that writing it costs nothing per message.

const DAY_MS = 86_400_000;

export class TradeDateFormatter {
  private day = -1;
  private text = '';

  format(epochMs: number): string {
    const day = Math.floor(epochMs / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      const d = new Date(day * DAY_MS);
      this.text = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    }
    return this.text;
  }
}
