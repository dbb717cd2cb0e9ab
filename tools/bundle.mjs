// The CLI as one CommonJS file with V8 code caches for it (issue 25: compiling some 260 modules
// was most of a short command's time, and Node 20 caches no compiled code for ES modules). Runs
// after tsc, which writes the library (dist/index.js and the rest), the types and dist/bin.js;
// the executable loads the bundle through src/cli/code-cache.ts, or dist/cli.js without it.
// Written to dist/bundle/, two levels below the package root like every module that reads a file
// the package ships (src/core/package-file.ts), named by its content hash, with entry.json.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'bundle');
rmSync(out, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outfile: join(out, 'cli.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.10',
  // Resolved from node_modules at run time: native addons (they load their binaries relative to
  // themselves); the S3 SDK (large, loaded only with a remote cache); undici, loaded only by the
  // provider adapters (test/integration/bundle.test.ts builds through each provider).
  external: ['sharp', '@napi-rs/canvas', '@aws-sdk/*', 'undici'],
  // The modules find the package's files and fonts from their own URL: the bundle's.
  define: { 'import.meta.url': '__bundleUrl' },
  // import() of a package becomes require(): a script compiled by node:vm has no module loader.
  supported: { 'dynamic-import': false },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  // Read and hashed by V8 on every start, code cache or not: 2.1 MB became 1.5 MB, and loading
  // it 33 ms became 28 (issue 25). Names are kept, so a stack trace still names its functions.
  minifyWhitespace: true,
  minifySyntax: true,
});

const hash = createHash('sha256').update(readFileSync(join(out, 'cli.cjs'))).digest('hex').slice(0, 16);
const file = `cli-${hash}.cjs`;
renameSync(join(out, 'cli.cjs'), join(out, file));
const kinds = ['build', 'plan', 'validate'];
const caches = Object.fromEntries(kinds.map((k) => [k, `cli-${hash}.${k}.v8`]));
writeFileSync(join(out, 'entry.json'), `${JSON.stringify({ file, caches }, null, 2)}\n`);

// Each kind of command run once on a small campaign (local provider), writing its cache at exit.
const work = mkdtempSync(join(tmpdir(), 'pressroom-code-cache-'));
try {
  mkdirSync(join(work, 'campaigns', 'warm'), { recursive: true });
  mkdirSync(join(work, 'templates'));
  writeFileSync(join(work, 'templates', 'warm.hbs'), 'A {{scene}} for {{brand}}\n');
  writeFileSync(
    join(work, 'campaigns', 'warm', 'campaign.yaml'),
    [
      'template: warm',
      'vars: { brand: Warm }',
      'variants: [{ id: a, scene: "a lamp on a desk" }]',
      'locales:',
      '  en-US: { headline: "Light that follows your day" }',
      '  ar-SA: { headline: "ضوء يرافق يومك" }',
      'text: { layers: [{ field: headline, box: { x: 0.1, y: 0.1, width: 0.8, height: 0.2 } }] }',
      'sizes: [{ id: square, width: 256, height: 256 }]',
      '',
    ].join('\n'),
  );
  const bin = join(root, 'dist', 'bin.js');
  const run = (kind, args) => execFileSync(process.execPath, [bin, ...args], { cwd: work, stdio: 'ignore', env: { ...process.env, CI: 'true', MALLOC_ARENA_MAX: '2', PRESSROOM_WRITE_CODE_CACHE: kind } });
  run('validate', ['validate']);
  run('plan', ['plan']);
  run('build', ['build']);
  // The no-op a re-run is: what most builds are.
  run('build', ['build']);
} finally {
  rmSync(work, { recursive: true, force: true });
}
