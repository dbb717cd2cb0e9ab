import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CampaignManifest } from '../../src/core/results.js';
import { EMULATORS, emulatorEnv, type AnyEmulator, type StartOptions } from './emulators/index.js';
import { makeProject } from './project.js';

/**
 * Shared set-up of the tests that count what a provider would bill: one campaign of six
 * generations (six locales, one size, six distinct prompts) against an emulator.
 */

export const KEY = 'billing-test-key';
export const PROVIDERS = ['runninghub', 'runcomfy', 'runware'] as const;
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR'];
export const GENERATIONS = LOCALES.length;

const campaign = (provider: string) => `provider: ${provider}
template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales:
${LOCALES.map((t) => `  ${t}: { headline: "Headline ${t}", copy: "Copy ${t}" }`).join('\n')}
sizes: [{ id: square, width: 1080, height: 1080 }]
`;

export async function billingSetup(provider: AnyEmulator['provider'], options: Omit<StartOptions, 'apiKey'> = {}) {
  const emulator = await EMULATORS[provider]({ apiKey: KEY, ...options });
  const project = await makeProject({ launch: campaign(provider) }, '{{scene}}, headline "{{headline}}" in {{language}}');
  return { emulator, project, env: emulatorEnv(emulator, KEY), cleanup: async () => (await emulator.close(), await project.cleanup()) };
}

export const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;

/** Every prompt of the campaign was billed exactly once, over all runs. */
export function billedOncePerPrompt(emulator: AnyEmulator, dir: string): number[] {
  return manifestOf(dir).assets.map((a) => emulator.billed(a.prompt));
}

const journalDir = (dir: string, cacheDir = join('.pressroom', 'cache')) => join(dir, cacheDir, 'journal');
/** Everything in the journal folder, probes and temp files of a running build included. */
export const journalEntries = (dir: string, cacheDir?: string) => (existsSync(journalDir(dir, cacheDir)) ? readdirSync(journalDir(dir, cacheDir)) : []);
/** The per-process journal files (`<pid>-<random>@<host>.jsonl`) of the journal folder. */
const journalFiles = (dir: string, cacheDir?: string) =>
  journalEntries(dir, cacheDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(journalDir(dir, cacheDir), f));
/** A running build closes its journal file out (and removes it) while a test polls: gone reads as empty. */
const readIfPresent = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
};
/** Lines saying a remote task exists (its id came back), over every process's journal file of one cache. */
export const submittedLines = (dir: string, cacheDir?: string) =>
  journalFiles(dir, cacheDir).reduce((n, f) => n + readIfPresent(f).split('\n').filter((l) => l.includes('"submitted"')).length, 0);

export async function until(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what} not met in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Child pids of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** No such process, or only its zombie (an orphan's zombie waits for an init that may not reap). */
export function processGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}
