import { describe, expect, it } from 'vitest';
import { classifyRunware, RUNWARE_CODES, runwareErrors } from '../../src/providers/runware/classify.js';

const envelope = (code: string) => ({ errors: [{ code, message: 'x', parameter: 'p', taskUUID: 'u' }] });

const CODE_CASES = [
  ['invalidApiKey', 401, 'auth'],
  ['missingApiKey', 401, 'auth'],
  ['unauthorized', 401, 'auth'],
  ['forbidden', 403, 'auth'],
  ['insufficientCredits', 402, 'quota'],
  ['providerInsufficientCredits', 402, 'quota'],
  ['quotaExceeded', 402, 'quota'],
  ['paymentRequired', 402, 'quota'],
  ['rateLimitExceeded', 429, 'rate_limit'],
  ['inferenceRateLimitExceeded', 429, 'rate_limit'],
  ['providerRateLimitExceeded', 429, 'rate_limit'],
  ['contentPolicyViolation', 400, 'moderation'],
  ['providerContentPolicyViolation', 400, 'moderation'],
  ['sensitiveContentDetected', 400, 'moderation'],
  ['nsfwContentDetected', 400, 'moderation'],
  ['promptBlocked', 400, 'moderation'],
  ['imageBlocked', 400, 'moderation'],
  ['moderationFailed', 400, 'moderation'],
  ['invalidPositivePrompt', 400, 'invalid_input'],
  ['invalidPositivePromptLength', 400, 'invalid_input'],
  ['missingPositivePrompt', 400, 'invalid_input'],
  ['unsupportedParameter', 400, 'invalid_input'],
  ['unknownParameter', 400, 'invalid_input'],
  ['incompatibleParameters', 400, 'invalid_input'],
  ['conflictTaskUUID', 400, 'invalid_input'],
  ['valueTooLarge', 400, 'invalid_input'],
  ['arrayTooSmall', 400, 'invalid_input'],
  ['mediaNotFound', 404, 'invalid_input'],
  ['timeoutProvider', 504, 'transient'],
  ['providerTimeout', 504, 'transient'],
  ['providerError', 502, 'transient'],
  ['providerUnavailable', 503, 'transient'],
  ['inferenceError', 500, 'transient'],
  ['modelUnavailable', 503, 'transient'],
  ['internalServerError', 500, 'transient'],
  ['serviceUnavailable', 503, 'transient'],
  ['unknownError', 500, 'unknown'],
  ['taskNotFound', 404, 'unknown'],
  ['taskExpired', 404, 'unknown'],
] as const;

describe('classifyRunware', () => {
  it.each(CODE_CASES)('%s (HTTP %i) is %s', (code, status, category) => {
    const c = classifyRunware(status, envelope(code));
    expect(c.category).toBe(category);
    expect(c.providerCode).toBe(code);
    expect(c.httpStatus).toBe(status);
  });

  it('has a case above for every code in the table', () => {
    expect(CODE_CASES.map(([code]) => code).sort()).toEqual(Object.keys(RUNWARE_CODES).sort());
  });

  it('lets the code win over the status: a moderation code on HTTP 400 or 200', () => {
    expect(classifyRunware(400, envelope('providerContentPolicyViolation')).category).toBe('moderation');
    expect(classifyRunware(200, envelope('providerContentPolicyViolation')).category).toBe('moderation');
  });

  it.each([
    [400, 'invalid_input'],
    [401, 'auth'],
    [402, 'quota'],
    [403, 'auth'],
    [404, 'unknown'],
    [408, 'transient'],
    [429, 'rate_limit'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
  ] as const)('falls back to HTTP %i -> %s without a body', (status, category) => {
    const c = classifyRunware(status, undefined);
    expect(c.category).toBe(category);
    expect(c.providerCode).toBeUndefined();
  });

  it.each([
    ['someNewRateLimitCode', 400, 'rate_limit'],
    ['brandNewProviderTimeout', 400, 'transient'],
    ['invalidSomething', 500, 'invalid_input'],
    ['imageNsfwFlag', 400, 'moderation'],
    ['notEnoughCredits', 400, 'quota'],
    ['wholeNewThing', 503, 'transient'],
    ['wholeNewThing', 400, 'invalid_input'],
  ] as const)('reads an unlisted code %s (HTTP %i) as %s', (code, status, category) => {
    expect(classifyRunware(status, envelope(code)).category).toBe(category);
  });

  it('treats HTTP 429 as the limit signal even when the code is unlisted', () => {
    expect(classifyRunware(429, envelope('queueFullOrSomething')).category).toBe('rate_limit');
  });

  it.each([
    [{ 'retry-after': '3' }, 3_000],
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5_000],
    [{}, undefined],
  ])('reads Retry-After %j as %s ms', (headers, ms) => {
    const c = classifyRunware(429, envelope('rateLimitExceeded'), headers, Date.parse('2026-01-01T00:00:00Z'));
    expect(c.retryAfterMs).toBe(ms);
  });

  it('classifies a failed item of a getResponse answer by its error code', () => {
    const body = { data: [{ taskUUID: 'u', status: 'error', error: { code: 'nsfwContentDetected', message: 'no' } }] };
    expect(classifyRunware(200, body)).toMatchObject({ category: 'moderation', providerCode: 'nsfwContentDetected', detail: 'no' });
  });

  it('calls a 2xx answer without any error unknown rather than inventing one', () => {
    expect(classifyRunware(200, { data: [] }).category).toBe('unknown');
  });

  it('reads parameter arrays and ignores entries that are not objects', () => {
    const body = { errors: ['junk', { code: 'incompatibleParameters', parameter: ['width', 'height'] }] };
    expect(runwareErrors(body)).toEqual([{ code: 'incompatibleParameters', message: undefined, parameter: ['width', 'height'], taskUUID: undefined }]);
  });
});
