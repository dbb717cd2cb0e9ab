import { flagsOf, type CommandName, type FlagSpec } from './flags.js';

/** The commands, each with its arguments and one line; `pressroom --help` lists them, `pressroom <command> --help` adds its flags. */
export const COMMAND_HELP: Readonly<Record<CommandName, { readonly args: string; readonly line: string; readonly more?: string }>> = {
  build: { args: '[paths...]', line: 'generate and deliver every asset', more: 'With no path, every campaign under campaigns/. A path is a campaign folder or its campaign.yaml.' },
  plan: { args: '[paths...]', line: 'show the matrix, cache hits and what a build would generate and cost; no provider calls' },
  validate: { args: '[paths...]', line: 'check campaign files and templates; no provider calls' },
  assemble: { args: '[paths...]', line: 'deliver out/, contact sheets and manifests from the cache only (after build --shard)' },
  approve: { args: '<campaign>', line: 'approve what the last build delivered (campaigns/<campaign>/approved.lock)' },
  diff: { args: '<campaign>', line: 'approved vs new image of cells changed since approval (out/<campaign>/diff.png, diff.html)' },
  dev: { args: '[paths...]', line: 'serve a live review page on 127.0.0.1: rebuilds what a saved edit changes, approvals in the page; spends only with --max-cost', more: 'Paid generations wait for the page\'s generate button and a budget (--max-cost or the campaign\'s budget:). Ctrl-C stops it.' },
  init: { args: '[name]', line: 'a new campaign folder (campaign.yaml, template, editor modeline) that builds offline at once' },
  prune: { args: '', line: 'remove cache entries no campaign references' },
  schema: { args: '[file]', line: 'write the JSON Schema of campaign.yaml (for editors) to the file, or to stdout' },
};

export const COMMANDS = Object.keys(COMMAND_HELP) as CommandName[];

const EXIT_CODES = 'Exit codes: 0 all assets built · 1 some jobs failed (or --check: out/ not current) · 2 invalid input or usage · 3 over budget · 130 interrupted';

const column = (rows: readonly (readonly [string, string])[]) => {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
};

const flagLeft = (f: FlagSpec) => `--${f.name}${f.value ? ` ${f.value}` : ''}`;

/** `pressroom --help`: every command in one line. */
export function generalHelp(): string {
  const commands = column(COMMANDS.map((c) => [`${c} ${COMMAND_HELP[c].args}`.trim(), COMMAND_HELP[c].line]));
  return [
    'Usage: pressroom <command> [paths...] [options]',
    '',
    'Commands:',
    commands,
    '',
    'pressroom <command> --help (or pressroom help <command>) lists the options of one command.',
    'Everywhere: --json (one JSON document on stdout), --help, --version.',
    '',
    EXIT_CODES,
  ].join('\n');
}

/** `pressroom build --help`: the command's line and its own flags only. */
export function commandHelp(command: CommandName): string {
  const { args, line, more } = COMMAND_HELP[command];
  const flags = flagsOf(command);
  return [
    `Usage: pressroom ${command}${args ? ` ${args}` : ''}${flags.length > 0 ? ' [options]' : ''}`,
    '',
    `${line[0]!.toUpperCase()}${line.slice(1)}.${more ? ` ${more}` : ''}`,
    '',
    'Options:',
    column([...flags.map((f): [string, string] => [flagLeft(f), f.help]), ['--help', 'this text']]),
    '',
    EXIT_CODES,
  ].join('\n');
}
