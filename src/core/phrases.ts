/**
 * The words the error catalogue (errors-data.ts) builds its messages from: one way to show a value,
 * a size, a near miss or a refused file, so every message says these things alike.
 */

/** `"4" (string)`, `12 (number)`, `an object` (sharp's shape: `Expected integer 1-15 ... but received "4" (string)`). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown} (${typeof value})`;
}

/** describeValue, in YAML's words for collections. */
export function describeReceived(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  if (value === undefined) return 'nothing';
  return describeValue(value);
}

/** `; did you mean `variants`?` when a near miss was found, else nothing. */
export const didYouMean = (meant: string | undefined): string => (meant === undefined ? '' : `; did you mean \`${meant}\`?`);

/** The first few of a list, then how many more: `a, b, c and 12 more`. */
export function firstFew(items: readonly string[], shown = 3): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}

/** `3 of 12 cells`, `all 12 cells`. */
export function cellCount(affected: number, total: number): string {
  if (affected === total) return total === 1 ? 'its 1 cell' : `all ${total} cells`;
  return `${affected} of ${total} cells`;
}

/** `$0.040`, `$12.00`; an estimate nobody knows is `unknown`, never `$0.00`. */
export const usd = (n: number | null): string => (n === null ? 'unknown' : `$${n.toFixed(n > 0 && n < 1 ? 3 : 2)}`);

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** Why a file the campaign names was not read. */
export type FileRefusal =
  | { readonly refused: 'missing' }
  | { readonly refused: 'unreadable'; readonly errno: string }
  | { readonly refused: 'folder' }
  | { readonly refused: 'special' }
  | { readonly refused: 'too-large'; readonly limit: number; readonly bytes?: number }
  /** `real` is where the path leads; `viaLink` when a symbolic link took it there. */
  | { readonly refused: 'outside'; readonly real: string; readonly viaLink: boolean; readonly root: string }
  /** `via` is the hidden path a symbolic link resolved to, when one did. */
  | { readonly refused: 'hidden'; readonly via?: string }
  | { readonly refused: 'not-utf8'; readonly offset: number }
  | { readonly refused: 'not-hbs' };

/** A refused file: what it is for (`template`, `locale file`) and how the campaign names it. */
export type FileFacts = { readonly what: string; readonly shown: string } & FileRefusal;

export function fileSentence(f: FileFacts): string {
  const it = `${f.what} ${f.shown}`;
  switch (f.refused) {
    case 'missing':
      return `${f.what} not found: ${f.shown}`;
    case 'unreadable':
      return `${it} cannot be read (${f.errno})`;
    case 'folder':
      return `${it} is a folder; expected a file`;
    case 'special':
      return `${it} is not a regular file (a pipe or device); expected a file`;
    case 'too-large':
      return f.bytes === undefined ? `${it} is over the limit of ${sizeText(f.limit)}` : `${it} is ${sizeText(f.bytes)}; the limit is ${sizeText(f.limit)}`;
    case 'outside':
      return `${it} is outside the project (${f.viaLink ? 'through a symlink it resolves to' : 'it is'} ${f.real}); files must stay inside ${f.root}`;
    case 'hidden':
      return `${it} ${f.via === undefined ? 'is' : `resolves to ${f.via}, which is`} a hidden file or inside a hidden folder (.env, .git, ...); those are never read`;
    case 'not-utf8':
      return `${it} is not valid UTF-8 (byte ${f.offset}); save it as UTF-8`;
    case 'not-hbs':
      return `${it} is not a .hbs file; expected a template name or a path to a .hbs file`;
  }
}
