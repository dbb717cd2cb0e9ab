/**
 * The error catalogue as data: every code Pressroom raises, with a title, a hint and the exit
 * code the CLI uses when it ends a run. Codes are stable; titles and hints may change.
 * test/unit/errors-catalogue.test.ts keeps this table and the codes used in src/ equal.
 */

interface CatalogueEntry {
  readonly title: string;
  readonly hint: string;
  /** 2: the user's input; 1: a job or the build failed; 3: over the spending limit; 130: stopped by Ctrl-C. */
  readonly exit: 1 | 2 | 3 | 130;
  /** The message, where it has one fixed form; most messages depend on what was found. */
  readonly message?: (args: never) => string;
}

const input = (title: string, hint: string) => ({ title, hint, exit: 2 }) as const;
const job = (title: string, hint: string) => ({ title, hint, exit: 1 }) as const;

export const ERRORS = {
  // Input: collected in one pass, reported with file, line and field; nothing is generated.
  E_YAML: input('YAML syntax error', 'fix the YAML at the line shown (duplicate keys and aliases are refused)'),
  E_SCHEMA: input('Campaign file does not match the schema', 'see the field named and examples/ for the expected shape'),
  E_DUPLICATE_ID: input('Duplicate id', 'ids of variants, sizes and campaign names must be unique'),
  E_RESERVED_NAME: input('Reserved name', 'rename the key; names like __proto__ and constructor are refused'),
  E_LOCALE: input('Locale problem', 'locale files are locales/<BCP 47 tag>.yaml with headline and copy'),
  E_SIZE: input('Invalid size', 'width and height are integers within the provider limits'),
  E_PROVIDER: input('Provider or model not available', 'pick a provider and model from pressroom --help'),
  E_PROVIDER_OPTION: input('Provider option not understood', 'use only the providerOptions the provider page in docs/providers/ lists'),
  E_TEMPLATE: input('Template problem', 'check the template file, its syntax and the variables it uses'),
  E_REFERENCE: input('Reference image problem', 'references must be readable images within the provider limits'),
  E_USAGE: input('Usage error', 'see pressroom --help'),
  E_PATH: input('File outside the project or not allowed', 'name files inside the project: regular, not hidden, within the size cap'),
  E_ENCODING: input('Text file not UTF-8', 'save the file as UTF-8 (or UTF-16 with a BOM)'),
  E_PROMPT: input('Prompt empty or too long', 'shorten the template or the copy; each model has a prompt limit'),
  E_ENV: input('Missing API key', 'set the key in the environment or in .env at the project root'),
  E_OUTPUT_DIR: input('Output or cache folder unusable', 'pass a folder that exists or can be created and is writable (--out, --cache-dir, PRESSROOM_CACHE_DIR)'),
  E_APPROVALS: input('approved.lock unreadable or not for this campaign', 'restore it from git, or delete it and approve again with pressroom approve <campaign>'),
  E_NOT_BUILT: input('Nothing to approve or compare yet', 'run pressroom build <campaign> first, review out/<campaign>/index.html, then approve'),
  E_NOT_FOUND: input('Campaign not found', 'pass a campaign folder or its campaign.yaml, or create campaigns/<name>/campaign.yaml'),
  E_TEXT: input('Copy cannot be typeset exactly', 'shorten the copy or give the layer a larger box or smaller size.min; for a missing glyph, the message names the package to install or the fonts: entry to add'),

  // Provider failures, one per category (ProviderError codes E_PROVIDER_<CATEGORY>).
  E_PROVIDER_AUTH: job('Provider refused the API key', 'check the key; the build stops, every job would fail the same way'),
  E_PROVIDER_QUOTA: job('Provider account out of credit', 'top up the account; the build stops'),
  E_PROVIDER_RATE_LIMIT: job('Provider rate limit', 'lower --concurrency or re-run later'),
  E_PROVIDER_INVALID_INPUT: job('Provider rejected the request', 'check prompt, size and references against the provider limits'),
  E_PROVIDER_MODERATION: job('Provider moderation refused the prompt or image', 'reword the prompt or change the reference'),
  E_PROVIDER_TIMEOUT: job('Generation timed out', 'raise --job-timeout or re-run; the task id is in the journal'),
  E_PROVIDER_TRANSIENT: job('Provider temporarily unavailable', 're-run; finished images are cached'),
  E_PROVIDER_UNKNOWN: job('Unexpected provider response', 're-run with PRESSROOM_LOG=debug and report the response'),

  // Transport failures below HTTP (HttpError codes E_HTTP_<FAILURE>).
  E_HTTP_CONNECT: job('Could not connect', 'check the network and the provider status'),
  E_HTTP_RESET: job('Connection reset', 're-run; finished images are cached'),
  E_HTTP_TIMEOUT: job('Request timed out', 're-run; PRESSROOM_HTTP_TIMEOUT_MS sets the limit'),
  E_HTTP_TOO_LARGE: job('Response too large', 'the provider sent more bytes than an image may have'),
  E_HTTP_REDIRECT: job('Too many redirects', 'the download URL redirected too often'),
  E_HTTP_ABORTED: job('Request aborted', 'the build was stopped while the request was in flight'),
  E_HTTP_SCHEME: job('Refused URL scheme', 'only https (and http to localhost) URLs are fetched'),

  // Writing what a build produces: carried as data (a cell's failure, a campaign's write error).
  E_DISK_FULL: job('Disk full', 'free space (or raise the quota) and re-run; finished files are kept'),
  E_IO: job('I/O error while writing', 'check the disk; re-run once it is healthy'),
  E_WRITE: job('Could not write a file', 'check permissions of the output folder'),
  E_UNSAFE_PATH: job('Refused to write outside out/<campaign>', 'remove the symbolic link that leads out of the campaign folder'),

  // Images, cache, fonts.
  E_IMAGE_DECODE: job('Generated image could not be decoded', 're-run with --force for this asset'),
  E_IMAGE_TARGET: job('Cannot derive the delivery size', 'check the size against the generated image'),
  E_CACHE_MISS: job('Image not in the cache', 'run build (or every --shard) first: assemble never generates'),
  E_CACHE_NOT_IMAGE: job('Provider returned bytes that are not an image', 'nothing was cached; re-run'),
  E_FONTS: job('Fonts for text in images could not be set up', 'reinstall dependencies (npm install)'),
  // The typesetter refuses what it cannot set exactly; validate reports the same before anything is paid (E_TEXT).
  E_COPYFIT: job('Copy does not fit its box', 'run pressroom validate: it names the locale, size and layer'),
  E_COVERAGE: job('No font has a character of the copy', 'run pressroom validate: it names the script, the characters and the package or fonts: entry that draws them'),
  E_LAYOUT: job('Copy could not be laid out inside its box', 'give the layer a larger box'),
  E_COLOUR: job('Not a colour', 'use #rrggbb'),

  // The run itself.
  E_OUTDATED: job('Delivered assets missing or stale', 'run pressroom build; --check only reports'),
  E_BUDGET: {
    title: 'Over budget',
    hint: 'raise --max-cost or the campaign\'s budget:, or narrow the build with --variant/--locale/--size',
    exit: 3,
  },
  E_ABORTED: { title: 'Aborted', hint: 'a re-run resumes from the cache and the journal', exit: 130 },
  E_INTERRUPTED: {
    title: 'Interrupted',
    hint: 'a re-run generates what was not started',
    exit: 130,
    message: () => 'not started: the build was stopped; a re-run generates it',
  },
  E_UNAPPROVED: job('Cell not approved, or changed since its approval', 'review the gallery (pressroom diff <campaign> for changed cells), then pressroom approve <campaign>'),
  E_INTERNAL: job('Internal error', 'a bug: re-run with PRESSROOM_LOG=debug and report the stack'),
} as const satisfies Readonly<Record<string, CatalogueEntry>>;

export type ErrorCode = keyof typeof ERRORS;

/** Codes of user-input problems (exit 2), derived from the table. */
export type InputErrorCode = { [K in ErrorCode]: (typeof ERRORS)[K]['exit'] extends 2 ? K : never }[ErrorCode];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

export function exitCodeOf(code: ErrorCode): 1 | 2 | 3 | 130 {
  return ERRORS[code].exit;
}
