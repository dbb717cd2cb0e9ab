import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/child.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The attack and bad-input corpus: test/fixtures/attacks/<case>/ is a small project plus case.json.
 * Each runs through the compiled CLI in a child process; a new case is one new folder.
 */

type SetupStep =
  | { readonly file: string; readonly text: string }
  | { readonly file: string; readonly bytes: number; readonly fill: string }
  | { readonly symlink: string; readonly target: string }
  | { readonly fifo: string }
  | { readonly dir: string };

interface AttackCase {
  readonly about: string;
  readonly argv: readonly string[];
  readonly exit: number;
  /** Must appear in stderr (or stdout for a successful run). */
  readonly fragment: string;
  /** The fragment must appear exactly once (a mistake reported once, not per campaign or cell). */
  readonly once?: boolean;
  /** Prepared by the test: files git cannot hold or should not (FIFOs, symlinks, .env, 3 MB). */
  readonly setup?: readonly SetupStep[];
  /** The campaign's provider, when not local: its emulator counts submits (there must be none). */
  readonly provider?: 'runware';
  readonly env?: Readonly<Record<string, string>>;
  /** Values that must appear in no output and no file the run leaves behind. */
  readonly secrets?: readonly string[];
}

const ATTACKS_DIR = join(import.meta.dirname, '../fixtures/attacks');
const cases = readdirSync(ATTACKS_DIR)
  .sort()
  .map((name) => ({ name, spec: JSON.parse(readFileSync(join(ATTACKS_DIR, name, 'case.json'), 'utf8')) as AttackCase }));

const API_KEY = 'sk-emulator-key-0001';
let root: string;
let cleanup: () => Promise<void>;
let runware: AnyEmulator;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-attacks-'));
  runware = await EMULATORS.runware({ apiKey: API_KEY });
});
afterAll(async () => {
  await runware?.close();
  await cleanup();
});

async function applySetup(project: string, steps: readonly SetupStep[]): Promise<void> {
  for (const step of steps) {
    const at = (path: string) => join(project, path);
    if ('symlink' in step) {
      await mkdir(dirname(at(step.symlink)), { recursive: true });
      await symlink(step.target, at(step.symlink));
    } else if ('fifo' in step) {
      await mkdir(dirname(at(step.fifo)), { recursive: true });
      execFileSync('mkfifo', [at(step.fifo)]);
    } else if ('dir' in step) {
      await mkdir(at(step.dir), { recursive: true });
    } else {
      await mkdir(dirname(at(step.file)), { recursive: true });
      const content = 'text' in step ? step.text : step.fill.repeat(Math.ceil(step.bytes / step.fill.length)).slice(0, step.bytes);
      await writeFile(at(step.file), content);
    }
  }
}

/** Every regular file under `dir` (FIFOs, devices and symlinks are not followed) -> sha256. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return files;
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    // The case's own description and .env hold the secret on purpose.
    if (!entry.isFile() || entry.name === '.env' || entry.name === 'case.json') continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) found.push(relative(dir, path));
  }
  return found;
}

describe('attack and bad-input corpus through the CLI', () => {
  it('has a case for every listed attack', () => {
    expect(cases.length).toBeGreaterThanOrEqual(17);
  });

  it.for(cases)('$name', async ({ name, spec }) => {
    const project = join(root, name);
    await cp(join(ATTACKS_DIR, name), project, { recursive: true });
    await applySetup(project, spec.setup ?? []);
    const before = await snapshot(project);
    const submitsBefore = runware.submits();
    const env = { ...(spec.provider === 'runware' ? emulatorEnv(runware, API_KEY) : {}), ...spec.env };

    const child = spawnCli([...spec.argv], project, env);
    const { code } = await child.exited;

    expect({ code, stderr: child.stderr }).toMatchObject({ code: spec.exit });
    expect(spec.exit === 0 ? child.stdout : child.stderr).toContain(spec.fragment);
    if (spec.once) expect(child.stderr.split(spec.fragment)).toHaveLength(2);
    expect(child.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(runware.submits() - submitsBefore).toBe(0);
    if (spec.exit !== 0) {
      // Nothing written, nothing changed: no out/, no cache, pre-existing deliveries intact.
      expect(await snapshot(project)).toEqual(before);
      expect(child.stderr).toMatch(/nothing was generated/);
    }
    for (const secret of spec.secrets ?? []) {
      expect(child.stdout + child.stderr).not.toContain(secret);
      expect(await filesContaining(project, secret)).toEqual([]);
    }
  });
});
