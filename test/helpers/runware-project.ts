import { afterAll, beforeAll } from 'vitest';
import { EMULATORS, emulatorEnv, type AnyEmulator } from './emulators/index.js';
import { cli, makeProject } from './project.js';

/** The two-locale Runware campaign the review tests approve, over the given `sizes:` block. */
export const reviewCampaign = (sizes: string) => `provider: runware
model: seedream-4.5
template: poster
vars: { brand: "AQUA//ONE" }
variants: [{ id: hero, scene: "the bottle on wet stone" }]
locales:
  en-US: { headline: "HYDRATION, REFINED", copy: "Smart temperature tracking." }
  de-DE: { headline: "HYDRATION, VERFEINERT", copy: "Intelligente Anzeige." }
${sizes}
`;

export interface RunwareProject {
  readonly emulator: AnyEmulator;
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A project of `campaigns` that builds against a Runware emulator, started before the file's tests
 * and stopped after them. `run` is the CLI with `--json`, its document parsed.
 */
export function useRunwareProject(key: string, campaigns: Record<string, string>) {
  const state: { emulator?: AnyEmulator; project?: { dir: string; cleanup: () => Promise<void> } } = {};
  beforeAll(async () => {
    state.emulator = await EMULATORS.runware({ apiKey: key, latencyMs: 10 });
    state.project = await makeProject(campaigns);
  });
  afterAll(async () => {
    await state.emulator?.close();
    await state.project?.cleanup();
  });
  const ctx: RunwareProject = {
    get emulator() {
      return state.emulator!;
    },
    get dir() {
      return state.project!.dir;
    },
    get env() {
      return emulatorEnv(state.emulator!, key);
    },
  };
  const run = (args: string[]) => cli(ctx.dir, [...args, '--json'], ctx.env).then((r) => ({ ...r, doc: JSON.parse(r.stdout) as Record<string, any> }));
  return { ctx, run };
}
