import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, examplesProject, pressroomArgs, words } from '../helpers/examples.js';
import { cli } from '../helpers/project.js';

/**
 * Every pressroom command in README.md's shell blocks runs, in order, against a copy of the
 * examples, and does what the README says it does: each has a check of its output below, not only
 * of its exit code. The CI step summary the README quotes is the command's real output.
 */

/** Need a provider key: not run here (the live tests cover the providers). */
const NEEDS_KEYS = ['npx pressroom build --provider runware --model seedream-4.0'];

function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => pressroomArgs(line) !== undefined || /^npm run build\b/.test(line));
}

/** `npm run build -- …` is the package script for `pressroom build …`. */
const argsOf = (line: string) => (/^npm run build\b/.test(line) ? ['build', ...words(line).slice(3).filter((w, i) => i > 0 || w !== '--')] : pressroomArgs(line)!);

const commands = readmeCommands().filter((c) => !NEEDS_KEYS.includes(c));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
interface Context {
  readonly dir: string;
  /** Campaign name -> its number of cells, from `validate --json` on the examples. */
  readonly cells: ReadonlyMap<string, number>;
}

/** The campaigns a build's summary reports, with what this build generated plus took from the cache. */
function built(run: Run): Map<string, { assets: number; touched: number }> {
  const lines = [...run.stdout.matchAll(/^([\w-]+): (\d+) cells \((\d+) new, (\d+) re-composed, (\d+) unchanged, 0 failed[,)]/gm)];
  return new Map(lines.map((m) => [m[1]!, { assets: Number(m[2]), touched: Number(m[3]) + Number(m[4]) + Number(m[5]) }]));
}

const manifestOf = (ctx: Context, name: string) => JSON.parse(readFileSync(join(ctx.dir, 'out', name, 'manifest.json'), 'utf8')) as { assets: { locale: string; size: string }[]; failures: unknown[] };

/** What each README command must do; a command without an entry fails the test. */
const CHECKS: Record<string, (run: Run, ctx: Context) => void> = {
  'npm run build': (run, ctx) => {
    expect(run.code).toBe(0);
    expect(new Map([...built(run)].map(([n, b]) => [n, b.assets]))).toEqual(ctx.cells);
    for (const [name, n] of ctx.cells) expect([manifestOf(ctx, name).assets.length, manifestOf(ctx, name).failures]).toEqual([n, []]);
  },
  'npm run build -- campaigns/social-kit': (run, ctx) => {
    expect(run.code).toBe(0);
    expect([...built(run)]).toEqual([['social-kit', { assets: ctx.cells.get('social-kit'), touched: ctx.cells.get('social-kit') }]]);
  },
  'npm run build -- --locale de-DE,ja-JP --size story,portrait': (run) => {
    expect(run.code).toBe(0);
    // aqua-one-launch: 3 variants × de-DE × story; lumen-global-sweep: de-DE and ja-JP × story and portrait.
    expect(new Map([...built(run)].map(([n, b]) => [n, b.touched]))).toEqual(new Map([['aqua-one-launch', 3], ['lumen-global-sweep', 4]]));
    expect(run.stderr).toMatch(/social-kit skipped: it has no locale de-DE, ja-JP/);
  },
  'npm run pressroom -- plan': (run, ctx) => {
    expect(run.code).toBe(0);
    for (const [name, n] of ctx.cells) expect(run.stdout).toMatch(new RegExp(`^${name}\\s+local\\s+seedream-4\\.5\\s+${n}\\s+(\\d+)\\s+\\1\\s+0\\s+\\$0\\.00$`, 'm'));
  },
  'npm run pressroom -- validate': (run, ctx) => {
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`valid: ${ctx.cells.size} campaign(s), ${[...ctx.cells.values()].reduce((a, b) => a + b, 0)} assets\n`);
  },
  'npm run pressroom -- plan --check': (run) => {
    // Everything was built above: out/ is current.
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/E_OUTDATED/);
  },
  'npm run pressroom -- plan --max-cost 5': (run) => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^estimated cost of this build: \$0\.00$/m);
  },
  'npm run pressroom -- plan --report markdown': (run, ctx) => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### Pressroom plan\n/);
    for (const [name, n] of ctx.cells) expect(run.stdout).toMatch(new RegExp(`^\\| ${name} \\| local · seedream-4\\.5 \\| ${n} \\|`, 'm'));
  },
  'npx pressroom build social-kit': (run, ctx) => {
    expect(run.code).toBe(0);
    expect([...built(run).keys()]).toEqual(['social-kit']);
    expect(readFileSync(join(ctx.dir, 'out', 'social-kit', 'index.html'), 'utf8')).toMatch(/<h1>social-kit<\/h1>/);
  },
  'npx pressroom approve social-kit': (run, ctx) => {
    expect(run.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(ctx.dir, 'campaigns', 'social-kit', 'approved.lock'), 'utf8')) as { cells: Record<string, unknown> };
    expect(Object.keys(lock.cells)).toHaveLength(ctx.cells.get('social-kit')!);
  },
  'npx pressroom build --frozen social-kit': (run, ctx) => {
    expect(run.code, run.stderr).toBe(0);
    expect([...built(run)]).toEqual([['social-kit', { assets: ctx.cells.get('social-kit'), touched: ctx.cells.get('social-kit') }]]);
  },
};

describe('README commands', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let ctx: Context;
  beforeAll(async () => {
    project = await examplesProject();
    const validated = JSON.parse((await cli(project.dir, ['validate', '--json'])).stdout) as { campaigns: { name: string; assets: number }[] };
    ctx = { dir: project.dir, cells: new Map(validated.campaigns.map((c) => [c.name, c.assets])) };
  });
  afterAll(() => project.cleanup());

  it('finds the commands, each has a check of what it does, and the ones left out are still in the README', () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(commands.filter((c) => !(c in CHECKS))).toEqual([]);
    expect(Object.keys(CHECKS).filter((c) => !commands.includes(c))).toEqual([]);
    for (const skipped of NEEDS_KEYS) expect(readmeCommands()).toContain(skipped);
  });

  it.each(commands)('%s does what the README says', { timeout: 240_000 }, async (command) => {
    const run = await cli(project.dir, argsOf(command));
    CHECKS[command]!(run, ctx);
  });
});

/** The blockquoted step summary under README's "CI", and the command in its introduction. */
function readmeStepSummary(): { command: string[]; quoted: string; start: number; end: number; readme: string } {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const intro = /The step summary of a pull request that changes the examples, priced for Runware\n\(`pressroom ([^`]+)`\):\n\n/.exec(readme)!;
  const start = intro.index + intro[0].length;
  const end = readme.indexOf('\n\n', start);
  const quoted = readme
    .slice(start, end)
    .split('\n')
    .map((l) => l.replace(/^> ?/, ''))
    .join('\n');
  return { command: words(intro[1]!), quoted: `${quoted}\n`, start, end, readme };
}

describe("README's CI step summary", () => {
  it('is what the command prints on the shipped examples before a build (PRESSROOM_UPDATE_README=1 rewrites it)', { timeout: 120_000 }, async () => {
    const fresh = await examplesProject();
    try {
      const { command, quoted, start, end, readme } = readmeStepSummary();
      const run = await cli(fresh.dir, command);
      expect(run.code).toBe(1);
      if (process.env['PRESSROOM_UPDATE_README'] === '1' && run.stdout !== quoted) {
        const block = run.stdout.trimEnd().split('\n').map((l) => (l === '' ? '>' : `> ${l}`)).join('\n');
        writeFileSync(join(REPO, 'README.md'), `${readme.slice(0, start)}${block}${readme.slice(end)}`);
        return;
      }
      expect(quoted).toBe(run.stdout);
    } finally {
      await fresh.cleanup();
    }
  });
});
