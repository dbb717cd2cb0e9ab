import { createRequire } from 'node:module';
import type * as Canvas from '@napi-rs/canvas';

let loaded: typeof Canvas | undefined;

/**
 * @napi-rs/canvas, loaded on first use: a build whose campaigns draw no text never pays for it
 * (about 40 ms). Loading it is also when the canvas scans the machine's fonts (90 ms and 16 MB
 * with 254 system fonts) unless DISABLE_SYSTEM_FONTS_LOAD is set: the entry points (src/bin.ts
 * through cli.ts, src/index.ts) set it, being the process's owners. A synchronous require keeps
 * the typesetter synchronous.
 */
export function canvas(): typeof Canvas {
  loaded ??= createRequire(import.meta.url)('@napi-rs/canvas') as typeof Canvas;
  return loaded;
}
