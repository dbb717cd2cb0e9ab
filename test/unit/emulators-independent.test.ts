import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The emulators are independent implementations of the documented APIs: were they to import
 * src/, a misreading there would be mirrored here and every adapter test would still pass.
 */
const HELPERS = join(import.meta.dirname, '../helpers');
const files = [join(HELPERS, 'emulator.ts'), ...readdirSync(join(HELPERS, 'emulators')).map((f) => join(HELPERS, 'emulators', f))];

describe('provider emulators', () => {
  it.each(files.map((f) => [f.slice(HELPERS.length + 1), f]))('%s imports nothing from src/', (_name, file) => {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
    expect(specifiers.filter((s) => s!.includes('/src/'))).toEqual([]);
  });
});
