// The page-cache level of durability: a turn's batch goes to its file with one synchronous positional write on the
// event loop. Once pwrite() returns, the bytes are in the kernel's page cache and survive a crash of this process
// (kill -9, an uncaught error); they are not yet on the platter and do not survive a crash of the machine (that is
// the fsync level, which the write thread serves: write-thread.ts). QuickFIX's FileStore does the same with fwrite +
// fflush per message; Chronicle-style journals with a memory-mapped append. Writing the whole turn at once keeps it
// to one system call per file per turn, a few microseconds, which is far less than handing the batch to another
// thread and waiting to be woken (tens of microseconds on a busy two-core VM).

import fs from 'node:fs';

/**
 * Writes buf[offset, offset + length) at `position` of `fd`, looping over short writes. Throws the system error
 * (ENOSPC, EIO, ...); part of the bytes may have landed before it, which the caller cuts off (see truncateQuietly).
 */
export function writeFullySync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = fs.writeSync(fd, buf, offset + done, length - done, position + done);
    if (n <= 0) throw Object.assign(new Error('EIO: write made no progress'), { code: 'EIO', errno: -5, syscall: 'write' });
    done += n;
  }
}

/** Cuts a file back to `length` after a failed write (best effort: the disk that failed may refuse this too). */
export function truncateQuietly(fd: number, length: number): void {
  try {
    fs.ftruncateSync(fd, length);
  } catch {
    // The torn bytes stay; the reader's checksums recognise them as a torn tail at the next start.
  }
}

/** An Error for anything thrown (writeSync throws system errors, but a caller must not assume it). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
