import type { FactsOf } from '../../core/errors.js';

/**
 * Campaign `providerOptions` a provider understands, as a table of dotted paths and checks. Any
 * other key is refused at validate: passed through unchecked, a setting such as Runware's
 * `providerSettings.bytedance.maxSequentialImages` bills several images and delivers one.
 */

/** Why `value` is not acceptable, or undefined. */
export type OptionCheck = (value: unknown) => string | undefined;

/** Dotted path under providerOptions → its check. Objects on the way to a listed path are walked. */
export type OptionTable = Readonly<Record<string, OptionCheck>>;

export interface OptionProblem {
  /** Dotted path under providerOptions, e.g. `providerSettings.bytedance.maxSequentialImages`. */
  readonly path: string;
  /** The catalogue's facts for E_PROVIDER_OPTION. */
  readonly facts: FactsOf<'E_PROVIDER_OPTION'>;
}

export const oneOf =
  (...values: readonly string[]): OptionCheck =>
  (v) =>
    typeof v === 'string' && values.some((x) => x.toLowerCase() === v.toLowerCase()) ? undefined : `expected one of ${values.join(', ')}`;

export const integerIn =
  (min: number, max: number): OptionCheck =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `expected an integer from ${min} to ${max}`;

export const httpsUrl: OptionCheck = (v) => (typeof v === 'string' && /^https:\/\/[^\s]+$/i.test(v) ? undefined : 'expected an https:// URL');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every problem of `options` against `table`, naming the offending path. */
export function checkOptions(provider: string, table: OptionTable, options: Readonly<Record<string, unknown>>): OptionProblem[] {
  const known = Object.keys(table);
  const problems: OptionProblem[] = [];
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const check = table[path];
      if (check) {
        const why = check(v);
        if (why) problems.push({ path, facts: { provider, option: path, why } });
      } else if (isObject(v) && known.some((k) => k.startsWith(`${path}.`))) {
        walk(v, path);
      } else {
        problems.push({ path, facts: { provider, option: path, known } });
      }
    }
  };
  walk(options, '');
  return problems;
}
