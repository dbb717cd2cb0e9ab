import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/deps.js';
import { resolveSettings } from '../../src/commands/settings.js';
import { startWebhookServer } from '../../src/http/webhook.js';

const settingsOf = (env: Record<string, string>) => resolveSettings({ env, cwd: '/nonexistent-project' }, '/');

async function problem(env: Record<string, string>): Promise<{ code: string; path?: string; message: string }> {
  const err = await settingsOf(env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems[0]! as { code: string; path?: string; message: string };
}

describe('webhook settings from the environment', () => {
  it('starts nothing without PRESSROOM_WEBHOOK_URL: polling stays the default', async () => {
    expect((await settingsOf({ PRESSROOM_WEBHOOK_LISTEN: '127.0.0.1:0' })).webhooks).toBeUndefined();
  });

  it('listens on 127.0.0.1:8787 and polls every 30 s as a safety net unless told otherwise', async () => {
    expect((await settingsOf({ PRESSROOM_WEBHOOK_URL: 'https://hooks.example.com/p/' })).webhooks).toEqual({ publicUrl: 'https://hooks.example.com/p/', host: '127.0.0.1', port: 8787, safetyPollMs: 30_000 });
  });

  it('hands providers URLs under the public base, listening where PRESSROOM_WEBHOOK_LISTEN says', async () => {
    const { webhooks } = await settingsOf({ PRESSROOM_WEBHOOK_URL: 'https://hooks.example.com/pressroom/', PRESSROOM_WEBHOOK_LISTEN: '127.0.0.1:0', PRESSROOM_WEBHOOK_POLL_MS: '45000' });
    const server = await startWebhookServer({ ...webhooks!, logger: silentLogger });
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server.safetyPollMs).toBe(45_000);
      expect(server.route('runware', () => []).url).toMatch(/^https:\/\/hooks\.example\.com\/pressroom\/[0-9a-f]{32}\/runware$/);
    } finally {
      await server.close();
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
