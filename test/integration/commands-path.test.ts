import { Session } from 'node:inspector/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

/**
 * Issue 21: `commands/` only wires. Following one build through its calls, how many modules of
 * src/commands/ does the path enter? Counted with V8's precise coverage: a module is entered when
 * any function of it runs during the build (a named function, a closure, a callback a stage calls
 * back). Its top-level code (imports, constants, run once when it is loaded) is not a call, and
 * neither are the export getters the test runner's module loader adds (`() => { try { return x } ... }`).
 * The build is a budgeted one (a campaign `budget:` and --max-cost), settings resolved from flags,
 * the environment and `.env`: every step of an ordinary build runs. 16 modules before issue 21.
 */
async function commandsEntered(run: () => Promise<unknown>): Promise<Map<string, string[]>> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Debugger.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    // What ran before (imports, other tests) is taken and thrown away: only this build counts.
    await session.post('Profiler.takePreciseCoverage');
    await run();
    const { result } = await session.post('Profiler.takePreciseCoverage');
    const entered = new Map<string, string[]>();
    for (const script of result) {
      const module = /\/src\/commands\/([^/]+)\.ts/.exec(script.url)?.[1];
      if (!module) continue;
      const { scriptSource } = await session.post('Debugger.getScriptSource', { scriptId: script.scriptId });
      for (const fn of script.functions) {
        const top = fn.ranges[0]!;
        if (top.count === 0 || top.startOffset === 0) continue;
        if (/^\(\) => \{ try \{ return \w+ \} catch/.test(scriptSource.slice(top.startOffset, top.startOffset + 60))) continue;
        entered.set(module, [...(entered.get(module) ?? []), fn.functionName || '(closure)']);
      }
    }
    return entered;
  } finally {
    await session.post('Profiler.stopPreciseCoverage').catch(() => undefined);
    session.disconnect();
  }
}

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject({ demo: `${DEMO_CAMPAIGN}budget: 5\n` });
  // The CLI loads the commands when one runs (issue 25): loaded here first, so that their modules'
  // load-time code (the runner's wrappers included) is not counted as a call the build makes.
  await import('../../src/commands/api.js');
  await import('../../src/commands/build.js');
});
afterAll(() => project.cleanup());

describe('one build through commands/', () => {
  it('enters at most 6 modules of commands/: settings, the command, prepare, the build, a campaign\'s finish, the footprint of its kept outcome', async () => {
    let code: number | undefined;
    const entered = await commandsEntered(async () => {
      ({ code } = await cli(project.dir, ['build', '--max-cost', '5'], { PRESSROOM_LOG: 'warn' }));
    });
    expect(code).toBe(0);
    const modules = [...entered.keys()].sort();
    expect(modules.length, [...entered].map(([m, fns]) => `${m}: ${fns.join(', ')}`).join('\n')).toBeLessThanOrEqual(6);
    // The walk really is a build's: the modules that do the work are among them.
    expect(modules).toEqual(expect.arrayContaining(['api', 'build', 'finish', 'prepare', 'settings']));
  });
});
