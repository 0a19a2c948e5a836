// Can a directory be written again? The storage recovery asks this of the directory of a failed journal or session
// store before it restarts the venue on it. A probe does what a batch write needs: create a file, write to it, make
// it durable (fdatasync), and remove it. 64 KiB rather than a byte: a disk with a few blocks left may take a tiny
// write and still refuse the next batch.

import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const PROBE_BYTES = 64 * 1024;
const probeData = Buffer.alloc(PROBE_BYTES, 0x2e);

/** Resolves when `dir` took a write and an fdatasync; rejects with the error that stopped it (ENOSPC, EIO, ...). */
export async function probeDirectory(dir: string): Promise<void> {
  const file = join(dir, `.storage-probe-${process.pid}`);
  // 'w': a probe file left by a process killed mid-probe is simply reused.
  const fh = await open(file, 'w');
  try {
    let written = 0;
    while (written < PROBE_BYTES) written += (await fh.write(probeData, written, PROBE_BYTES - written, written)).bytesWritten;
    await fh.datasync();
  } finally {
    await fh.close().catch(() => {});
    await unlink(file).catch(() => {});
  }
}
