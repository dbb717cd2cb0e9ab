import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The one way a campaign's files are read: the path must resolve (symlinks followed) inside the
 * project root, name no hidden file or folder (.env, .git), be a regular file and fit under a cap
 * checked before a byte is read. A FIFO is opened non-blocking so it cannot hang the load.
 */

/** Templates and partials are prose: anything this large is a mistake or an attack. */
export const MAX_TEMPLATE_BYTES = 256 * 1024;
/** Campaign and locale YAML: parsing costs ~40x the file size in memory. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;

export interface ProjectFile {
  /** The path as resolved (symlinks kept), for messages. */
  readonly file: string;
  readonly bytes: Buffer;
}

/** Why a file was refused, with where in the text when that is known (decoding). */
export interface FileProblem {
  readonly problem: string;
  /** The file is not there (nor anything it links to): for optional files, not a problem. */
  readonly missing?: true;
  /** E_PATH (outside the project, not a regular file, too large), E_ENCODING; else the caller's own code. */
  readonly code?: 'E_PATH' | 'E_ENCODING';
  readonly line?: number;
  readonly col?: number;
}

export interface ReadLimits {
  readonly maxBytes: number;
  /** How the file is named in messages (the value as written in the campaign). */
  readonly shown: string;
  /** `template`, `reference`, ...: what the file is for. */
  readonly what: string;
  /**
   * The file itself may be hidden: the project's `.env`, the one hidden file Pressroom reads. Its
   * folders may not be, and a link may only lead to a hidden file of the same name.
   */
  readonly hiddenFile?: boolean;
}

export async function readProjectFile(file: string, projectRoot: string, limits: ReadLimits): Promise<ProjectFile | FileProblem> {
  const { shown, what } = limits;
  const inside = await insideProject(file, projectRoot, limits.hiddenFile ?? false);
  if (inside === 'missing') return { problem: `${what} not found: ${shown}`, missing: true };
  if (inside !== 'ok') return { code: 'E_PATH', problem: inside.replace('$', `${what} ${shown}`) };
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { problem: `${what} ${shown} cannot be read (${errnoText(err)})` };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { code: 'E_PATH', problem: `${what} ${shown} is a folder; expected a file` };
    if (!info.isFile()) return { code: 'E_PATH', problem: `${what} ${shown} is not a regular file (a pipe or device); expected a file` };
    if (info.size > limits.maxBytes) return { code: 'E_PATH', problem: `${what} ${shown} is ${sizeText(info.size)}; the limit is ${sizeText(limits.maxBytes)}` };
    const bytes = await handle.readFile();
    // The file may have grown between fstat and read.
    if (bytes.length > limits.maxBytes) return { code: 'E_PATH', problem: `${what} ${shown} is over the limit of ${sizeText(limits.maxBytes)}` };
    return { file, bytes };
  } catch (err) {
    return { problem: `${what} ${shown} cannot be read (${errnoText(err)})` };
  } finally {
    await handle.close();
  }
}

/** readProjectFile, decoded as text (see decodeText). */
export async function readProjectText(
  file: string,
  projectRoot: string,
  limits: ReadLimits,
): Promise<{ readonly file: string; readonly text: string } | FileProblem> {
  const read = await readProjectFile(file, projectRoot, limits);
  if ('problem' in read) return read;
  const decoded = decodeText(read.bytes);
  if ('offset' in decoded) {
    return { code: 'E_ENCODING', problem: `${limits.what} ${limits.shown} is not valid UTF-8 (byte ${decoded.offset}); save it as UTF-8`, line: decoded.line, col: decoded.col };
  }
  return { file: read.file, text: decoded.text };
}

/** A folder the campaign names (locale folder): inside the project and not hidden. */
export async function checkProjectFolder(dir: string, projectRoot: string, shown: string): Promise<'ok' | 'missing' | string> {
  const inside = await insideProject(dir, projectRoot, false);
  return typeof inside === 'string' && inside !== 'ok' && inside !== 'missing' ? inside.replace('$', shown) : inside;
}

/**
 * UTF-8 (a leading BOM dropped) or UTF-16 with a BOM (editors on Windows save that as "Unicode").
 * Invalid UTF-8 is refused rather than replaced: a replacement character in a prompt is paid for.
 */
export function decodeText(bytes: Uint8Array): { readonly text: string } | { readonly offset: number; readonly line: number; readonly col: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be');
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
  const offset = firstInvalidByte(bytes, text);
  if (offset === undefined) return { text };
  const before = new TextDecoder('utf-8').decode(bytes.subarray(bomLength(bytes), offset));
  const lines = before.split('\n');
  return { offset, line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): { readonly text: string } | { readonly offset: number; readonly line: number; readonly col: number } {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { offset: 0, line: 1, col: 1 };
  }
}

/** Where the lenient decode put its first U+FFFD that the file did not itself contain. */
function firstInvalidByte(bytes: Uint8Array, text: string): number | undefined {
  let from = 0;
  for (;;) {
    const at = text.indexOf('\uFFFD', from);
    if (at < 0) return undefined;
    // Everything before the first replacement decoded faithfully, so its UTF-8 length is its byte length.
    const offset = Buffer.byteLength(text.slice(0, at)) + bomLength(bytes);
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    from = at + 1;
  }
}

/** TextDecoder drops a UTF-8 BOM from the text; offsets into the bytes must count it back. */
function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

async function insideProject(path: string, projectRoot: string, hiddenFile: boolean): Promise<'ok' | 'missing' | string> {
  let real: string;
  let root: string;
  try {
    root = await realpath(projectRoot);
    real = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return `$ cannot be read (${errnoText(err)})`;
  }
  const rel = relative(root, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return `$ is outside the project (${real === resolve(path) ? 'it is' : 'through a symlink it resolves to'} ${real}); files must stay inside ${root}`;
  }
  const parts = rel.split(sep);
  const allowed = hiddenFile && parts.at(-1) === basename(path) ? parts.length - 1 : -1;
  if (parts.some((part, i) => part.startsWith('.') && i !== allowed)) {
    const what = real === resolve(path) ? 'is' : `resolves to ${rel}, which is`;
    return `$ ${what} a hidden file or inside a hidden folder (.env, .git, ...); those are never read`;
  }
  return 'ok';
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? 'error';
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
