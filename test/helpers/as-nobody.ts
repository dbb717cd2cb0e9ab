import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../src/core/errors.js';

/**
 * Permission errors cannot be provoked as root (CI runs as root): root reads a mode-000 file. The
 * code under test then runs in a child process as nobody, so the kernel applies the modes.
 */
export const IS_ROOT = process.getuid?.() === 0;
export const NOBODY = { uid: 65534, gid: 65534 } as const;
/** Spawn options for a child that must meet file permissions like a normal user. */
export const asUser = IS_ROOT ? NOBODY : {};

const LOAD = fileURLToPath(new URL('../../dist/manifest/load.js', import.meta.url));

/** mkdtemp folders are 0700: nobody must be able to walk into the test's project. */
export async function openToNobody(...dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) await chmod(dir, 0o755);
}

/** loadCampaign in a child process as nobody (when root): the problems, or [] when it loaded. */
export function loadCampaignAsUser(dir: string, projectRoot: string): Promise<readonly Problem[]> {
  const script = `import(${JSON.stringify(LOAD)}).then((m) => m.loadCampaign(${JSON.stringify(dir)}, { projectRoot: ${JSON.stringify(projectRoot)} }))
    .then(() => console.log('[]'), (e) => console.log(JSON.stringify(e.problems ?? [{ code: 'THROWN', message: String(e) }])));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { ...asUser, env: { PATH: process.env['PATH'] } }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as Problem[]);
    });
  });
}
