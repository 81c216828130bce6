import { describe, expect, it, vi } from 'vitest';
import { API, API_METHODS, ApiError, createApiClient, unwrapResponse } from './api';

const noEvents = () => () => undefined;

describe('API contract', () => {
  it('has a query or command kind and both schemas for every method', () => {
    for (const name of API_METHODS) {
      expect(['query', 'command']).toContain(API[name].kind);
      expect(API[name].args.safeParse).toBeTypeOf('function');
      expect(API[name].result.safeParse).toBeTypeOf('function');
    }
  });

  it('refuses bad arguments before anything is sent, naming method and field', async () => {
    const transport = vi.fn();
    const api = createApiClient(transport, noEvents);
    await expect(api.setMapping({ key: 'cash', account: '' })).rejects.toThrow(
      new ApiError('invalid_args', 'setMapping: account: account must not be empty'),
    );
    await expect(api.log({ limit: 0 })).rejects.toMatchObject({ type: 'invalid_args' });
    expect(transport).not.toHaveBeenCalled();
  });

  it('sends defaults filled in and checks the answer against the result schema', async () => {
    const transport = vi.fn().mockResolvedValue({ total: 1, offset: 0, rows: [] });
    const api = createApiClient(transport, noEvents);
    expect(await api.log({ status: 'info' })).toEqual({ total: 1, offset: 0, rows: [] });
    expect(transport).toHaveBeenCalledWith('log', { status: 'info', offset: 0, limit: 200 });
    transport.mockResolvedValue({ total: -1, offset: 0, rows: [] });
    await expect(api.log({})).rejects.toMatchObject({
      type: 'internal',
      message: expect.stringMatching(/^Unexpected answer to log/),
    });
  });

  it('keeps money as whole øre: a fractional amount in a voucher line is rejected', () => {
    const line = {
      key: 'cash',
      role: 'entry',
      account: '1900',
      vatCode: null,
      impliedVat: 0,
      department: null,
      text: '',
    };
    expect(API.vouchers.result.element.shape.lines.element.safeParse({ ...line, amount: 12345 }).success).toBe(true);
    expect(API.vouchers.result.element.shape.lines.element.safeParse({ ...line, amount: 123.45 }).success).toBe(false);
  });

  it('turns an error response into an ApiError with the same type and message', () => {
    expect(() => unwrapResponse({ id: 1, ok: false, error: { type: 'refused', message: 'No.' } })).toThrow(
      new ApiError('refused', 'No.'),
    );
    expect(unwrapResponse({ id: 1, ok: true, result: 5 })).toBe(5);
    expect(() => unwrapResponse({ id: 1, ok: 'maybe' })).toThrow(/does not understand/);
  });
});
