/**
 * The error catalogue as data: every code Pressroom raises, with a title, a message template (a
 * function of the facts the call site found), a hint and the exit code the CLI uses when it ends a
 * run. Codes are stable; titles, words and hints may change. The input half (exit 2) is
 * errors-input.ts. test/unit/errors-catalogue.test.ts keeps this table and the codes used in src/
 * equal, and renders every template.
 *
 * Converting a call site that still builds its words inline is local: give the code's facts a kind
 * for that sentence here (or in input-facts.ts), then pass the facts (`problem(code, facts)`,
 * `errorOf(code, facts)`) where the string was written.
 */
import { INPUT_ERRORS } from './errors-input.js';
import { coverage, fit, layout } from './text-facts.js';
import { budget, claimTimeout, imageDecode, imageTarget, notImage, outdated, transport, unapproved, type ClaimTimeoutFacts, type OutdatedFacts } from './job-facts.js';

interface CatalogueEntry {
  readonly title: string;
  readonly hint: string;
  /** 2: the user's input; 1: a job or the build failed; 3: over the spending limit; 130: stopped by Ctrl-C. */
  readonly exit: 1 | 2 | 3 | 130;
  readonly message: (facts: never) => string;
}

const job = <F>(title: string, hint: string, message: (facts: F) => string) => ({ title, hint, exit: 1 as const, message });

/** Words that come from outside (a provider's error text, a library's message), shown as they were said. */
export interface Said {
  readonly said: string;
}
const said = (f: Said) => f.said;

/** A file the build could not write; `file` as the reader knows it, `reason` the errno in words. */
export interface WriteFacts {
  readonly file: string;
  readonly reason: string;
}
const notWritten = (f: WriteFacts) => `${f.reason} writing ${f.file}`;
/** Bytes as a byte cap is written (`150 KB` is 150,000 bytes). */
const kb = (bytes: number) => `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} KB (${bytes} bytes)`;

export const ERRORS = {
  ...INPUT_ERRORS,

  // Provider failures, one per category (ProviderError codes E_PROVIDER_<CATEGORY>): the provider's own words.
  E_PROVIDER_AUTH: job('Provider refused the API key', 'check the key; the build stops, every job would fail the same way', said),
  E_PROVIDER_QUOTA: job('Provider account out of credit', 'top up the account; the build stops', said),
  E_PROVIDER_RATE_LIMIT: job('Provider rate limit', 'lower --concurrency or re-run later', said),
  E_PROVIDER_INVALID_INPUT: job('Provider rejected the request', 'check prompt, size and references against the provider limits', said),
  E_PROVIDER_MODERATION: job('Provider moderation refused the prompt or image', 'reword the prompt or change the reference', said),
  E_PROVIDER_TIMEOUT: job('Generation timed out', 'raise --job-timeout or re-run; the task id is in the journal', (f: Said | ClaimTimeoutFacts) => ('kind' in f ? claimTimeout(f) : f.said)),
  E_PROVIDER_TRANSIENT: job('Provider temporarily unavailable', 're-run; finished images are cached', said),
  E_PROVIDER_UNKNOWN: job('Unexpected provider response', 're-run with PRESSROOM_LOG=debug and report the response', said),

  // Transport failures below HTTP (HttpError codes E_HTTP_<FAILURE>): what was refused, or the transport's errno.
  E_HTTP_CONNECT: job('Could not connect', 'check the network and the provider status', transport),
  E_HTTP_RESET: job('Connection reset', 're-run; finished images are cached', transport),
  E_HTTP_TIMEOUT: job('Request timed out', 're-run; PRESSROOM_HTTP_TIMEOUT_MS sets the limit', transport),
  E_HTTP_TOO_LARGE: job('Response too large', 'the provider sent more bytes than an image may have', transport),
  E_HTTP_REDIRECT: job('Too many redirects', 'the download URL redirected too often', transport),
  E_HTTP_ABORTED: job('Request aborted', 'the build was stopped while the request was in flight', transport),
  E_HTTP_SCHEME: job('Refused URL scheme', 'only https (and http to localhost) URLs are fetched', transport),

  // Writing what a build produces: carried as data (a cell's failure, a campaign's write error).
  E_DISK_FULL: job('Disk full', 'free space (or raise the quota) and re-run; finished files are kept', notWritten),
  E_IO: job('I/O error while writing', 'check the disk; re-run once it is healthy', notWritten),
  E_WRITE: job('Could not write a file', 'check permissions of the output folder', notWritten),
  E_UNSAFE_PATH: job(
    'Refused to write outside out/<campaign>',
    'remove the symbolic link that leads out of the campaign folder',
    (f: { readonly file: string; readonly outDir: string }) => `not writing ${f.outDir}/${f.file}: its folder lies outside ${f.outDir} (a symbolic link?)`,
  ),

  // Images, cache, fonts.
  E_IMAGE_DECODE: job('Generated image could not be decoded', 're-run with --force for this asset', imageDecode),
  E_IMAGE_TARGET: job('Cannot derive the delivery size', 'check the size against the generated image', imageTarget),
  E_CACHE_MISS: job(
    'Image not in the cache',
    'run build (or every --shard) first: assemble never generates',
    (f: { readonly kind: 'assemble' | 'approved' }) =>
      f.kind === 'approved'
        ? 'the approved candidate is not in the cache: build with --candidates to make candidates again, then review and approve one'
        : 'not in the cache: assemble delivers only what a build (or its shards) generated',
  ),
  E_CACHE_NOT_IMAGE: job('Provider returned bytes that are not an image', 'nothing was cached; re-run', notImage),
  E_FONTS: job(
    'Fonts for text in images could not be set up',
    'reinstall dependencies (npm install)',
    (f: { readonly kind: 'unreadable'; readonly font: string; readonly why: string } | { readonly kind: 'relative'; readonly path: string }) =>
      f.kind === 'unreadable' ? `cannot read font ${f.font}: ${f.why}` : `brand font ${f.path} is relative but no project folder was given`,
  ),
  // The typesetter refuses what it cannot set exactly; validate reports the same before anything is paid (E_TEXT).
  E_COPYFIT: job('Copy does not fit its box', 'run pressroom validate: it names the locale, size and layer', fit),
  E_COVERAGE: job('No font has a character of the copy', 'run pressroom validate: it names the script, the characters and the package or fonts: entry that draws them', coverage),
  E_LAYOUT: job('Copy could not be laid out inside its box', 'give the layer a larger box', layout),
  E_BYTE_CAP: job(
    'Delivered file over its byte cap',
    "raise the size's maxBytes, or deliver a format that packs more per byte (avif, webp) where the channel takes it; a busy background costs bytes",
    (f: { readonly file: string; readonly format: string; readonly floor: string; readonly bytes: number; readonly maxBytes: number }) =>
      `${f.file} is ${kb(f.bytes)} as ${f.format} at ${f.floor}, the least Pressroom goes to; its maxBytes is ${kb(f.maxBytes)}: nothing was written`,
  ),
  E_COLOUR: job('Not a colour', 'use #rrggbb', (f: { readonly value: string }) => `not a colour: ${JSON.stringify(f.value)} (use #rrggbb)`),

  // The run itself.
  E_OUTDATED: job(
    'Delivered assets missing or stale',
    'run pressroom build; --check only reports',
    (f: OutdatedFacts) => outdated(f),
  ),
  E_BUDGET: { title: 'Over budget', hint: "raise --max-cost or the campaign's budget:, or narrow the build with --variant/--locale/--size", exit: 3, message: budget },
  E_ABORTED: { title: 'Aborted', hint: 'a re-run resumes from the cache and the journal', exit: 130, message: (f: Partial<Said>) => f.said ?? 'aborted' },
  E_INTERRUPTED: {
    title: 'Interrupted',
    hint: 'a re-run generates what was not started',
    exit: 130,
    message: (f: { readonly kind: 'not-started' | 'quit' } = { kind: 'not-started' }) =>
      f.kind === 'quit' ? 'quit before jobs in flight finished' : 'not started: the build was stopped; a re-run generates it',
  },
  E_DEV_SERVER: { title: 'The review page could not be served', hint: 'pass a free --port (or --port 0 for any) or another --host', exit: 2, message: (f: { readonly host: string; readonly port: number; readonly said: string }) => `cannot listen on ${f.host}:${f.port}: ${f.said}` },
  E_DEV_REQUEST: job('Request refused by pressroom dev', 'use the page pressroom dev printed: other sites, hosts and pages may not drive it', (f: { readonly reason: string }) => `refused: ${f.reason}`),
  E_UNAPPROVED: job('Cell not approved, or its image or delivered file changed since its approval', 'review the gallery (pressroom diff <campaign> for changed cells), then pressroom approve <campaign>', unapproved),
  E_INTERNAL: job('Internal error', 'a bug: re-run with PRESSROOM_LOG=debug and report the stack', said),
} as const satisfies Readonly<Record<string, CatalogueEntry>>;

export type ErrorCode = keyof typeof ERRORS;

/** What the call site passes for a code: the message template's argument. */
export type FactsOf<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]['message']>[0];

/** The catalogue's words for `code` with these facts. */
export function messageOf<C extends ErrorCode>(code: C, facts: FactsOf<C>): string {
  return (ERRORS[code].message as (f: FactsOf<C>) => string)(facts);
}

/** Codes of user-input problems (exit 2), derived from the table. */
export type InputErrorCode = { [K in ErrorCode]: (typeof ERRORS)[K]['exit'] extends 2 ? K : never }[ErrorCode];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

export function exitCodeOf(code: ErrorCode): 1 | 2 | 3 | 130 {
  return ERRORS[code].exit;
}

export function hintOf(code: ErrorCode): string {
  return ERRORS[code].hint;
}
