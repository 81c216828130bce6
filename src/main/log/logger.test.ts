import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, setLogLevel, setLogSink, type LogRecord } from './logger';
import { redact, redactText } from './redact';

describe('redact', () => {
  it('masks secret-named fields at any depth and leaves the rest', () => {
    expect(
      redact({
        clientSecret: 's',
        password: 'p',
        apiKey: 'k',
        list: [{ refreshToken: 'r' }],
        amount: '12.50',
        account: '1920',
      }),
    ).toEqual({
      clientSecret: '[redacted]',
      password: '[redacted]',
      apiKey: '[redacted]',
      list: [{ refreshToken: '[redacted]' }],
      amount: '12.50',
      account: '1920',
    });
  });

  it('masks tokens inside text: headers, query strings and JSON bodies', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer [redacted]');
    expect(redactText('GET /token?code=abc123&state=1')).toBe('GET /token?code=[redacted]&state=1');
    expect(redactText('{"refresh_token":"r-1","expires_in":3600}')).toBe(
      '{"refresh_token":"[redacted]","expires_in":3600}',
    );
  });

  it('masks passwords and session ids in SOAP bodies and the ASP.NET session cookie', () => {
    expect(redactText('<credential><Password>hemmelig</Password><Username>kari@x.no</Username></credential>')).toBe(
      '<credential><Password>[redacted]</Password><Username>kari@x.no</Username></credential>',
    );
    expect(redactText('<LoginResult>abc123</LoginResult>')).toBe('<LoginResult>[redacted]</LoginResult>');
    expect(redactText('Cookie: ASP.NET_SessionId=abc123; other=1')).toBe(
      'Cookie: ASP.NET_SessionId=[redacted]; other=1',
    );
  });
});

describe('createLogger', () => {
  const records: LogRecord[] = [];
  afterEach(() => {
    records.length = 0;
    setLogLevel('warn');
  });

  it('redacts before the sink sees a record and honours the level', () => {
    setLogSink((record) => records.push(record));
    setLogLevel('info');
    const log = createLogger('sync');
    log.debug('not shown');
    log.info('posting with Bearer secret-token', { token: 'abc', voucher: 7 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      level: 'info',
      scope: 'sync',
      message: 'posting with Bearer [redacted]',
      data: { token: '[redacted]', voucher: 7 },
    });
  });
});
