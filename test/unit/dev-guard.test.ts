import { describe, expect, it } from 'vitest';
import { createGuard } from '../../src/dev/guard.js';

/** Who may drive `pressroom dev`: each rule, and that it is what refuses its request. */

const TOKEN = 'a'.repeat(48);
const guard = createGuard(['127.0.0.1', 'localhost', '::1'], 4400, TOKEN);
const page = { method: 'POST', host: '127.0.0.1:4400', origin: 'http://127.0.0.1:4400', token: TOKEN, contentType: 'application/json' };

describe('the dev server guard', () => {
  it('lets the page itself read and post, under any loopback name it was reached by', () => {
    expect(guard.check({ method: 'GET', host: '127.0.0.1:4400' })).toBeUndefined();
    expect(guard.check({ method: 'GET', host: 'localhost:4400' })).toBeUndefined();
    expect(guard.check({ method: 'GET', host: '[::1]:4400' })).toBeUndefined();
    expect(guard.check(page)).toBeUndefined();
    expect(guard.check({ ...page, host: 'localhost:4400', origin: 'http://localhost:4400' })).toBeUndefined();
  });

  it('refuses a host it was not started for, reading too (a rebound name)', () => {
    expect(guard.check({ method: 'GET', host: 'evil.example:4400' })).toMatch(/addressed to "evil.example:4400"/);
    expect(guard.check({ method: 'GET', host: '127.0.0.1:4401' })).toBeDefined();
    expect(guard.check({ method: 'GET' })).toBeDefined();
    expect(guard.check({ ...page, host: 'evil.example:4400', origin: 'http://evil.example:4400' })).toBeDefined();
  });

  it('refuses a change from another origin, or from no page at all', () => {
    expect(guard.check({ ...page, origin: 'http://evil.example' })).toMatch(/another site/);
    expect(guard.check({ ...page, origin: 'http://localhost:4400' })).toMatch(/another site/);
    expect(guard.check({ ...page, origin: 'null' })).toMatch(/another site/);
    const { origin: _o, ...noOrigin } = page;
    expect(guard.check(noOrigin)).toMatch(/no Origin/);
  });

  it('refuses a change without the page token, or with another of any length', () => {
    const { token: _t, ...noToken } = page;
    expect(guard.check(noToken)).toMatch(/token/);
    expect(guard.check({ ...page, token: 'b'.repeat(48) })).toMatch(/token/);
    expect(guard.check({ ...page, token: TOKEN.slice(1) })).toMatch(/token/);
    expect(guard.check({ ...page, token: '' })).toMatch(/token/);
  });

  it('refuses a change that is not JSON (a form any page may post without asking)', () => {
    expect(guard.check({ ...page, contentType: 'text/plain' })).toMatch(/JSON/);
    expect(guard.check({ ...page, contentType: 'application/x-www-form-urlencoded' })).toMatch(/JSON/);
    const { contentType: _c, ...none } = page;
    expect(guard.check(none)).toMatch(/JSON/);
  });
});
