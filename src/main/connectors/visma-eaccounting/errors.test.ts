import { describe, expect, it } from 'vitest';
import { vismaError } from './errors';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  vismaError({ status, body, headers: new Headers(headers) });
const envelope = (code: number, message: string) => ({
  ErrorCode: code,
  DeveloperErrorMessage: message,
  ErrorId: '0d6c8c6e-3f0a-4d4b-9d0e-5b1f4f1f2a11',
  Errors: [],
});

describe('Visma eAccounting error mapping (specs/visma-eaccounting.md §4)', () => {
  it.each([
    [400, 2000, 'DataModelValidationError', 'bad_request'],
    [400, 3001, 'FiscalYearDoesNotExist', 'locked_period'],
    [400, 3002, 'AccountNotFound', 'invalid_account'],
    [409, 4000, 'Conflict', 'duplicate'],
    [400, 4003, 'StartupGuideNotCompleted', 'auth'],
    [403, 4004, 'CompanyNotActive', 'auth'],
    [401, 4005, 'NotAuthorized', 'auth'],
    [403, 4006, 'NoAccessToScopes', 'auth'],
    [400, 4026, 'Voucher is in a locked period', 'locked_period'],
    [400, 4032, 'Rows do not balance on the supplier invoice', 'bad_request'],
  ])('HTTP %i with ErrorCode %i (%s) → %s, message kept verbatim', (status, code, message, expected) => {
    const error = answer(status, envelope(code, message));
    expect(error.code).toBe(expected);
    expect(error.targetMessage).toBe(`${code}: ${message}`);
    expect(error.detail.status).toBe(status);
  });

  it('maps the captured "no access to module" body (4002) to auth', () => {
    const error = answer(403, envelope(4002, 'ForbiddenRequestException - No access to module: api_standard'));
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe('4002: ForbiddenRequestException - No access to module: api_standard');
  });

  it('takes the wait from the 4010 text when there is no Retry-After header', () => {
    const error = answer(
      429,
      envelope(4010, 'API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.'),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.detail.retryAfterMs).toBe(55_000);
    expect(answer(429, envelope(4010, 'Try again in 55 seconds.'), { 'retry-after': '7' }).detail.retryAfterMs).toBe(
      7_000,
    );
  });

  it('maps identity-server answers: invalid_grant and invalid_client to auth', () => {
    expect(answer(400, { error: 'invalid_grant' })).toMatchObject({ code: 'auth', targetMessage: 'invalid_grant' });
    expect(answer(401, { error: 'invalid_client' }).code).toBe('auth');
  });

  it('maps 5xx without a body to server_error, keeping the status as the message', () => {
    expect(answer(503, null)).toMatchObject({ code: 'server_error', targetMessage: 'HTTP 503' });
  });
});
