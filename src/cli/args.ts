import { parseArgs } from 'node:util';
import { InputError, problem, type Problem } from '../core/errors.js';
import { closest } from '../manifest/suggest.js';
import { FLAGS, flagsOf, type CliFlags, type CommandName } from './flags.js';
import { COMMANDS } from './help.js';

export type { CommandName } from './flags.js';
export { COMMANDS } from './help.js';

export interface CliArgs extends CliFlags {
  readonly command: CommandName | 'help' | 'version';
  /** help: the command asked about (`pressroom help build`, `pressroom build --help`). */
  readonly topic?: CommandName;
  readonly paths: readonly string[];
  readonly force: boolean;
  readonly verify: boolean;
  readonly json: boolean;
}

const OPTIONS = Object.fromEntries([
  ...FLAGS.map((f) => [f.name, { type: f.value ? 'string' : 'boolean' }] as const),
  ['help', { type: 'boolean', short: 'h' }] as const,
  ['version', { type: 'boolean', short: 'v' }] as const,
]) as Record<string, { type: 'string' | 'boolean'; short?: string }>;

const isCommand = (word: string | undefined): word is CommandName => word !== undefined && (COMMANDS as readonly string[]).includes(word);

/** A mistake node's own parser found (an unknown flag, a missing value), in our words. */
function parserProblem(message: string, argv: readonly string[]): Problem {
  const command = argv.find(isCommand);
  const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const known = (command ? flagsOf(command) : FLAGS).map((f) => `--${f.name}`);
    const meant = closest(unknown, known);
    return problem('E_USAGE', { kind: 'unknown-flag', flag: unknown, takenBy: [], ...(command ? { command } : {}), ...(meant ? { meant } : {}) }, { path: unknown });
  }
  const missing = /Option '(-\S+?)(?:, -\S+)? <value>' argument missing/.exec(message)?.[1];
  if (missing !== undefined) return problem('E_USAGE', { kind: 'flag-value', flag: missing, needs: 'a value' }, { path: missing });
  const extra = /Option '(-\S+?)' does not take an argument/.exec(message)?.[1];
  if (extra !== undefined) return problem('E_USAGE', { kind: 'flag-value', flag: extra, needs: 'no value' }, { path: extra });
  return problem('E_USAGE', { kind: 'argv', said: message.replace(/\. To specify.*$/s, '') });
}

/** argv (without node and script) -> CliArgs; every mistake reported at once as E_USAGE naming its flag. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS, tokens: true });
  } catch (err) {
    throw new InputError([parserProblem(String((err as Error).message), argv)]);
  }
  const { values, positionals, tokens } = parsed;
  const [first, ...rest] = positionals;
  const base = { paths: [], force: false, verify: false, json: values['json'] === true };
  if (values['version']) return { ...base, command: 'version' };
  if (values['help'] || first === 'help') {
    const topic = first === 'help' ? rest[0] : first;
    if (topic === undefined) return { ...base, command: 'help' };
    if (isCommand(topic)) return { ...base, command: 'help', topic };
    throw new InputError([problem('E_USAGE', { kind: 'value', expected: `one of ${COMMANDS.join(', ')}`, received: topic, ...meantCommand(topic) }, { path: 'command' })]);
  }

  const problems: Problem[] = [];
  if (first === undefined) problems.push(problem('E_USAGE', { kind: 'no-command', commands: COMMANDS }));
  else if (!isCommand(first)) problems.push(problem('E_USAGE', { kind: 'value', expected: `one of ${COMMANDS.join(', ')}`, received: first, ...meantCommand(first) }, { path: 'command' }));
  const command = isCommand(first) ? first : undefined;
  const flags: Record<string, unknown> = {};
  // In the order written, so problems read as the command line does.
  for (const name of new Set(tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : [])))) {
    const spec = FLAGS.find((f) => f.name === name);
    if (!spec) continue;
    if (command && !spec.commands.includes(command)) {
      problems.push(problem('E_USAGE', { kind: 'unknown-flag', flag: `--${name}`, command, takenBy: spec.commands }, { path: `--${name}` }));
      continue;
    }
    const raw = values[name];
    const read = typeof raw === 'string' && spec.read ? spec.read(raw, `--${name}`, problems) : raw;
    if (read !== undefined && read !== false) flags[spec.key] = read;
  }
  if (problems.length > 0) throw new InputError(problems);
  return { ...base, ...(flags as CliFlags), command: command ?? 'help', paths: rest };
}

const meantCommand = (word: string) => {
  const meant = closest(word, COMMANDS);
  return meant === undefined ? {} : { meant };
};
