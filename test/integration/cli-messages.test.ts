import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/core/errors.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { cli } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';

/** What a person reads when input is wrong, and what --json carries, through the real CLI. */

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-cli-messages-'));
  await cp(CORPUS_DIR, join(root, 'broken'), { recursive: true });
});
afterAll(() => cleanup());

const count = (text: string, part: string) => text.split(part).length - 1;

describe('problems, then a hint per kind', () => {
  it('prints file:line:col  field  message, each group of one code followed by its hint once', async () => {
    const run = await cli(root, ['validate', 'broken/many-problems']);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`${join('broken/many-problems/campaign.yaml')}:2:8  model  ${lines[0]!.split('  model  ')[1]}`);
    for (const code of ['E_PROVIDER', 'E_DUPLICATE_ID', 'E_LOCALE', 'E_SIZE', 'E_SCHEMA'] as const) {
      expect(count(run.stderr, `  hint: ${ERRORS[code].hint}\n`), code).toBe(1);
    }
    // Both E_SIZE problems (lines 13 and 14) stand together above the one E_SIZE hint.
    const sizeHint = lines.indexOf(`  hint: ${ERRORS.E_SIZE.hint}`);
    expect(lines[sizeHint - 2]).toMatch(/:13:\d+  sizes\[0\]\.height  /);
    expect(lines[sizeHint - 1]).toMatch(/:14:\d+  sizes\[1\]  /);
    expect(lines.at(-1)).toBe('6 problems found; nothing was generated');
  });

  it('reports every template problem of a run together: a missing partial hides no undefined name or unknown helper', async () => {
    const run = await cli(root, ['validate', 'broken/render-problems-together']);
    expect(run.code).toBe(2);
    const file = join('broken/render-problems-together/prompt.hbs');
    expect(run.stderr).toContain(`${file}:2:1  {{> no-such-partial}}  partial \`no-such-partial\` not found`);
    expect(run.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+  \\{\\{mood\\}\\}  "mood" is not defined`));
    expect(run.stderr).toMatch(/:3:\d+ {2}\{\{shout\}\} {2}"shout" is not a helper/);
    expect(count(run.stderr, '  hint: ')).toBe(1);
    expect(run.stderr).toContain('3 problems found');
  });

  it('translates a Handlebars parse error into words at the template line and column', async () => {
    const run = await cli(root, ['validate', 'broken/template-syntax-unclosed-block']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join('broken/template-syntax-unclosed-block/prompt.hbs')}:2:3  template syntax error: \`{{#if}}\` is never closed; add \`{{/if}}\``);
    expect(run.stderr).not.toMatch(/OPEN_|INVERSE|Expecting|EOF/);
  });

  it('--json errors carry the hint of their code', async () => {
    const run = await cli(root, ['validate', '--json', 'broken/many-problems']);
    const doc = JSON.parse(run.stdout) as { errors: { code: keyof typeof ERRORS; hint: string; title: string }[] };
    expect(doc.errors).toHaveLength(6);
    for (const e of doc.errors) expect(e).toMatchObject({ hint: ERRORS[e.code].hint, title: ERRORS[e.code].title });
    const usage = JSON.parse((await cli(root, ['schema', '--shard', '1/2', '--json'])).stdout) as { errors: { hint: string }[] };
    expect(usage.errors[0]?.hint).toBe(ERRORS.E_USAGE.hint);
  });
});

describe('help per command', () => {
  it('pressroom --help lists each command on one line, and no command options', async () => {
    const run = await cli(root, ['--help']);
    expect(run.code).toBe(0);
    for (const command of ['build', 'plan', 'validate', 'assemble', 'approve', 'diff', 'init', 'prune', 'schema']) {
      expect(run.stdout.split('\n').filter((l) => l.startsWith(`  ${command} `) || l === `  ${command}`), command).toHaveLength(1);
    }
    expect(run.stdout).not.toMatch(/^\s+--(shard|out|provider)\b/m);
  });

  it('build --help and help build show build flags only; schema --help has no --shard', async () => {
    const build = await cli(root, ['build', '--help']);
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/^Usage: pressroom build \[paths\.\.\.\] \[options\]/);
    expect(build.stdout).toContain('--shard <i/n>');
    expect(build.stdout).not.toContain('--dry-run');
    expect(build.stdout).not.toContain('--cell');
    expect((await cli(root, ['help', 'build'])).stdout).toBe(build.stdout);
    const schema = await cli(root, ['schema', '--help']);
    expect(schema.stdout).toMatch(/^Usage: pressroom schema \[file\]/);
    expect(schema.stdout).not.toContain('--shard');
  });

  it('a flag another command takes: exit 2, naming the commands that take it', async () => {
    const run = await cli(root, ['schema', '--shard', '1/2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--shard  schema does not take --shard; build takes it; see pressroom schema --help');
    expect(run.stderr).toContain(`  hint: ${ERRORS.E_USAGE.hint}`);
  });

  it('help for a command that does not exist suggests the nearest', async () => {
    const run = await cli(root, ['help', 'biuld']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean `build`?');
  });
});
