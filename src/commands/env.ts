import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment providers see: the process environment over a `.env` file in the project root.
 * Keys are read here and nowhere else; they are never written back to process.env.
 */
export function loadEnvironment(projectRoot: string, processEnv: NodeJS.ProcessEnv): Readonly<Record<string, string | undefined>> {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnv(readFileSync(join(projectRoot, '.env'), 'utf8')) as Record<string, string>;
  } catch {
    // No .env: the process environment alone.
  }
  return { ...fromFile, ...processEnv };
}

/** Values that must never be printed or stored: every *_API_KEY / *_TOKEN / *_SECRET / *_SECRET_ACCESS_KEY set. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  return Object.entries(env)
    .filter(([name, value]) => /(_API_KEY|_TOKEN|_SECRET|_SECRET_ACCESS_KEY)$/.test(name) && value !== undefined && value.length >= 4)
    .map(([, value]) => value as string);
}
