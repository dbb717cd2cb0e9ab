import { seedreamSizeProblem, type SeedreamModel as ModelId, type Size as PixelSize } from './seedream.js';

/**
 * Request validation of the RunComfy emulator, from docs/providers/runcomfy.md (Request bodies) and docs/providers/seedream.md: the
 * `resolution` enumeration, the model's pixel range, and the edit model's `images` (1..14,
 * JPEG/PNG, https URLs or data URIs). Answers are FastAPI-style 422 `detail` items.
 */

export interface EmulatedModel {
  readonly model: ModelId;
  readonly edit: boolean;
  /** The body fields the model's schema documents; anything else is refused (extra_forbidden). */
  readonly fields: readonly string[];
}

/** Documented model ids only (docs/providers/runcomfy.md, Endpoints). */
export const EMULATED_MODELS: Readonly<Record<string, EmulatedModel>> = {
  'bytedance/seedream-4-5/text-to-image': { model: 'seedream-4.5', edit: false, fields: ['prompt', 'resolution'] },
  'bytedance/seedream-4-5/edit': { model: 'seedream-4.5', edit: true, fields: ['prompt', 'images'] },
  'bytedance/seedream-5/lite/text-to-image': { model: 'seedream-5-lite', edit: false, fields: ['prompt'] },
};

export const RESOLUTION_ENUM = [
  '2K',
  '4K',
  '2048x2048 (1:1)',
  '2304x1728 (4:3)',
  '1728x2304 (3:4)',
  '2560x1440 (16:9)',
  '1440x2560 (9:16)',
  '2496x1664 (3:2)',
  '1664x2496 (2:3)',
  '3024x1296 (21:9)',
  '4096x4096 (1:1)',
] as const;

export interface DetailItem {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

export interface ValidRequest {
  readonly prompt: string;
  readonly size: PixelSize;
  readonly images: readonly string[];
}

export interface ValidateOptions {
  readonly acceptDataUris: boolean;
}

const MAX_IMAGES = 14;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export function validateSubmit(model: EmulatedModel, body: unknown, options: ValidateOptions): ValidRequest | DetailItem[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [{ loc: ['body'], msg: 'Input should be a valid JSON object', type: 'model_attributes_type' }];
  }
  const input = body as Record<string, unknown>;
  const detail: DetailItem[] = [];
  const prompt = input['prompt'];
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    detail.push({ loc: ['body', 'prompt'], msg: prompt === undefined ? 'Field required' : 'Input should be a non-empty string', type: 'missing' });
  }
  for (const key of Object.keys(input)) {
    if (!model.fields.includes(key)) detail.push({ loc: ['body', key], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' });
  }
  const size = sizeOf(model, input['resolution'], detail);
  const images = model.edit ? checkImages(input['images'], options, detail) : [];
  if (detail.length > 0) return detail;
  return { prompt: prompt as string, size: size!, images };
}

function sizeOf(model: EmulatedModel, resolution: unknown, detail: DetailItem[]): PixelSize | undefined {
  const value = resolution ?? '2048x2048 (1:1)';
  if (typeof value !== 'string' || !(RESOLUTION_ENUM as readonly string[]).includes(value)) {
    detail.push({ loc: ['body', 'resolution'], msg: `Input should be ${RESOLUTION_ENUM.map((r) => `'${r}'`).join(', ')}`, type: 'enum' });
    return undefined;
  }
  const size =
    value === '2K' ? { width: 2048, height: 2048 } : value === '4K' ? { width: 4096, height: 4096 } : parseSize(value);
  const problem = seedreamSizeProblem(model.model, size);
  if (problem) detail.push({ loc: ['body', 'resolution'], msg: problem, type: 'value_error' });
  return size;
}

function parseSize(value: string): PixelSize {
  const [w, h] = value.split(' ')[0]!.split('x').map(Number);
  return { width: w!, height: h! };
}

function checkImages(images: unknown, options: ValidateOptions, detail: DetailItem[]): string[] {
  if (!Array.isArray(images)) {
    detail.push({ loc: ['body', 'images'], msg: images === undefined ? 'Field required' : 'Input should be a valid array', type: 'missing' });
    return [];
  }
  if (images.length < 1 || images.length > MAX_IMAGES) {
    detail.push({ loc: ['body', 'images'], msg: `List should have 1 to ${MAX_IMAGES} items, not ${images.length}`, type: 'too_long' });
  }
  images.forEach((item, i) => {
    const problem = imageProblem(item, options);
    if (problem) detail.push({ loc: ['body', 'images', i], msg: problem, type: 'value_error' });
  });
  return images.filter((i): i is string => typeof i === 'string');
}

function imageProblem(item: unknown, options: ValidateOptions): string | undefined {
  if (typeof item !== 'string') return 'Input should be a valid URI string';
  if (item.startsWith('https://')) return undefined;
  const match = /^data:image\/(png|jpeg);base64,(.+)$/s.exec(item);
  if (!match) return 'Input should be an https URL or a JPEG/PNG data URI';
  if (!options.acceptDataUris) return 'data URIs are not accepted; pass a hosted https URL';
  const bytes = Buffer.from(match[2]!, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) return `image has ${bytes.length} bytes; the limit is ${MAX_IMAGE_BYTES}`;
  const png = bytes[0] === 0x89 && bytes[1] === 0x50;
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (match[1] === 'png' ? !png : !jpeg) return `data URI does not hold a ${match[1]!.toUpperCase()} image`;
  return undefined;
}
