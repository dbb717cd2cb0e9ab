import type { HttpClient, HttpRequest } from '../../src/http/client.js';
import type { EmulatedProvider } from './remote-emulator.js';

/**
 * Wraps the HTTP client to record every submit the run sends: when it left, when its answer
 * came, and whether the provider refused it for capacity. From the client's side, so "after the
 * first limit signal" means sent after the first refusal was received.
 */
export interface SubmitRecord {
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly refused: boolean;
}

export interface SubmitLedger {
  readonly http: HttpClient;
  readonly submits: readonly SubmitRecord[];
  summary(): { submits: number; refused: number; refusedAfterFirstSignal: number; firstSignalAtMs: number | null };
}

function bodyText(req: HttpRequest): string {
  if (typeof req.body === 'string') return req.body;
  if (req.body instanceof Uint8Array) return Buffer.from(req.body).toString('utf8');
  return '';
}

/** Which requests are submits, and which answers are the provider's limit signal, per provider. */
const SHAPES: Readonly<Record<EmulatedProvider, { isSubmit(req: HttpRequest): boolean; refused(status: number, body: Uint8Array): boolean }>> = {
  runware: {
    isSubmit: (req) => req.method === 'POST' && bodyText(req).includes('"imageInference"'),
    refused: (status) => status === 429,
  },
  runninghub: {
    isSubmit: (req) => req.method === 'POST' && /\/(text|image)-to-image$/.test(req.url),
    // RunningHub answers a full queue with errorCode 421 inside an HTTP 200.
    refused: (status, body) => status === 429 || /"errorCode"\s*:\s*"?421"?/.test(Buffer.from(body).toString('utf8')),
  },
  runcomfy: {
    isSubmit: (req) => req.method === 'POST' && /\/v1\/models\//.test(req.url),
    refused: (status) => status === 429,
  },
};

export function submitLedger(inner: HttpClient, provider: EmulatedProvider, now: () => number = () => performance.now()): SubmitLedger {
  const shape = SHAPES[provider];
  const submits: SubmitRecord[] = [];
  return {
    submits,
    http: {
      async request(req) {
        if (!shape.isSubmit(req)) return inner.request(req);
        const sentAt = now();
        try {
          const res = await inner.request(req);
          submits.push({ sentAt, answeredAt: now(), refused: shape.refused(res.status, res.body) });
          return res;
        } catch (err) {
          submits.push({ sentAt, answeredAt: now(), refused: false });
          throw err;
        }
      },
    },
    summary() {
      const refusals = submits.filter((s) => s.refused);
      const first = refusals.length ? Math.min(...refusals.map((s) => s.answeredAt)) : null;
      return {
        submits: submits.length,
        refused: refusals.length,
        refusedAfterFirstSignal: first === null ? 0 : refusals.filter((s) => s.sentAt > first).length,
        firstSignalAtMs: first,
      };
    },
  };
}
