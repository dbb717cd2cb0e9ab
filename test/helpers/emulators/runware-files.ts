import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { sendBytes, type Fault, type RecordedRequest } from '../emulator.js';
import { makeImage } from '../images.js';

/**
 * The Runware emulator's result CDN: one generated image per size and format (cached, so a
 * benchmark of hundreds of tasks encodes only a handful), served under /files/<uuid>.<ext>
 * until the link expires, then 403 like a signed CDN URL.
 */

export type ImageFormat = 'png' | 'jpeg' | 'webp';

interface StoredFile {
  readonly width: number;
  readonly height: number;
  readonly format: ImageFormat;
  expiresAt: number;
}

const EXT = { png: 'png', jpeg: 'jpg', webp: 'webp' } as const;
export const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

export function createFileStore(origin: () => string, ttlMs: number, now: () => number) {
  const files = new Map<string, StoredFile>();
  const images = new Map<string, Promise<Buffer>>();

  function bytesOf(f: StoredFile): Promise<Buffer> {
    const key = `${f.width}x${f.height}.${f.format}`;
    let cached = images.get(key);
    if (!cached) {
      cached = f.format === 'webp' ? makeImage(f.width, f.height, 'png', 7).then((png) => sharp(png).webp().toBuffer()) : makeImage(f.width, f.height, f.format, 7);
      images.set(key, cached);
    }
    return cached;
  }

  return {
    /** Stores a result and returns its imageUUID and URL. */
    add(width: number, height: number, format: ImageFormat): { imageUUID: string; url: string } {
      const imageUUID = randomUUID();
      files.set(imageUUID, { width, height, format, expiresAt: now() + ttlMs });
      return { imageUUID, url: `${origin()}/files/${imageUUID}.${EXT[format]}` };
    },
    bytes(imageUUID: string): Promise<Buffer> {
      const file = files.get(imageUUID);
      if (!file) throw new Error(`no file ${imageUUID}`);
      return bytesOf(file);
    },
    expireAll(): void {
      for (const f of files.values()) f.expiresAt = 0;
    },
    async serve(req: RecordedRequest, res: ServerResponse, fault: Fault | undefined): Promise<void> {
      const id = /^\/files\/([0-9a-f-]+)\.\w+$/.exec(req.path)?.[1];
      const file = id ? files.get(id) : undefined;
      if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      if ((fault?.kind === 'custom' && fault.name === 'expired') || now() >= file.expiresAt) {
        return void res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
      }
      sendBytes(res, await bytesOf(file), MIME[file.format], fault);
    },
  };
}
