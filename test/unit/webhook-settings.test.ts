import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/deps.js';
import { startWebhooks } from '../../src/commands/webhooks.js';

async function problem(env: Record<string, string>): Promise<{ code: string; path?: string; message: string }> {
  const err = await startWebhooks(env, silentLogger).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems[0]! as { code: string; path?: string; message: string };
}

describe('webhook settings from the environment', () => {
  it('starts nothing without PRESSROOM_WEBHOOK_URL: polling stays the default', async () => {
    expect(await startWebhooks({ PRESSROOM_WEBHOOK_LISTEN: '127.0.0.1:0' }, silentLogger)).toBeUndefined();
  });

  it('hands providers URLs under the public base, listening where PRESSROOM_WEBHOOK_LISTEN says', async () => {
    const server = await startWebhooks({ PRESSROOM_WEBHOOK_URL: 'https://hooks.example.com/pressroom/', PRESSROOM_WEBHOOK_LISTEN: '127.0.0.1:0', PRESSROOM_WEBHOOK_POLL_MS: '45000' }, silentLogger);
    try {
      expect(server!.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server!.safetyPollMs).toBe(45_000);
      expect(server!.route('runware', () => []).url).toMatch(/^https:\/\/hooks\.example\.com\/pressroom\/[0-9a-f]{32}\/runware$/);
    } finally {
      await server?.close();
    }
  });

  it.each([
    [{ PRESSROOM_WEBHOOK_URL: 'hooks.example.com' }, 'PRESSROOM_WEBHOOK_URL'],
    [{ PRESSROOM_WEBHOOK_URL: 'ftp://hooks.example.com' }, 'PRESSROOM_WEBHOOK_URL'],
    [{ PRESSROOM_WEBHOOK_URL: 'https://h.example.com', PRESSROOM_WEBHOOK_LISTEN: 'localhost' }, 'PRESSROOM_WEBHOOK_LISTEN'],
    [{ PRESSROOM_WEBHOOK_URL: 'https://h.example.com', PRESSROOM_WEBHOOK_LISTEN: '127.0.0.1:0', PRESSROOM_WEBHOOK_POLL_MS: 'soon' }, 'PRESSROOM_WEBHOOK_POLL_MS'],
  ])('refuses %o naming %s', async (env, name) => {
    const p = await problem(env);
    expect(p.code).toBe('E_USAGE');
    expect(p.path).toBe(name);
  });
});
