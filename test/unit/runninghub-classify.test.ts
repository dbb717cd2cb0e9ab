import { describe, expect, it } from 'vitest';
import type { ProviderErrorCategory } from '../../src/core/errors.js';
import { classifyRunningHub, errorCodeOf, isTaskGone, runningHubError } from '../../src/providers/runninghub/classify.js';

const v2 = (errorCode: string, errorMessage = 'x') => ({ taskId: '', status: '', errorCode, errorMessage, results: null });

describe('classifyRunningHub: v2 errorCode table (HTTP 200 bodies)', () => {
  it.each<[string, ProviderErrorCategory]>([
    ['301', 'invalid_input'],
    ['412', 'invalid_input'],
    ['414', 'quota'],
    ['415', 'rate_limit'],
    ['416', 'quota'],
    ['421', 'rate_limit'],
    ['423', 'unknown'],
    ['500', 'transient'],
    ['801', 'auth'],
    ['802', 'auth'],
    ['805', 'unknown'],
    ['807', 'unknown'],
    ['808', 'invalid_input'],
    ['809', 'invalid_input'],
    ['811', 'auth'],
    ['812', 'quota'],
    ['817', 'unknown'],
    ['1002', 'auth'],
    ['1003', 'rate_limit'],
    ['1004', 'unknown'],
    ['1005', 'transient'],
    ['1006', 'timeout'],
    ['1007', 'invalid_input'],
    ['1008', 'invalid_input'],
    ['1010', 'transient'],
    ['1011', 'rate_limit'],
    ['1012', 'transient'],
    ['1013', 'invalid_input'],
    ['1014', 'auth'],
    ['1015', 'transient'],
    ['1501', 'moderation'],
    ['1504', 'timeout'],
    ['1505', 'moderation'],
    ['1520', 'rate_limit'],
  ])('errorCode %s -> %s', (code, category) => {
    const details = classifyRunningHub(200, v2(code));
    expect(details).toMatchObject({ provider: 'runninghub', category, providerCode: code, httpStatus: 200 });
    expect(details.retryAfterMs).toBeUndefined();
  });
});

describe('classifyRunningHub: upload envelope and HTTP statuses', () => {
  it.each<[string, number, unknown, ProviderErrorCategory, string | undefined]>([
    ['upload {code, msg} 401', 401, { code: -1, msg: 'ApiKey verification failed' }, 'auth', '-1'],
    ['upload code 809 in a 200', 200, { code: 809, message: 'file too large', data: null }, 'invalid_input', '809'],
    ['upload code as a string', 200, { code: '1002', message: 'bad key' }, 'auth', '1002'],
    ['known code wins over the HTTP status', 500, v2('1501'), 'moderation', '1501'],
    ['HTTP 429 wins over any body', 429, v2('1015'), 'rate_limit', '1015'],
    ['HTTP 429 without a body', 429, undefined, 'rate_limit', undefined],
    ['HTTP 403 without a code', 403, undefined, 'auth', undefined],
    ['HTTP 402', 402, {}, 'quota', undefined],
    ['HTTP 502', 502, 'Bad Gateway', 'transient', undefined],
    ['HTTP 504', 504, undefined, 'timeout', undefined],
    ['HTTP 400', 400, {}, 'invalid_input', undefined],
    ['an unlisted code in a 200', 200, v2('9999'), 'unknown', '9999'],
    ['an unlisted code with a 503', 503, v2('9999'), 'transient', '9999'],
    ['a 200 without taskId or code', 200, { status: 'RUNNING' }, 'unknown', undefined],
  ])('%s', (_name, status, body, category, providerCode) => {
    expect(classifyRunningHub(status, body)).toMatchObject({ category, providerCode, httpStatus: status });
  });

  it('reads Retry-After into retryAfterMs', () => {
    expect(classifyRunningHub(429, undefined, { 'retry-after': '5' }).retryAfterMs).toBe(5_000);
    expect(classifyRunningHub(200, v2('421'), { 'retry-after-ms': '1200' }).retryAfterMs).toBe(1_200);
  });
});

describe('envelope helpers', () => {
  it.each<[unknown, string | undefined]>([
    [{ errorCode: '' , code: 0 }, undefined],
    [{ errorCode: '  ' }, undefined],
    [{ code: 0, data: {} }, undefined],
    [{ code: '0' }, undefined],
    [{ errorCode: '421' }, '421'],
    [{ errorCode: 1501 }, '1501'],
    [null, undefined],
    ['text', undefined],
  ])('errorCodeOf(%j) = %s', (body, code) => {
    expect(errorCodeOf(body)).toBe(code);
  });

  it('knows which codes mean the task is gone', () => {
    expect(['423', '807', '1004'].every(isTaskGone)).toBe(true);
    expect(isTaskGone('1501')).toBe(false);
    expect(isTaskGone(undefined)).toBe(false);
  });

  it('builds a ProviderError carrying the task id, code and category', () => {
    const err = runningHubError(classifyRunningHub(200, v2('1501')), { stage: 'task failed', taskId: '2013508786110730241', body: v2('1501') });
    expect(err).toMatchObject({ provider: 'runninghub', category: 'moderation', providerCode: '1501', taskId: '2013508786110730241', code: 'E_PROVIDER_MODERATION' });
    expect(err.message).toContain('2013508786110730241');
  });
});
