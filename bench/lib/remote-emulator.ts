import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type EmulatedProvider = 'runware' | 'runninghub' | 'runcomfy';

export interface EmulatorSpec {
  readonly provider: EmulatedProvider;
  readonly apiKey: string;
  readonly latencyMs: number;
  readonly maxActiveTasks?: number;
}

export type HostRequest = { readonly kind: 'start'; readonly spec: EmulatorSpec } | { readonly kind: 'stats' } | { readonly kind: 'close' };

export interface EmulatorStats {
  /** Requests received per route (`submit`, `poll`, `query`, `status`, `download`, ...). */
  readonly routes: Readonly<Record<string, number>>;
  /** TCP connections open at the emulator right now (null if it could not be read). */
  readonly sockets: number | null;
  /** The emulator process's own CPU time. */
  readonly cpu: NodeJS.CpuUsage;
}

export type HostReply =
  | { readonly kind: 'started'; readonly baseUrl: string }
  | ({ readonly kind: 'stats' } & EmulatorStats)
  | { readonly kind: 'closed' }
  | { readonly kind: 'error'; readonly message: string };

export interface RemoteEmulator {
  readonly provider: EmulatedProvider;
  readonly baseUrl: string;
  readonly envPrefix: string;
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

const HOST = fileURLToPath(new URL('./emulator-host.js', import.meta.url));
const ENV_PREFIX: Readonly<Record<EmulatedProvider, string>> = { runware: 'RUNWARE', runninghub: 'RUNNINGHUB', runcomfy: 'RUNCOMFY' };
/** The poll route of each emulator: what one status check is called there. */
export const POLL_ROUTE: Readonly<Record<EmulatedProvider, string>> = { runware: 'poll', runninghub: 'query', runcomfy: 'status' };

/** Starts an emulator in its own process (see emulator-host.ts). */
export async function startRemoteEmulator(spec: EmulatorSpec): Promise<RemoteEmulator> {
  const child = fork(HOST, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <K extends HostReply['kind']>(request: HostRequest, want: K, timeoutMs = 30_000) =>
    new Promise<Extract<HostReply, { kind: K }>>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`emulator host did not answer ${request.kind} within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (reply: HostReply) => {
        if (reply.kind === 'error') finish(new Error(`emulator host: ${reply.message}`));
        else if (reply.kind === want) finish(undefined, reply as Extract<HostReply, { kind: K }>);
      };
      const onExit = () => finish(new Error('emulator host exited'));
      function finish(err?: Error, reply?: Extract<HostReply, { kind: K }>) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(reply!);
      }
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(request);
    });
  let started;
  try {
    started = await ask({ kind: 'start', spec }, 'started');
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    provider: spec.provider,
    baseUrl: started.baseUrl,
    envPrefix: ENV_PREFIX[spec.provider],
    async stats() {
      const { routes, sockets, cpu } = await ask({ kind: 'stats' }, 'stats');
      return { routes, sockets, cpu };
    },
    close: () => closeHost(child, () => ask({ kind: 'close' }, 'closed', 10_000)),
  };
}

async function closeHost(child: ChildProcess, ask: () => Promise<unknown>): Promise<void> {
  if (child.exitCode !== null) return;
  try {
    await ask();
  } catch {
    // Stuck or gone: it is ours, end it.
  }
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
