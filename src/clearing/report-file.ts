// Report files are written whole or not at all: lines stream into "<name>.tmp" (a report can be larger than
// a string may be), which is fsynced and renamed over the final name. A reader never sees half a report,
// and a worker killed halfway leaves only a temp file that the retry overwrites.

import fs from 'node:fs';
import path from 'node:path';

export class ReportFile {
  private readonly stream: fs.WriteStream;
  private readonly tmp: string;
  private failure: Error | null = null;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.tmp = `${file}.tmp`;
    this.stream = fs.createWriteStream(this.tmp);
    this.stream.on('error', (err) => (this.failure ??= err));
  }

  /** Queues text; resolves at once unless the stream wants the caller to wait (backpressure). */
  async write(text: string): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', reject);
      });
    }
  }

  /** Flushes, fsyncs and renames into place. */
  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    if (this.failure !== null) throw this.failure;
    const fd = await fs.promises.open(this.tmp, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(this.tmp, this.file);
  }

  /** Gives up: closes and removes the temp file. */
  async abort(): Promise<void> {
    if (!this.stream.closed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', () => resolve());
        this.stream.destroy();
      });
    }
    await fs.promises.rm(this.tmp, { force: true });
  }
}

/** One CSV record (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvRow(fields: ReadonlyArray<string | number>): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const v = String(fields[i]);
    if (i > 0) out += ',';
    out += /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }
  return out + '\r\n';
}
