import { resolve, sep } from 'node:path';
import { PressroomError, messageOf, type OutputErrorCode } from '../core/errors.js';
import { relativeInside } from '../core/path-inside.js';
import { writeFileAtomic } from './atomic.js';

/** The errno of a failed write in words, and the stable code a failure carries. */
type WriteErrorCode = Exclude<OutputErrorCode, 'E_UNSAFE_PATH'>;

const REASONS: Readonly<Record<string, { code: WriteErrorCode; words: string }>> = {
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
    override readonly code: WriteErrorCode,
    readonly reason: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(code, messageOf(code, { reason, file: path }), options);
  }

  /** The failure in the catalogue's words, naming the file as the reader knows it. */
  describe(shownPath: string): string {
    return messageOf(this.code, { reason: this.reason, file: shownPath });
  }

  /** `describe`, for a file under `dir` that the reader knows as under `shownDir` (out/demo), else by its own path. */
  describeUnder(dir: string, shownDir: string): string {
    const rel = relativeInside(resolve(dir), resolve(this.path));
    return this.describe(rel ? `${shownDir}/${rel.split(sep).join('/')}` : this.path);
  }
}

/** An errno in words (`ENOSPC`: disk full); the code itself when there are none. */
export function errnoWords(err: unknown): string {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  return REASONS[errno]?.words ?? (errno || String((err as Error | undefined)?.message ?? err));
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
