import { InputError, problem } from '../core/errors.js';
import { createLocalProvider } from './local/index.js';
import { createRunComfyProvider } from './runcomfy/index.js';
import { createRunningHubProvider } from './runninghub/index.js';
import { createRunwareProvider } from './runware/index.js';
import { providerSecrets, redactingProvider } from './kit/redact.js';
import type { Provider, ProviderConfig, ProviderFactory } from './types.js';
import type { ProviderName } from '../core/campaign.js';

const FACTORIES: Readonly<Record<ProviderName, ProviderFactory>> = {
  local: createLocalProvider,
  runninghub: createRunningHubProvider,
  runware: createRunwareProvider,
  runcomfy: createRunComfyProvider,
};

/**
 * One instance per provider for the whole build, so all campaigns share its concurrency; what it
 * says leaves it with its keys redacted (kit/redact.ts).
 */
export function createProviders(config: ProviderConfig): (name: ProviderName) => Provider {
  const instances = new Map<ProviderName, Provider>();
  return (name) => {
    let provider = instances.get(name);
    if (!provider) {
      const made = FACTORIES[name](config);
      provider = redactingProvider(made, providerSecrets(made, config.env));
      instances.set(name, provider);
    }
    return provider;
  };
}

/** Missing API keys, checked once before any job starts; names the variable, never a value. */
export function checkEnvironment(providers: readonly Provider[], env: Readonly<Record<string, string | undefined>>): void {
  const missing = new Set<string>();
  const spaced = new Set<string>();
  for (const p of providers) {
    for (const name of p.requiredEnv) {
      const value = env[name];
      if (!value?.trim()) missing.add(name);
      // Sent as a header, a line break fails every request (undici: invalid header) after retries.
      else if (/[\s\u0000-\u001f\u007f]/.test(value)) spaced.add(name);
    }
  }
  if (missing.size === 0 && spaced.size === 0) return;
  const owner = (name: string) => providers.find((p) => p.requiredEnv.includes(name))?.name;
  throw new InputError([
    ...[...missing].map((variable) => problem('E_ENV', { kind: 'unset', variable, provider: owner(variable) })),
    ...[...spaced].map((variable) => problem('E_ENV', { kind: 'whitespace', variable, provider: owner(variable) })),
  ]);
}
