/**
 * The picture in docs/architecture.md as data: which folder of src/ may import which. A folder
 * imports itself and the folders listed here, nothing else; `test/unit/architecture.test.ts` fails
 * on any other edge and checks that docs/architecture.md shows this table. A root file `x.ts`
 * belongs to the unit `x` (cli.ts and src/cli/ are one unit).
 *
 * Adding a folder or an edge is a line here and the same line in the docs' table: the edge is a
 * decision, not something the test learns from the code.
 */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  // Entry points: the executable, the programmatic API.
  bin: ['cli'],
  index: ['cli', 'commands', 'cache', 'core'],
  // argv -> Settings -> a command -> output; parses --shard and --cache with cache's own parsers.
  cli: ['commands', 'manifest', 'report', 'cache', 'core'],
  // Wiring only: reads settings and calls the stages in order.
  commands: ['dev', 'manifest', 'plan', 'render', 'run', 'providers', 'cache', 'post', 'report', 'http', 'compose', 'typeset', 'image', 'fs', 'core'],
  // pressroom dev: the review server, watcher and page; commands/dev.ts hands it the pipeline.
  dev: ['plan', 'post', 'report', 'compose', 'core'],
  // The stages. plan asks providers for generation sizes and cache for keys; render asks providers
  // for prompt limits; run drives providers and writes to cache. post and report import no stage.
  manifest: ['compose', 'typeset', 'image', 'core'],
  plan: ['providers', 'cache', 'compose', 'typeset', 'core'],
  render: ['providers', 'core'],
  run: ['providers', 'cache', 'http', 'fs', 'core'],
  providers: ['http', 'compose', 'typeset', 'image', 'core'],
  cache: ['image', 'fs', 'core'],
  post: ['compose', 'typeset', 'image', 'fs', 'core'],
  report: ['fs', 'core'],
  // Libraries and I/O helpers. compose draws every layer kind over an image (text through typeset).
  compose: ['typeset', 'image', 'core'],
  typeset: ['core'],
  http: ['core'],
  image: ['core'],
  fs: ['core'],
  core: [],
};

/**
 * Edges the code has and the docs do not want: allowed until they are paid off, each with its
 * reason. Paying one off is deleting its line (the test then keeps it from coming back).
 */
export const KNOWN_DEBTS: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [];
