import { spawn } from 'node:child_process';
import { devCommand } from '../commands/dev.js';
import type { Settings } from '../commands/settings.js';
import type { CliArgs } from './args.js';
import { realTimer } from './interrupt.js';
import { print, type Screen } from './output.js';

/**
 * `pressroom dev` on the terminal: Ctrl-C ends it (the server and the watcher close, a build in
 * flight is cancelled, its paid task ids kept in the journal); problems of each save are printed
 * as `pressroom build` prints them, on stderr, while the page shows the same lines.
 */
export async function runDevCli(
  args: CliArgs,
  settings: Settings,
  screen: Screen,
  io: { readonly onInterrupt?: (handler: () => void) => void; readonly onParentGone?: (handler: () => void) => void },
): Promise<number> {
  const stop = new AbortController();
  const press = () => {
    if (stop.signal.aborted) return;
    screen.stderr('stopping: the review page closes; anything in flight is cancelled (paid task ids stay in the journal)\n');
    stop.abort();
  };
  io.onInterrupt?.(press);
  io.onParentGone?.(press);
  // Between saves the terminal carries chatter only; --json keeps stdout for the one document at the end.
  const chatter: Screen = { ...screen, stdout: screen.stderr, json: false };
  const result = await devCommand(settings, args.paths, { port: args.port, host: args.host, candidates: args.candidates }, {
    stop: stop.signal,
    setTimer: realTimer,
    show: (r) => void print('campaigns' in r ? { command: 'build', result: r } : { command: 'none', result: r }, chatter),
    ...(args.open ? { openUrl: (url: string) => openInBrowser(url, screen) } : {}),
  });
  return print({ command: 'none', result }, screen);
}

/** The system's own opener; nothing else is started. */
function openInBrowser(url: string, screen: Screen): void {
  const [command, ...rest] = process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""'] : ['xdg-open'];
  const child = spawn(command!, [...rest, url], { stdio: 'ignore', detached: true });
  child.on('error', () => screen.stderr(`could not open a browser (${command} failed): open ${url} yourself\n`));
  child.unref();
}
