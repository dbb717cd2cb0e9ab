/** Replaces every occurrence of a secret with a marker: API keys never leave in any text we write. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}

/** Values that must never be printed or stored: every *_API_KEY / *_TOKEN / *_SECRET / *_SECRET_ACCESS_KEY set. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  return Object.entries(env)
    .filter(([name, value]) => /(_API_KEY|_TOKEN|_SECRET|_SECRET_ACCESS_KEY)$/.test(name) && value !== undefined && value.length >= 4)
    .map(([, value]) => value as string);
}
