import type { ServerResponse } from 'node:http';

/**
 * Server-Sent Events to every open review page: one line of JSON per event, nothing kept for late
 * comers (a page that connects reads the whole state first, then listens).
 */
export interface EventHub {
  /** Holds the response open as an event stream until the page goes or the hub closes. */
  attach(res: ServerResponse): void;
  publish(event: string, data: unknown): void;
  /** Pages connected now. */
  size(): number;
  close(): void;
}

export function createEventHub(): EventHub {
  const clients = new Set<ServerResponse>();
  return {
    attach(res) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      // The page reconnects a second after a lost connection (a restart of dev).
      res.write('retry: 1000\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },
    publish(event, data) {
      // JSON has no raw newline, so one data line carries it whole.
      const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const res of clients) res.write(frame);
    },
    size: () => clients.size,
    close() {
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
