import { describe, expect, it } from 'vitest';
import { classifyRunComfy, classifyRunComfyFailure } from '../../src/providers/runcomfy/classify.js';

describe('classifyRunComfy', () => {
  it.each([
    [400, 400001, 'invalid_input'],
    [402, 400002, 'quota'],
    [400, 400004, 'auth'],
    [401, 401001, 'auth'],
    [403, 403001, 'auth'],
    [404, 404001, 'invalid_input'],
    [422, 422001, 'invalid_input'],
    [500, 500001, 'transient'],
  ] as const)('HTTP %i with error_code %i is %s', (status, code, category) => {
    const verdict = classifyRunComfy(status, { error_code: code, error_message: 'x' });
    expect(verdict?.category).toBe(category);
    expect(verdict?.providerCode).toBe(String(code));
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [402, 'quota'],
    [400, 'invalid_input'],
    [404, 'invalid_input'],
    [422, 'invalid_input'],
    [408, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [429, 'rate_limit'],
    [418, 'unknown'],
  ] as const)('HTTP %i without a code is %s', (status, category) => {
    expect(classifyRunComfy(status, { message: 'nope' })?.category).toBe(category);
  });

  it('reads Retry-After on 429 in milliseconds', () => {
    const verdict = classifyRunComfy(429, { message: 'slow down' }, { 'retry-after': '7' });
    expect(verdict?.category).toBe('rate_limit');
    expect(verdict?.retryAfterMs).toBe(7000);
  });

  it('leaves retryAfterMs undefined when a 429 has no Retry-After', () => {
    expect(classifyRunComfy(429, {})?.retryAfterMs).toBeUndefined();
  });

  it('treats a 200 with a non-null top-level error_code as an error', () => {
    const verdict = classifyRunComfy(200, { error_code: 400002, error_message: 'Insufficient resources' });
    expect(verdict?.category).toBe('quota');
    expect(verdict?.providerCode).toBe('400002');
  });

  it('derives an unlisted code in a 200 from its HTTP-status prefix', () => {
    expect(classifyRunComfy(200, { error_code: 503007, message: 'busy' })?.category).toBe('transient');
    expect(classifyRunComfy(200, { error_code: 401999 })?.category).toBe('auth');
  });

  it.each([
    [200, { request_id: 'r1', status_url: 'u' }],
    [200, { request_id: 'r1', error_code: null }],
    [201, { status: 'in_queue' }],
  ])('HTTP %i body %j is not an error', (status, body) => {
    expect(classifyRunComfy(status, body)).toBeUndefined();
  });

  it('keeps the validation detail in the reason', () => {
    const verdict = classifyRunComfy(422, {
      error_code: 422001,
      error_message: 'Validation Error',
      detail: [{ loc: ['body', 'resolution'], msg: 'Input should be one of the enum', type: 'enum' }],
    });
    expect(verdict?.reason).toContain('resolution');
  });

  it('classifies a non-JSON 5xx body (e.g. "Redis lock timeout") as transient', () => {
    expect(classifyRunComfy(500, 'Redis lock timeout')?.category).toBe('transient');
  });

  it('recognises moderation wording in an HTTP error without a documented code', () => {
    expect(classifyRunComfy(400, { message: 'The input text may contain sensitive content' })?.category).toBe('moderation');
  });
});

describe('classifyRunComfyFailure', () => {
  it.each([
    [{ code: 'OutputImageSensitiveContentDetected', message: 'blocked' }, 'moderation'],
    [{ error_code: 'InputTextSensitiveContentDetected' }, 'moderation'],
    [{ error_message: 'Request rejected by the content filter' }, 'moderation'],
    [{ error_code: 422001, error_message: 'Validation Error' }, 'invalid_input'],
    [{ error_code: 500001, error_message: 'Internal Error' }, 'transient'],
    [{ message: 'GPU fell over' }, 'unknown'],
    ['something broke', 'unknown'],
    [undefined, 'unknown'],
  ])('failed task error %j is %s', (error, category) => {
    expect(classifyRunComfyFailure(error).category).toBe(category);
  });
});
