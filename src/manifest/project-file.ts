import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { relativeInside } from '../core/path-inside.js';
import { fileSentence, type FileFacts, type FileRefusal } from '../core/phrases.js';

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
  readonly facts: FileFacts;
  /** The facts in the catalogue's words (fileSentence). */
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

/** A refused file: `code` when the refusal is by rule, none when the caller's own code fits (missing, unreadable). */
function refused(limits: ReadLimits, why: FileRefusal, code: FileProblem['code'], where: { readonly line?: number; readonly col?: number } = {}): FileProblem {
  const facts: FileFacts = { what: limits.what, shown: limits.shown, ...why };
  return { facts, problem: fileSentence(facts), ...(why.refused === 'missing' ? { missing: true as const } : {}), ...(code ? { code } : {}), ...where };
}

export async function readProjectFile(file: string, projectRoot: string, limits: ReadLimits): Promise<ProjectFile | FileProblem> {
  const inside = await insideProject(file, projectRoot, limits.hiddenFile ?? false);
  if (inside !== 'ok') return refused(limits, inside, inside.refused === 'missing' ? undefined : 'E_PATH');
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return refused(limits, { refused: 'unreadable', errno: errnoText(err) }, undefined);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return refused(limits, { refused: 'folder' }, 'E_PATH');
    if (!info.isFile()) return refused(limits, { refused: 'special' }, 'E_PATH');
    if (info.size > limits.maxBytes) return refused(limits, { refused: 'too-large', bytes: info.size, limit: limits.maxBytes }, 'E_PATH');
    const bytes = await handle.readFile();
    // The file may have grown between fstat and read.
    if (bytes.length > limits.maxBytes) return refused(limits, { refused: 'too-large', limit: limits.maxBytes }, 'E_PATH');
    return { file, bytes };
  } catch (err) {
    return refused(limits, { refused: 'unreadable', errno: errnoText(err) }, undefined);
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
  if ('offset' in decoded) return refused(limits, { refused: 'not-utf8', offset: decoded.offset }, 'E_ENCODING', { line: decoded.line, col: decoded.col });
  return { file: read.file, text: decoded.text };
}

/** A folder the campaign names (locale folder): inside the project and not hidden; else why not. */
export async function checkProjectFolder(dir: string, projectRoot: string): Promise<'ok' | FileRefusal> {
  return insideProject(dir, projectRoot, false);
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

async function insideProject(path: string, projectRoot: string, hiddenFile: boolean): Promise<'ok' | FileRefusal> {
  let real: string;
  let root: string;
  try {
    root = await realpath(projectRoot);
    real = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { refused: 'missing' };
    return { refused: 'unreadable', errno: errnoText(err) };
  }
  const rel = relativeInside(root, real);
  const viaLink = real !== resolve(path);
  if (rel === undefined) return { refused: 'outside', real, viaLink, root };
  // The one hidden file Pressroom reads (.env) may be hidden itself, never its folders.
  const parts = rel.split(sep);
  const allowed = hiddenFile && parts.at(-1) === basename(path) ? parts.length - 1 : -1;
  if (parts.some((part, i) => part.startsWith('.') && i !== allowed)) return { refused: 'hidden', ...(viaLink ? { via: rel } : {}) };
  return 'ok';
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? 'error';
}
