import { timingSafeEqual } from 'node:crypto';

/**
 * Who may talk to the review server. The page can spend money (generate) and write approved.lock,
 * and any other page open in the browser can send requests to 127.0.0.1; so:
 *
 * - Host: only the names the server was started for. A site that rebinds its own name to
 *   127.0.0.1 (DNS rebinding) reaches the server under its own name and is refused, page and all,
 *   so it never reads the token below.
 * - Origin: a request that changes anything must come from the server's own page; browsers
 *   send Origin with every POST, and another site's differs.
 * - Token: a random one per run, in the page only, sent back in a header a cross-site request
 *   cannot set without a preflight the server never grants.
 */
export interface RequestFacts {
  readonly method: string;
  readonly host?: string;
  readonly origin?: string;
  readonly token?: string;
  readonly contentType?: string;
}

export interface Guard {
  /** Why the request is refused, or undefined when it may go on. */
  check(request: RequestFacts): string | undefined;
  readonly token: string;
}

export const TOKEN_HEADER = 'x-pressroom-token';

/** `host:port` forms a browser may send for these names (IPv6 in brackets). */
function authorities(names: readonly string[], port: number): Set<string> {
  return new Set(names.map((n) => (n.includes(':') && !n.startsWith('[') ? `[${n}]` : n).toLowerCase()).map((n) => `${n}:${port}`));
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `names`: the host names the page may be reached by (127.0.0.1, localhost, ::1 and --host's). */
export function createGuard(names: readonly string[], port: number, token: string): Guard {
  const allowed = authorities(names, port);
  return {
    token,
    check(r) {
      const host = r.host?.toLowerCase();
      if (!host || !allowed.has(host)) return `the request was addressed to ${JSON.stringify(r.host ?? '')}, not to this server (${[...allowed][0]})`;
      if (r.method === 'GET' || r.method === 'HEAD') return undefined;
      if (r.origin === undefined) return 'a request that changes anything must come from the review page (it had no Origin)';
      if (r.origin.toLowerCase() !== `http://${host}`) return `the request came from another site (Origin ${r.origin})`;
      if (r.token === undefined || !same(r.token, token)) return 'the request did not carry the page\'s token';
      if (!(r.contentType ?? '').toLowerCase().startsWith('application/json')) return 'expected a JSON body';
      return undefined;
    },
  };
}
