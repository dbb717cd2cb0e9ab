import type { EmulatorServer } from '../../test/helpers/emulator.js';
import { startRunComfyEmulator } from '../../test/helpers/emulators/runcomfy.js';
import { startRunningHubEmulator } from '../../test/helpers/emulators/runninghub.js';
import { startRunwareEmulator } from '../../test/helpers/emulators/runware.js';
import { WallClock } from '../../test/helpers/emulators/clock.js';
import type { EmulatorSpec, HostReply, HostRequest } from './remote-emulator.js';

/**
 * Child process that runs one provider emulator, so the bench process's CPU figures are the
 * client's alone and the two sides get a core each, as they would across a network.
 * Spoken to over IPC: a spec comes in, the base URL goes out, then stats on request.
 */

async function start(spec: EmulatorSpec): Promise<{ baseUrl: string; server: EmulatorServer; close: () => Promise<void> }> {
  // Latency in real milliseconds: the bench measures the client against it.
  const common = { apiKey: spec.apiKey, latencyMs: spec.latencyMs, maxActiveTasks: spec.maxActiveTasks, clock: new WallClock() };
  switch (spec.provider) {
    case 'runware':
      return startRunwareEmulator(common);
    case 'runninghub':
      return startRunningHubEmulator(common);
    case 'runcomfy':
      return startRunComfyEmulator(common);
  }
}

/** Open TCP connections from clients. EmulatorServer keeps them for close(); the field is private, so read defensively. */
function openSockets(server: EmulatorServer): number | null {
  const sockets = (server as unknown as { sockets?: unknown }).sockets;
  return sockets instanceof Set ? sockets.size : null;
}

function routeCounts(server: EmulatorServer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of server.requests) counts[r.route ?? 'unmatched'] = (counts[r.route ?? 'unmatched'] ?? 0) + 1;
  return counts;
}

let emulator: Awaited<ReturnType<typeof start>> | undefined;
const send = (reply: HostReply) => process.send?.(reply);

process.on('message', (message: HostRequest) => {
  void (async () => {
    try {
      switch (message.kind) {
        case 'start':
          emulator = await start(message.spec);
          return send({ kind: 'started', baseUrl: emulator.baseUrl });
        case 'stats': {
          const server = emulator!.server;
          return send({ kind: 'stats', routes: routeCounts(server), sockets: openSockets(server), cpu: process.cpuUsage() });
        }
        case 'close':
          await emulator?.close();
          send({ kind: 'closed' });
          return process.disconnect();
      }
    } catch (err) {
      send({ kind: 'error', message: String((err as Error)?.message ?? err) });
    }
  })();
});
