/** Replaces every occurrence of a secret with a marker: API keys never leave in any text we write. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}
