import { seedreamSizeProblem, type SeedreamModel as ModelId } from './seedream.js';

/**
 * Request validation of the Runware emulator's imageInference task, written from
 * docs/providers/runware.md (`imageInference` request fields, Model size constraints on Runware):
 * range validation for every model, per the note in docs/providers/seedream.md.
 */

export interface RunwareWireError {
  readonly code: string;
  readonly message: string;
  readonly parameter?: string | readonly string[];
}

export const AIR_MODELS: Readonly<Record<string, ModelId>> = {
  'bytedance:5@0': 'seedream-4.0',
  'bytedance:seedream@4.5': 'seedream-4.5',
  'bytedance:seedream@5.0-lite': 'seedream-5-lite',
};

const RESOLUTIONS: Readonly<Record<ModelId, Readonly<Record<string, number>>>> = {
  'seedream-4.0': { '1K': 1024, '2K': 2048, '4K': 4096 },
  'seedream-4.5': { '2K': 2048, '4K': 4096 },
  'seedream-5-lite': { '2K': 2048, '3K': 3072 },
};

const KNOWN_FIELDS = new Set([
  'taskType', 'taskUUID', 'model', 'positivePrompt', 'width', 'height', 'resolution', 'seed', 'numberResults',
  'outputType', 'outputFormat', 'outputQuality', 'includeCost', 'deliveryMethod', 'webhookURL', 'uploadEndpoint',
  'ttl', 'safety', 'inputs', 'referenceImages', 'providerSettings',
]);

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATA_URI = /^data:image\/(png|jpeg|jpg|webp|bmp|gif|tiff);base64,([A-Za-z0-9+/=\s]*)$/;
const MAX_REFERENCE_BYTES = 10 * 1024 * 1024;

export interface ValidInference {
  readonly model: ModelId;
  readonly prompt: string;
  readonly width: number;
  readonly height: number;
  readonly seed?: number;
  readonly numberResults: number;
  readonly format: 'png' | 'jpeg' | 'webp';
  readonly outputType: 'URL' | 'dataURI' | 'base64Data';
  readonly includeCost: boolean;
  readonly async: boolean;
  readonly references: readonly string[];
}

const fail = (code: string, message: string, parameter?: string | string[]): RunwareWireError => ({ code, message, parameter });

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function checkReference(ref: unknown, i: number, uploads: ReadonlySet<string>): RunwareWireError | undefined {
  const parameter = `inputs.referenceImages[${i}]`;
  if (typeof ref !== 'string' || ref === '') return fail('invalidReferenceImage', 'Reference images must be strings', parameter);
  if (/^https?:\/\//.test(ref)) return undefined;
  if (ref.startsWith('data:')) {
    const m = DATA_URI.exec(ref);
    if (!m) return fail('invalidReferenceImage', 'Unsupported data URI: expected data:image/<format>;base64,...', parameter);
    if (Buffer.from(m[2]!, 'base64').length > MAX_REFERENCE_BYTES) return fail('valueTooLarge', 'Reference image exceeds 10 MB', parameter);
    return undefined;
  }
  if (UUID_V4.test(ref)) return uploads.has(ref.toLowerCase()) ? undefined : fail('mediaNotFound', `No image with UUID ${ref}`, parameter);
  if (/^[A-Za-z0-9+/=\s]+$/.test(ref)) {
    return Buffer.from(ref, 'base64').length > MAX_REFERENCE_BYTES ? fail('valueTooLarge', 'Reference image exceeds 10 MB', parameter) : undefined;
  }
  return fail('invalidReferenceImage', 'Reference images must be a UUID, URL, data URI or base64', parameter);
}

/** The task's fields, or the first thing Runware would reject. */
export function validateInference(task: Record<string, unknown>, uploads: ReadonlySet<string>): ValidInference | RunwareWireError {
  for (const key of Object.keys(task)) if (!KNOWN_FIELDS.has(key)) return fail('unknownParameter', `Unknown parameter ${key}`, key);
  const model = typeof task['model'] === 'string' ? AIR_MODELS[task['model']] : undefined;
  if (!model) return fail('invalidModel', 'Unknown or unsupported model', 'model');
  const prompt = task['positivePrompt'];
  if (typeof prompt !== 'string' || prompt.length === 0) return fail('missingPositivePrompt', 'positivePrompt is required', 'positivePrompt');
  if (prompt.length > 2000) return fail('invalidPositivePromptLength', 'positivePrompt must be 1 to 2000 characters', 'positivePrompt');

  const inputs = task['inputs'] as Record<string, unknown> | undefined;
  const refsValue = inputs?.['referenceImages'] ?? task['referenceImages'];
  let references: unknown[] = [];
  if (refsValue !== undefined) {
    if (!Array.isArray(refsValue) || refsValue.length === 0) return fail('arrayTooSmall', 'referenceImages needs 1 to 14 items', 'inputs.referenceImages');
    if (refsValue.length > 14) return fail('valueTooLarge', 'referenceImages takes at most 14 items', 'inputs.referenceImages');
    references = refsValue;
    for (const [i, ref] of references.entries()) {
      const problem = checkReference(ref, i, uploads);
      if (problem) return problem;
    }
  }

  let width = task['width'];
  let height = task['height'];
  if ((width === undefined) !== (height === undefined)) return fail('incompatibleParameters', 'width and height must be used together', ['width', 'height']);
  if (width === undefined) {
    const preset = typeof task['resolution'] === 'string' ? RESOLUTIONS[model][task['resolution'].toUpperCase()] : undefined;
    if (!preset) return fail('missingParameter', 'width and height (or a supported resolution) are required', ['width', 'height', 'resolution']);
    width = preset;
    height = preset;
  }
  if (!isInt(width, 1, 100_000) || !isInt(height, 1, 100_000)) return fail('invalidDimensions', 'width and height must be integers', ['width', 'height']);
  const sizeProblem = seedreamSizeProblem(model, { width, height });
  if (sizeProblem) return fail('invalidDimensions', sizeProblem, ['width', 'height']);

  const seed = task['seed'];
  if (seed !== undefined && !isInt(seed, 0, Number.MAX_SAFE_INTEGER)) return fail('invalidSeed', 'seed must be an integer >= 0', 'seed');
  const numberResults = task['numberResults'] ?? 1;
  if (!isInt(numberResults, 1, 20)) return fail('invalidNumberResults', 'numberResults must be 1 to 20', 'numberResults');
  const sequential = (task['providerSettings'] as { bytedance?: { maxSequentialImages?: unknown } } | undefined)?.bytedance?.maxSequentialImages;
  if (sequential !== undefined && (!isInt(sequential, 1, 15) || sequential + references.length > 15)) {
    return fail('valueTooLarge', 'reference images plus maxSequentialImages cannot exceed 15', 'providerSettings.bytedance.maxSequentialImages');
  }
  const outputType = task['outputType'] ?? 'URL';
  if (outputType !== 'URL' && outputType !== 'dataURI' && outputType !== 'base64Data') return fail('invalidOutputType', 'outputType must be URL, dataURI or base64Data', 'outputType');
  const outputFormat = task['outputFormat'] ?? 'JPG';
  const format = outputFormat === 'PNG' ? 'png' : outputFormat === 'JPG' ? 'jpeg' : outputFormat === 'WEBP' ? 'webp' : undefined;
  if (!format) return fail('invalidOutputFormat', 'outputFormat must be JPG, PNG or WEBP', 'outputFormat');
  const quality = task['outputQuality'];
  if (quality !== undefined && !isInt(quality, 20, 99)) return fail('invalidOutputQuality', 'outputQuality must be 20 to 99', 'outputQuality');
  const delivery = task['deliveryMethod'] ?? 'sync';
  if (delivery !== 'sync' && delivery !== 'async') return fail('invalidDeliveryMethod', 'deliveryMethod must be sync or async', 'deliveryMethod');
  const includeCost = task['includeCost'] ?? false;
  if (typeof includeCost !== 'boolean') return fail('invalidIncludeCost', 'includeCost must be a boolean', 'includeCost');

  return {
    model,
    prompt,
    width,
    height,
    seed: seed as number | undefined,
    numberResults,
    format,
    outputType,
    includeCost,
    async: delivery === 'async',
    references: references as string[],
  };
}
