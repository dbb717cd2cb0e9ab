import { ProviderError } from '../../core/errors.js';
import type { ProgressEvent } from '../../core/generation.js';
import { redact } from '../../core/redact.js';
import type { Provider } from '../types.js';

/**
 * Provider text enters our data here, once, for every sink: error messages, provider codes and
 * status words leave `generate` with the provider's own keys replaced by [redacted], before they
 * become a job failure in manifest.json, the gallery, --json or a log line. A provider's error
 * text may echo what it was sent (RunningHub's `errorMessage` has been seen quoting the key).
 */
export function redactingProvider(provider: Provider, secrets: readonly string[]): Provider {
  const keys = secrets.filter((s) => s.length >= 4);
  if (keys.length === 0) return provider;
  const clean = (text: string) => redact(text, keys);
  const cleanEvent = (e: ProgressEvent): ProgressEvent => (e.kind === 'status' ? { ...e, status: clean(e.status) } : e);
  return {
    ...provider,
    async generate(request, ctx) {
      const onProgress = ctx.onProgress;
      try {
        return await provider.generate(request, onProgress ? { ...ctx, onProgress: (e) => onProgress(cleanEvent(e)) } : ctx);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const details = err.details();
        throw new ProviderError(
          {
            ...details,
            ...(details.providerCode !== undefined ? { providerCode: clean(details.providerCode) } : {}),
            ...(details.taskId !== undefined ? { taskId: clean(details.taskId) } : {}),
          },
          clean(err.message),
        );
      }
    },
  };
}

/** A provider's own keys: the values of the variables it requires. */
export function providerSecrets(provider: Pick<Provider, 'requiredEnv'>, env: Readonly<Record<string, string | undefined>>): string[] {
  return provider.requiredEnv.flatMap((name) => (env[name] ? [env[name]] : []));
}
