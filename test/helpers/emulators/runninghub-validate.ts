import { seedreamSizeProblem, type SeedreamModel as ModelId } from './seedream.js';

/** The RunningHub emulator's checks of a submit body (docs/providers/runninghub.md: Request body), as RunningHub answers them. */

const SIDES: Readonly<Record<ModelId, { width: [number, number]; height: [number, number] }>> = {
  'seedream-4.0': { width: [512, 8192], height: [512, 8192] },
  'seedream-4.5': { width: [512, 8192], height: [512, 8192] },
  'seedream-5-lite': { width: [1600, 4704], height: [1344, 4096] },
};
const RESOLUTIONS: Readonly<Record<ModelId, Readonly<Record<string, number>>>> = {
  'seedream-4.0': { '1k': 1024, '2k': 2048, '4k': 4096 },
  'seedream-4.5': { '2k': 2048, '4k': 4096 },
  'seedream-5-lite': { '2k': 2048, '3k': 3072 },
};

/** The size and references a valid body asks for, or the error code and message RunningHub gives. */
export function validateRunningHubSubmit(model: ModelId, mode: string, body: Record<string, unknown>): { code: string; message: string } | { width: number; height: number; imageUrls: string[] } {
  const bad = (message: string, code = '301') => ({ code, message });
  const { prompt } = body;
  if (typeof prompt !== 'string' || prompt.length === 0 || prompt.length > 2000) return bad('prompt must be 1..2000 characters');
  let width = body['width'] ?? 2048;
  let height = body['height'] ?? 2048;
  if (!Number.isInteger(width) || !Number.isInteger(height)) return bad('width and height must be integers');
  for (const side of ['width', 'height'] as const) {
    const v = side === 'width' ? (width as number) : (height as number);
    const [lo, hi] = SIDES[model][side];
    if (v < lo || v > hi || v % 8 !== 0) return bad(`${side} must be a multiple of 8 in ${lo}..${hi}`);
  }
  if (body['resolution'] !== undefined) {
    const side = RESOLUTIONS[model][String(body['resolution'])];
    if (side === undefined) return bad(`resolution must be one of ${Object.keys(RESOLUTIONS[model]).join(', ')}`);
    width = height = side;
  }
  const sizeProblem = seedreamSizeProblem(model, { width: width as number, height: height as number });
  if (sizeProblem) return bad(sizeProblem, '1007');
  const seq = body['sequentialImageGeneration'];
  if (seq !== undefined && seq !== 'disabled' && seq !== 'auto') return bad('sequentialImageGeneration must be disabled or auto');
  const max = body['maxImages'];
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 15)) return bad('maxImages must be 1..15');
  const tools = body['toolsType'];
  if (tools !== undefined && (tools !== 'web_search' || model !== 'seedream-5-lite' || mode !== 'text-to-image')) return bad('toolsType not supported here');
  const urls = body['imageUrls'];
  if (mode === 'text-to-image') return urls === undefined ? { width: width as number, height: height as number, imageUrls: [] } : bad('imageUrls is not a text-to-image field');
  if (!Array.isArray(urls) || urls.length < 1 || urls.length > 10) return bad('imageUrls must hold 1..10 items');
  for (const url of urls) {
    if (typeof url !== 'string') return bad('imageUrls items must be strings');
    const data = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(url);
    if (url.startsWith('data:') && (!data || Buffer.from(data[2]!, 'base64').length > 10 * 1024 * 1024)) return bad('imageUrls data URIs must be PNG/JPEG up to 10 MB', '1008');
    if (!data && !/^https?:\/\//.test(url)) return bad('imageUrls items must be URLs or data URIs');
  }
  return { width: width as number, height: height as number, imageUrls: urls as string[] };
}
