/**
 * The facts of the input problems about the project's own files beyond the campaign (output and
 * cache folders, approved.lock, what the last build left), and their sentences: words of the
 * catalogue's input half (errors-input.ts), as input-facts.ts holds the campaign's.
 */
import { isFile } from './input-facts.js';
import { fileSentence, type FileFacts } from './phrases.js';

/** An output or cache folder a command cannot use; `reason` is the errno in words. */
export type FolderFacts =
  | { readonly kind: 'unwritable'; readonly file: string; readonly reason: string }
  | { readonly kind: 'not-folder' }
  | { readonly kind: 'parent-file'; readonly parent?: string }
  | { readonly kind: 'cannot-create' | 'cannot-read' | 'not-writable'; readonly reason: string }
  | { readonly kind: 'link'; readonly target: string };

export function folder(f: FolderFacts): string {
  switch (f.kind) {
    case 'unwritable':
      return `cannot write ${f.file}: ${f.reason}`;
    case 'not-folder':
      return 'expected a folder but this is a file';
    case 'parent-file':
      return `cannot create this folder: ${f.parent ?? 'a parent'} is a file, not a folder`;
    case 'cannot-create':
      return `cannot create this folder (${f.reason})`;
    case 'cannot-read':
      return `cannot read this folder (${f.reason})`;
    case 'not-writable':
      return `this folder is not writable (${f.reason})`;
    case 'link':
      return `is a symbolic link (to ${f.target}); Pressroom never writes or deletes through a link: remove the link, or point --out at the folder it leads to`;
  }
}

/** Nothing (or not the right thing) to approve or compare: what the last build left, or did not. */
export type NotBuiltFacts =
  | { readonly kind: 'no-build' }
  /** The last manifest cannot be trusted: why, in words (out-paths' check). */
  | { readonly kind: 'untrusted'; readonly reason: string }
  | { readonly kind: 'no-image' }
  /** The delivered file predates a change to the campaign (its image, copy or layout). */
  | { readonly kind: 'outdated' }
  | { readonly kind: 'candidate-gone'; readonly cell: string; readonly pick: number; readonly of?: number };

export function notBuilt(f: NotBuiltFacts): string {
  switch (f.kind) {
    case 'no-build':
      return 'no build of this campaign yet';
    case 'untrusted':
      return f.reason;
    case 'no-image':
      return 'this cell has no delivered image (it failed or was not built)';
    case 'outdated':
      return 'the delivered file predates a change to the campaign (its image, copy or layout); build again and review before approving';
    case 'candidate-gone':
      return `candidate ${f.pick} of ${f.cell} is not in the cache as the last build showed it: ${f.pick > 0 ? `build with --candidates ${f.of} and review again` : 'build again and review'} before approving`;
  }
}

/** What is wrong with an approved.lock; `expected` is the phrase for what belongs there (`key as hex`). */
export type LockFacts =
  | { readonly kind: 'not-json'; readonly said: string }
  | { readonly kind: 'expected'; readonly expected: string }
  | { readonly kind: 'version'; readonly received: unknown; readonly readable: readonly unknown[] }
  | { readonly kind: 'campaign'; readonly written: unknown; readonly campaign: string }
  | { readonly kind: 'layer-kind'; readonly received: unknown }
  | FileFacts;

export function lock(f: LockFacts): string {
  if (isFile(f)) return fileSentence(f);
  switch (f.kind) {
    case 'not-json':
      return `not JSON: ${f.said}`;
    case 'expected':
      return `expected ${f.expected}`;
    case 'version':
      return `expected version ${f.readable.join(' or ')} but received ${JSON.stringify(f.received)} (written by a newer Pressroom?)`;
    case 'campaign':
      return `written for campaign ${JSON.stringify(f.written)}, not ${JSON.stringify(f.campaign)}`;
    case 'layer-kind':
      return `unknown layer kind ${JSON.stringify(f.received)} (written by a newer Pressroom?)`;
  }
}
