import { PressroomError, type OutputErrorCode } from '../core/errors.js';
import { writeFileAtomic } from './atomic.js';

/** The errno of a failed write in words, and the stable code a failure carries. */
const REASONS: Readonly<Record<string, { code: OutputErrorCode; words: string }>> = {
  ENOSPC: { code: 'E_DISK_FULL', words: 'disk full' },
  EDQUOT: { code: 'E_DISK_FULL', words: 'disk quota exceeded' },
  EIO: { code: 'E_IO', words: 'I/O error' },
  EROFS: { code: 'E_WRITE', words: 'read-only file system' },
  EACCES: { code: 'E_WRITE', words: 'permission denied' },
  EPERM: { code: 'E_WRITE', words: 'operation not permitted' },
  ENOTDIR: { code: 'E_WRITE', words: 'a file is in the way of a folder' },
  EISDIR: { code: 'E_WRITE', words: 'a folder is in the way' },
};

/**
 * A file Pressroom could not write. `path` is the target (never the temporary file the errno
 * named); `reason` is the errno in words. Messages shown to people are made with `describe`, which
 * is given the path as the reader knows it.
 */
export class WriteError extends PressroomError {
  constructor(
    code: OutputErrorCode,
    readonly reason: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${reason} writing ${path}`, options);
  }

  describe(shownPath: string): string {
    return `${this.reason} writing ${shownPath}`;
  }
}

/** `err` as a WriteError about `path` when it is a file-system error, else `err` unchanged. */
export function asWriteError(err: unknown, path: string): unknown {
  if (err instanceof WriteError) return err;
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno !== 'string' || !/^E[A-Z]+$/.test(errno)) return err;
  const known = REASONS[errno];
  return new WriteError(known?.code ?? 'E_WRITE', known?.words ?? errno, path, { cause: err });
}

/** `writeFileAtomic`, failing with a WriteError that names `path` and the errno in words. */
export async function writeOutputFile(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (err) {
    throw asWriteError(err, path);
  }
}
