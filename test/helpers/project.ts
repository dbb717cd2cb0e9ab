import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIO } from '../../src/cli.js';
import { tempDir } from './tmp.js';

export const DEMO_CAMPAIGN = `template: poster
vars: { brand: "AQUA//ONE" }
variants:
  - id: hero
    scene: "the bottle in the centre foreground, dramatic water splash"
locales:
  en-US: { headline: "HYDRATION, REFINED", copy: "Smart temperature tracking." }
  de-DE: { headline: "HYDRATION, VERFEINERT", copy: "Intelligente Temperaturanzeige." }
  ar-SA: { headline: "ترطيب، بإتقان", copy: "تتبع ذكي لدرجة الحرارة." }
sizes:
  - { id: square, width: 1080, height: 1080 }
  - { id: thumb, width: 320, height: 320 }
  - { id: story, width: 540, height: 960 }
output: { format: jpeg, quality: 85 }
`;

export const DEMO_TEMPLATE = 'Poster for {{brand}}: {{scene}}. Headline in {{language}}: "{{headline}}". {{copy}}\n';

/** A throwaway project folder with campaigns/<name>/campaign.yaml and templates/poster.hbs. */
export async function makeProject(campaigns: Record<string, string> = { demo: DEMO_CAMPAIGN }, template = DEMO_TEMPLATE) {
  const { dir, cleanup } = await tempDir('pressroom-project-');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'templates', 'poster.hbs'), template);
  for (const [name, yaml] of Object.entries(campaigns)) {
    mkdirSync(join(dir, 'campaigns', name), { recursive: true });
    writeFileSync(join(dir, 'campaigns', name, 'campaign.yaml'), yaml);
  }
  return { dir, cleanup };
}

/** Runs the CLI in-process against `cwd`, capturing both streams; `time` replaces the real clock and timers. */
export async function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, time: Pick<CliIO, 'clock' | 'sleep' | 'filesNow'> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { PATH: process.env['PATH'], CI: 'true', ...env },
    cwd,
    ...time,
  });
  return { code, stdout, stderr };
}
