import { createHttpClient, type HttpClient, type HttpRequest } from '../../src/http/client.js';
import type { EmulatorServer } from './emulator.js';

/** Far more than any answer on 127.0.0.1 takes, however loaded the machine. */
const ORDINARY_TIMEOUT_MS = 60_000;

/**
 * An HTTP client for tests of a request the emulator leaves hanging. Only that request meets a
 * timeout: `hungTimeoutMs`, or the cap its job deadline gives it when `hungTimeoutMs` is absent.
 * Every other request gets all the time it needs, so a slow answer on a loaded machine never
 * times out as a second, unplanned hang (which would change the request counts a test asserts).
 */
export function timeoutOnlyTheHang(server: EmulatorServer, hungTimeoutMs?: number): HttpClient & { close(): Promise<void> } {
  const http = createHttpClient();
  const shape = (req: HttpRequest): HttpRequest => {
    if (!server.wouldHang(req)) return { ...req, timeoutMs: ORDINARY_TIMEOUT_MS, timeoutCapMs: undefined };
    return hungTimeoutMs === undefined ? req : { ...req, timeoutMs: hungTimeoutMs };
  };
  return { request: (req) => http.request(shape(req)), close: () => http.close() };
}
