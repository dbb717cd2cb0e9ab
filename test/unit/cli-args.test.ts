import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCliArgs } from '../../src/cli/args.js';
import { FLAGS, flagsOf } from '../../src/cli/flags.js';
import { commandHelp, generalHelp } from '../../src/cli/help.js';
import { InputError } from '../../src/core/errors.js';

function problems(argv: string[]) {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  throw new Error('expected an InputError');
}

describe('parseCliArgs', () => {
  it('parses a command, paths and every option', () => {
    const args = parseCliArgs([
      'build', 'campaigns/a', 'b', '--provider', 'runware', '--model', 'seedream-4.5', '--concurrency', '4',
      '--variant', 'hero, alt', '--locale', 'de-DE', '--size', 'sq,,story', '--out', 'dist', '--cache-dir', 'c',
      '--force', '--json', '--job-timeout', '90',
    ]);
    expect(args).toEqual({
      verify: false,
      command: 'build', paths: ['campaigns/a', 'b'], provider: 'runware', model: 'seedream-4.5', concurrency: 4,
      variants: ['hero', 'alt'], locales: ['de-DE'], sizes: ['sq', 'story'], out: 'dist', cacheDir: 'c',
      force: true, json: true, jobTimeoutSeconds: 90,
    });
  });

  it('defaults: no filters, no force, text output', () => {
    const args = parseCliArgs(['plan']);
    expect(args).toMatchObject({ command: 'plan', paths: [], force: false, json: false });
    expect([args.variants, args.concurrency]).toEqual([undefined, undefined]);
  });

  it('help and version win over everything else', () => {
    expect(parseCliArgs(['build', '--help']).command).toBe('help');
    expect(parseCliArgs(['-v']).command).toBe('version');
  });

  it('reports every mistake at once, each naming its flag', () => {
    const found = problems(['deploy', '--provider', 'dalle', '--concurrency', '0', '--job-timeout', '1.5', '--out', ' ']);
    expect(found.every((p) => p.code === 'E_USAGE')).toBe(true);
    expect(found.map((p) => p.path)).toEqual(['command', '--provider', '--concurrency', '--job-timeout', '--out']);
    expect(found[2]!.message).toBe('expected an integer 1-256 but received "0"');
  });

  it('suggests the nearest name for a typo', () => {
    expect(problems(['biuld'])[0]!.message).toMatch(/did you mean `build`\?/);
    expect(problems(['build', '--modle', 'x'])[0]!.message).toMatch(/--modle.*did you mean `--model`\?/s);
  });

  it('requires a command', () => {
    expect(problems([])[0]!.message).toMatch(/a command is required: build, plan, validate/);
  });
});

describe('review commands and flags', () => {
  it('parses approve with --cell and --pick, build with --frozen and --candidates', () => {
    expect(parseCliArgs(['approve', 'launch', '--cell', 'hero/en-US/square', '--pick', '0'])).toMatchObject({ command: 'approve', paths: ['launch'], cell: 'hero/en-US/square', pick: 0 });
    expect(parseCliArgs(['build', '--frozen', '--candidates', '4'])).toMatchObject({ command: 'build', frozen: true, candidates: 4 });
    expect(parseCliArgs(['diff', 'launch'])).toMatchObject({ command: 'diff', paths: ['launch'] });
  });

  it('names the flag of a bad --pick or --candidates', () => {
    expect(() => parseCliArgs(['approve', 'x', '--pick', '-1'])).toThrow(/--pick/);
    expect(() => parseCliArgs(['build', '--candidates', '9'])).toThrow(/--candidates/);
  });
});

describe('flags as data', () => {
  it('every flag names commands that exist, once each; every command takes --json', () => {
    for (const flag of FLAGS) {
      expect(flag.commands.every((c) => COMMANDS.includes(c)), flag.name).toBe(true);
      expect(new Set(flag.commands).size, flag.name).toBe(flag.commands.length);
    }
    expect(new Set(FLAGS.map((f) => f.name)).size).toBe(FLAGS.length);
    for (const command of COMMANDS) expect(flagsOf(command).map((f) => f.name), command).toContain('json');
  });

  it('refuses a flag the command does not take, naming the commands that take it', () => {
    expect(problems(['validate', '--force'])).toEqual([
      { code: 'E_USAGE', path: '--force', message: 'validate does not take --force; build, plan take it; see pressroom validate --help' },
    ]);
    expect(problems(['schema', '--shard', '1/2', '--cell', 'x']).map((p) => p.path)).toEqual(['--shard', '--cell']);
    expect(parseCliArgs(['prune', '--dry-run', '--max-size', '2GB'])).toMatchObject({ command: 'prune', dryRun: true, maxSize: 2 * 1024 ** 3 });
  });

  it('says a flag needs a value, or takes none', () => {
    expect(problems(['build', '--out'])[0]).toMatchObject({ path: '--out', message: '--out needs a value (--out <value>)' });
    expect(problems(['build', '--force=yes'])[0]).toMatchObject({ path: '--force', message: '--force takes no value' });
  });

  it('help names its command: build --help, help build; an unknown one is refused', () => {
    expect(parseCliArgs(['build', '--help'])).toMatchObject({ command: 'help', topic: 'build' });
    expect(parseCliArgs(['help', 'schema'])).toMatchObject({ command: 'help', topic: 'schema' });
    expect(parseCliArgs(['help'])).toMatchObject({ command: 'help' });
    expect(parseCliArgs(['help']).topic).toBeUndefined();
    expect(problems(['help', 'biuld'])[0]!.message).toMatch(/did you mean `build`\?/);
  });

  it("each command's help lists its flags and no other command's", () => {
    expect(commandHelp('schema')).not.toContain('--shard');
    expect(commandHelp('prune')).toContain('--max-size <size>');
    expect(commandHelp('build')).not.toContain('--max-size');
    for (const command of COMMANDS) expect(generalHelp().split('\n').filter((l) => l.startsWith(`  ${command}`)), command).toHaveLength(1);
  });
});
